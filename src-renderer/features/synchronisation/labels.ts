// Record titles and form routes for the conflicts and rejected-changes screens (field labels come from
// the catalogue, fieldLabel in src-shared/registry). A title names a record as a person reads it: a network by
// its name, a country by its French name, never by a stored code.
import { PARTIE_LABELS, type Partie } from '../../../src-shared/domain/campagne';
import type { EntityName } from '../../../src-shared/registry';
import { CATEGORIES_APD, nomPays, RESEAUX } from '../../../src-shared/reference';
import { formatEuro } from '../../ui/format';

export function recordTitle(entity: EntityName, rec: Record<string, unknown> | null | undefined): string {
  if (!rec) return '(enregistrement supprimé)';
  switch (entity) {
    case 'contact':
      return `${String(rec.prenom ?? '')} ${String(rec.nom ?? '')}`.trim();
    case 'adhesion': {
      if (typeof rec.reseauNom === 'string' && rec.reseauNom) return rec.reseauNom;
      const reseau = RESEAUX.find((r) => r.code === rec.reseauCode);
      return reseau?.label ?? (typeof rec.reseauCode === 'string' ? rec.reseauCode : 'Adhésion');
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
    case 'collectivite':
    case 'attestationCampagne':
      return '/';
    default:
      return '/';
  }
}
