// Entity ↔ table mapping, derived from the registry: one table per entity, one column per schema field.
import { ENTITY_NAMES, entityFields, type EntityName } from '../../src-shared/registry';

export const TABLES: Record<EntityName, string> = {
  collectivite: 'collectivite',
  contact: 'contact',
  adhesion: 'adhesion',
  partenariat: 'partenariat',
  ficheProjet: 'fiche_projet',
  declarationApd: 'declaration_apd',
  ligneApd: 'ligne_apd',
  avis: 'avis',
  campagne: 'campagne',
  attestationCampagne: 'attestation_campagne',
};

/** Sync metadata columns present on every entity table (not schema fields). */
export const META_COLUMNS = [
  'sync_rev',
  'created_rev',
  'field_revs',
  'deleted',
  'scope_region',
  'entered_rev',
  'updated_at',
  'updated_by',
] as const;

/** Columns stored as jsonb (arrays and objects). */
const JSON_FIELDS = new Set(['thematiques', 'cofinancements', 'odd']);

export interface TableDef {
  entity: EntityName;
  table: string;
  /** Schema fields, `id` first. */
  fields: string[];
  /** Fields other than id (what a create carries, what a pull sends). */
  dataFields: string[];
  jsonFields: Set<string>;
}

export const TABLE_DEFS: Record<EntityName, TableDef> = Object.fromEntries(
  ENTITY_NAMES.map((e) => {
    const fields = entityFields(e);
    return [
      e,
      {
        entity: e,
        table: TABLES[e],
        fields,
        dataFields: fields.filter((f) => f !== 'id'),
        jsonFields: new Set(fields.filter((f) => JSON_FIELDS.has(f))),
      },
    ];
  }),
) as Record<EntityName, TableDef>;
