// The one list of synced entities. Server tables, the client database, sync and rights all read it.
import { z } from 'zod';
import {
  fieldInfoOf,
  type FieldInfo,
  adhesionSchema,
  attestationCampagneSchema,
  avisSchema,
  campagneSchema,
  collectiviteSchema,
  contactSchema,
  COLLECTIVITE_IDENTITY_FIELDS,
  declarationApdSchema,
  entreeReferenceSchema,
  type ListField,
  ficheProjetSchema,
  ligneApdSchema,
  partenariatSchema,
  REPRISE_FIELD,
  type Role,
} from './domain';
import type { FieldError } from './domain/messages';
import {
  checkWriteRules,
  FICHE_PROJET_WRITE_RULES,
  PARTENARIAT_WRITE_RULES,
  type WriteRule,
} from './domain/writeRules';

export const ENTITY_NAMES = [
  'collectivite',
  'contact',
  'adhesion',
  'partenariat',
  'ficheProjet',
  'declarationApd',
  'ligneApd',
  'avis',
  'campagne',
  'attestationCampagne',
  'entreeReference',
] as const;
export type EntityName = (typeof ENTITY_NAMES)[number];

export interface EntityDef<N extends EntityName = EntityName> {
  name: N;
  /** French label, singular and plural, for messages and screens. */
  label: string;
  labelPlural: string;
  schema: z.ZodObject;
  /**
   * Scope: `collectivite` rows belong to one collectivité (field `collectiviteId`, or `id` for the
   * collectivité itself); `national` rows are read by everyone.
   */
  scope: 'collectivite' | 'national';
  /** Parent record, whose scope the child must share. Deleting a parent is refused while children live. */
  parent?: { entity: EntityName; field: string };
  /** Other references to check on the server (same scope). */
  references?: { entity: EntityName; field: string }[];
  /** Natural key: records get a deterministic id from it (see sync/ids.ts), so two offline creations meet. */
  naturalKey?: readonly string[];
  /** Roles that may create, update and delete. */
  writeRoles: readonly Role[];
  /** Fields only the DAECT may change even where others may write the entity. */
  daectOnlyFields?: readonly string[];
  /**
   * Fields only the server writes (the Atlas import's mark `reprisLe`, docs/domain.md): a device's change that
   * sets one is refused (READ_ONLY_FIELD), the import's are taken, and any other write of the record clears
   * them in the same write. Forms never show them as editable.
   */
  serverOnlyFields?: readonly string[];
  /** Personal data (RGPD): a delete purges the row's content everywhere, tombstone only. */
  personalData?: boolean;
  /** Deletable by its writers (the collectivité itself is not). */
  deletable: boolean;
  /** Business rules checked on the fields a write sets (see domain/writeRules.ts). */
  writeRules?: readonly WriteRule[];
  /**
   * At most one live record per collectivité with this field's value (when not null): checked on the
   * device against its records and on the server. Unlike a natural key, the field stays editable and
   * the id random (an adhésion may name a network of the list or a free name).
   */
  unique?: { field: string; message(value: string, label?: string): string };
  /**
   * Fields naming entries of a reference list (entreeReference): each code is checked against the list on
   * the server (`listErrors`, domain/entreeReference.ts), so a new entry is usable without a release.
   */
  lists?: readonly ListField[];
}

const AGENT_WRITES: readonly Role[] = ['agent', 'daect'];

