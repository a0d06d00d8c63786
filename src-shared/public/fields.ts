// What the public Atlas shows (issue: « l'Atlas public »): the one rule the public pages, the open-data
// downloads and the read-only API all read. The circular calls the Atlas a « vitrine » open to anyone; the
// campaign's data also holds what must never leave the State's and the collectivités' hands.
//
// Public: the identity of a collectivité (not its switchboard telephone or e-mail, which often name a
// person), its réseaux, its partenariats and fiches-projets (published fields), its APD *totals per year*
// (never the lines of a declaration or its comment), and the labels of the reference lists.
// Never public: contacts (personal data), avis of the State services, campaigns and attestations,
// accounts, audit, conflicts, and anything of a record while it is deleted.
import type { EntityName } from '../registry';

/** The published fields of each public entity, in display order. An entity absent here is never public. */
export const PUBLIC_FIELDS = {
  collectivite: ['id', 'code', 'nom', 'type', 'departement', 'region', 'adresse', 'codePostal', 'commune', 'siteWeb'],
  adhesion: ['id', 'collectiviteId', 'reseauCode', 'reseauNom', 'adherent', 'utilisePourActions', 'depuis'],
  partenariat: [
    'id',
    'collectiviteId',
    'nature',
    'pays',
    'nomPartenaire',
    'typePartenaire',
    'jumelage',
    'dateConvention',
    'statut',
    'latitude',
    'longitude',
  ],
  // Not `referentContactId`: it points at a contact, who is personal data.
  ficheProjet: [
    'id',
    'collectiviteId',
    'partenariatId',
    'intitule',
    'description',
    'thematiques',
    'statut',
    'dateDebut',
    'dateFin',
    'coutTotal',
    'participationCollectivite',
    'cofinancements',
    'operateurs',
    'beneficiaires',
    'odd',
    'dispositifUnPourCent',
    'siteWeb',
  ],
  // Only the year: the APD is published as totals per year (publicApdTotal), never per line or with its comment.
  declarationApd: ['id', 'collectiviteId', 'annee'],
  entreeReference: ['id', 'liste', 'code', 'libelle', 'retiree'],
} as const satisfies Partial<Record<EntityName, readonly string[]>>;

export type PublicEntity = keyof typeof PUBLIC_FIELDS;
export const PUBLIC_ENTITIES = Object.keys(PUBLIC_FIELDS) as PublicEntity[];

/** Entities whose records are never public, whatever their fields. */
export const NEVER_PUBLIC: readonly EntityName[] = ['contact', 'avis', 'campagne', 'attestationCampagne', 'ligneApd'];

export function isPublicEntity(entity: string): entity is PublicEntity {
  return Object.prototype.hasOwnProperty.call(PUBLIC_FIELDS, entity);
}

export function isPublicField(entity: string, field: string): boolean {
  return isPublicEntity(entity) && (PUBLIC_FIELDS[entity] as readonly string[]).includes(field);
}

/**
 * The public view of a record: its published fields only; null for a deleted record or an entity that is
 * never public. Every public output (page, download, API) goes through this.
 */
export function publicRecord(
  entity: string,
  row: Record<string, unknown> & { deleted?: unknown },
): Record<string, unknown> | null {
  if (!isPublicEntity(entity) || row.deleted === true) return null;
  const out: Record<string, unknown> = {};
  for (const f of PUBLIC_FIELDS[entity]) out[f] = row[f] ?? null;
  return out;
}

/** The published APD figure of one declaration: the total of its lines, in euros (cents rounded). */
export function publicApdTotal(lignes: readonly { montant: number }[]): number {
  return Math.round(lignes.reduce((s, l) => s + l.montant * 100, 0)) / 100;
}
