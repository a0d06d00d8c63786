// Record titles and form routes for the conflicts and rejected-changes screens (field labels come from
// the catalogue, fieldLabel in src-shared/registry). A title names a record as a person reads it: a network by
// its name, a country by its French name, never by a stored code.
import { PARTIE_LABELS, type Partie } from '../../../src-shared/domain/campagne';
import type { EntityName } from '../../../src-shared/registry';
import { libelleOf, type EntreeReference } from '../../../src-shared/domain/entreeReference';
import { CATEGORIES_APD, nomPays } from '../../../src-shared/reference';
import { formatEuro } from '../../ui/format';

/** `entries`: the device's copy of the reference lists (a network of the list reads by its label). */
export function recordTitle(
  entity: EntityName,
  rec: Record<string, unknown> | null | undefined,
  entries: readonly EntreeReference[] = [],
): string {
  if (!rec) return '(enregistrement supprimé)';
  switch (entity) {
    case 'contact':
      return `${String(rec.prenom ?? '')} ${String(rec.nom ?? '')}`.trim();
    case 'adhesion': {
      if (typeof rec.reseauNom === 'string' && rec.reseauNom) return rec.reseauNom;
      if (typeof rec.reseauCode !== 'string') return 'Adhésion';
      return libelleOf(
        entries.filter((e) => e.liste === 'reseau'),
        rec.reseauCode,
      );
    }
    case 'partenariat':
      return String(rec.nomPartenaire ?? 'Partenariat');
    case 'ficheProjet':
      return String(rec.intitule ?? 'Fiche-projet');
    case 'declarationApd':
      return `Déclaration ${String(rec.annee ?? '')}`;
    case 'collectivite':
      return String(rec.nom ?? 'Collectivité');
    case 'ligneApd':
      return [
        typeof rec.pays === 'string' ? nomPays(rec.pays) : null,
        CATEGORIES_APD.find((c) => c.code === rec.categorie)?.label ??
          (typeof rec.categorie === 'string' ? rec.categorie : null),
        typeof rec.montant === 'number' ? formatEuro(rec.montant) : null,
      ]
        .filter(Boolean)
        .join(', ');
    case 'attestationCampagne':
      return PARTIE_LABELS[rec.partie as Partie] ?? 'Attestation';
    case 'campagne':
      return `Campagne ${String(rec.annee ?? '')}`.trim();
    case 'avis':
      return 'Avis';
    case 'entreeReference':
      return String(rec.libelle ?? '');
    default:
      return '';
  }
}

/** Where the record's form is; `parent` gives an APD line its declaration's year. */
export function recordRoute(
  entity: EntityName,
  id: string,
  rec: Record<string, unknown> | null | undefined,
  parent?: Record<string, unknown> | null,
): string {
  switch (entity) {
    case 'contact':
      return `/contacts/${id}`;
    case 'adhesion':
      return `/reseaux/${id}`;
    case 'partenariat':
      return `/partenariats/${id}`;
    case 'ficheProjet':
      return rec?.partenariatId ? `/partenariats/${String(rec.partenariatId)}/fiches/${id}` : '/fiches';
    case 'declarationApd':
      return rec?.annee ? `/apd/${String(rec.annee)}` : '/apd';
    case 'ligneApd':
      return parent?.annee ? `/apd/${String(parent.annee)}` : '/apd';
    case 'entreeReference':
      return '/listes';
    case 'collectivite':
    case 'attestationCampagne':
      return '/';
    default:
      return '/';
  }
}