export const REGISTRY = {
  collectivite: {
    name: 'collectivite',
    label: 'collectivité',
    labelPlural: 'collectivités',
    schema: collectiviteSchema,
    scope: 'collectivite',
    writeRoles: AGENT_WRITES,
    daectOnlyFields: COLLECTIVITE_IDENTITY_FIELDS,
    deletable: false,
  },
  contact: {
    name: 'contact',
    label: 'élu ou cadre',
    labelPlural: 'élus et cadres',
    schema: contactSchema,
    scope: 'collectivite',
    writeRoles: AGENT_WRITES,
    personalData: true,
    deletable: true,
  },
  adhesion: {
    name: 'adhesion',
    label: 'adhésion',
    labelPlural: 'associations et réseaux',
    schema: adhesionSchema,
    scope: 'collectivite',
    writeRoles: AGENT_WRITES,
    deletable: true,
    unique: {
      field: 'reseauCode',
      message: (code, label) =>
        `La collectivité adhère déjà à « ${label ?? code} » : modifiez l’adhésion existante plutôt que d’en créer une seconde.`,
    },
    lists: [{ field: 'reseauCode', liste: 'reseau', label: 'Réseau' }],
  },
  partenariat: {
    name: 'partenariat',
    label: 'partenariat',
    labelPlural: 'partenariats',
    schema: partenariatSchema,
    scope: 'collectivite',
    writeRoles: AGENT_WRITES,
    deletable: true,
    writeRules: PARTENARIAT_WRITE_RULES,
    serverOnlyFields: [REPRISE_FIELD],
  },
  ficheProjet: {
    name: 'ficheProjet',
    label: 'fiche-projet',
    labelPlural: 'fiches-projets',
    schema: ficheProjetSchema,
    scope: 'collectivite',
    parent: { entity: 'partenariat', field: 'partenariatId' },
    references: [{ entity: 'contact', field: 'referentContactId' }],
    writeRoles: AGENT_WRITES,
    deletable: true,
    writeRules: FICHE_PROJET_WRITE_RULES,
    serverOnlyFields: [REPRISE_FIELD],
    lists: [{ field: 'thematiques', liste: 'thematique', label: "Thématiques d'intervention" }],
  },
  declarationApd: {
    name: 'declarationApd',
    label: 'déclaration d’APD',
    labelPlural: 'déclarations d’APD',
    schema: declarationApdSchema,
    scope: 'collectivite',
    naturalKey: ['collectiviteId', 'annee'],
    writeRoles: AGENT_WRITES,
    deletable: true,
  },
  ligneApd: {
    name: 'ligneApd',
    label: 'ligne d’APD',
    labelPlural: 'lignes d’APD',
    schema: ligneApdSchema,
    scope: 'collectivite',
    parent: { entity: 'declarationApd', field: 'declarationApdId' },
    writeRoles: AGENT_WRITES,
    deletable: true,
  },
  avis: {
    name: 'avis',
    label: 'avis',
    labelPlural: 'avis',
    schema: avisSchema,
    scope: 'collectivite',
    parent: { entity: 'ficheProjet', field: 'ficheProjetId' },
    writeRoles: ['sgar', 'daect'],
    deletable: true,
  },
  campagne: {
    name: 'campagne',
    label: 'campagne',
    labelPlural: 'campagnes',
    schema: campagneSchema,
    scope: 'national',
    naturalKey: ['annee'],
    writeRoles: ['daect'],
    deletable: true,
  },
  attestationCampagne: {
    name: 'attestationCampagne',
    label: 'attestation',
    labelPlural: 'attestations',
    schema: attestationCampagneSchema,
    scope: 'collectivite',
    parent: { entity: 'campagne', field: 'campagneId' },
    naturalKey: ['collectiviteId', 'campagneId', 'partie'],
    writeRoles: AGENT_WRITES,
    deletable: true,
  },
  entreeReference: {
    name: 'entreeReference',
    label: 'entrée de liste de référence',
    labelPlural: 'listes de référence',
    schema: entreeReferenceSchema,
    scope: 'national',
    // One entry per code of a list; the code is what records store, so it never changes.
    naturalKey: ['liste', 'code'],
    writeRoles: ['daect'],
    // Retired, never deleted: records keep naming it.
    deletable: false,
  },
} as const satisfies { [N in EntityName]: EntityDef<N> };

export type Registry = typeof REGISTRY;
export type EntityRecord<N extends EntityName> = z.infer<Registry[N]['schema']>;

export function entityDef(name: EntityName): EntityDef {
  return REGISTRY[name] as EntityDef;
}

export function isEntityName(s: unknown): s is EntityName {
  return typeof s === 'string' && (ENTITY_NAMES as readonly string[]).includes(s);
}

/**
 * The errors of the entity's write rules for a write setting `written` ('all' for a creation); `invalid`:
 * fields the schema already refused (a rule reading one of them waits until it is corrected).
 */
export function writeRuleErrors(
  name: EntityName,
  record: Record<string, unknown>,
  written: readonly string[] | 'all',
  opts: { invalid?: ReadonlySet<string>; today?: string } = {},
): FieldError[] {
  const rules = entityDef(name).writeRules;
  return rules ? checkWriteRules(rules, record, written, opts) : [];
}

/** Field names of an entity, from its schema (id included). */
export function entityFields(name: EntityName): string[] {
  return Object.keys(entityDef(name).schema.shape);
}

/**
 * The field catalogue: a field's label, type, required-ness and choices, written once in its builder.
 * `field` may be a dotted path into a list of objects (`cofinancements.0.montant`).
 */
export function fieldInfo(name: EntityName, field: string): FieldInfo | undefined {
  let schema: z.core.$ZodType | undefined = entityDef(name).schema;
  for (const part of field.split('.')) {
    if (/^\d+$/.test(part)) continue;
    schema = objectOf(schema)?.shape[part];
  }
  return schema && fieldInfoOf(schema);
}

/** The object a field holds, looking through `.default()`, `.nullable()` and lists. */
function objectOf(schema: z.core.$ZodType | undefined): z.ZodObject | undefined {
  if (schema instanceof z.ZodObject) return schema;
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodNullable || schema instanceof z.ZodOptional)
    return objectOf(schema.unwrap());
  if (schema instanceof z.ZodArray) return objectOf(schema.element);
  return undefined;
}

/** A field's label as people read it; the field's name when no builder describes it. */
export function fieldLabel(name: EntityName, field: string): string {
  return fieldInfo(name, field)?.label ?? field;
}

/** A field's export column heading (see FieldInfo.column). */
export function fieldColumn(name: EntityName, field: string): string {
  return fieldInfo(name, field)?.column ?? field;
}

/** The field that holds the collectivité a record belongs to (null for national entities). */
export function scopeField(name: EntityName): 'id' | 'collectiviteId' | null {
  if (entityDef(name).scope === 'national') return null;
  return name === 'collectivite' ? 'id' : 'collectiviteId';
}

/** The collectivité a record belongs to (null for national records). */
export function scopeOf(name: EntityName, record: Record<string, unknown>): string | null {
  const field = scopeField(name);
  return field ? (record[field] as string) : null;
}

/** Parents before children: the order in which a batch of creations can be applied. */
export const ENTITY_ORDER: readonly EntityName[] = [
  'entreeReference',
  'campagne',
  'collectivite',
  'contact',
  'adhesion',
  'partenariat',
  'ficheProjet',
  'declarationApd',
  'ligneApd',
  'avis',
  'attestationCampagne',
];
