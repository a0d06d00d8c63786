// The sync protocol: one request per cycle carries the device's pending changes and its cursor;
// the response carries a result per change and a page of what changed in the device's scope.
// The same shapes travel over HTTP (POST /api/v1/sync) and, later, inside signed files.
import { z } from 'zod';
import { ENTITY_NAMES } from '../registry';
import { DIGEST_BUCKETS } from './digest';

export const PROTOCOL_VERSION = 1;
/** Versions the server accepts: the current one and, once there is one, the previous one. */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly number[] = [1];

export const MAX_CHANGES_PER_REQUEST = 500;
/** Buckets repaired per request at most (a région's bucket holds ~40 records, the nation's ~250). */
export const MAX_REPAIR_BUCKETS = 32;
export const DEFAULT_PULL_LIMIT = 2_000;
export const MAX_PULL_LIMIT = 5_000;

const id = z.uuid({ error: 'Identifiant invalide.' });
/** Revisions come from one global server sequence; a cursor is the last revision a device has seen. */
export const rev = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
export const cursor = z.string().regex(/^\d{1,16}$/, { error: 'Curseur de synchronisation invalide.' });

export const entityName = z.enum(ENTITY_NAMES, { error: 'Type d’enregistrement inconnu.' });

const changeBase = {
  /** Change id (UUIDv7): the server remembers it, so a retry or a replayed file applies it once. */
  id,
  /** Per-device sequence number, strictly increasing: changes of one device apply in this order. */
  seq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  entity: entityName,
  record: id,
  /** Device time when the change was made: informative only, never used for ordering. */
  at: z.string().max(40).optional(),
};

/** Deepest nesting a field value may have (entity values are at most an array of objects: depth 3). */
export const MAX_VALUE_DEPTH = 16;

/** Nesting depth of a JSON value, without recursion (a hostile value may nest thousands of levels). */
export function valueDepth(value: unknown, limit = MAX_VALUE_DEPTH): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const depth = d + 1;
    if (depth > max) max = depth;
    if (max > limit) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth]);
  }
  return max;
}

/** Any field value, as sent: checked against its field's schema by the server, but never deeper than MAX_VALUE_DEPTH. */
export const fieldValue = z.unknown().refine((v) => valueDepth(v) <= MAX_VALUE_DEPTH, {
  error: `Valeur trop imbriquée (${MAX_VALUE_DEPTH} niveaux au plus).`,
});
/** Field names are identifiers: anything else is not a field of the Atlas (and would be echoed in messages). */
export const fieldName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, { error: 'Nom de champ invalide.' });

/** One changed field: its new value and the revision of that field the device based it on. */
export const fieldChange = z.strictObject({ value: fieldValue, base: rev });

export const createChange = z.strictObject({
  ...changeBase,
  op: z.literal('create'),
  /** All fields of the new record except `id` (which is `record`). */
  fields: z.record(fieldName, fieldValue),
});
export const updateChange = z.strictObject({
  ...changeBase,
  op: z.literal('update'),
  fields: z.record(fieldName, fieldChange),
  /** Conflicts this change settles (a person chose or typed the value on the conflicts screen). */
  resolves: z.array(id).max(100).optional(),
});
export const deleteChange = z.strictObject({
  ...changeBase,
  op: z.literal('delete'),
  /** Revision of the record the device saw when deleting: a later edit elsewhere makes it a conflict. */
  base: rev,
  resolves: z.array(id).max(100).optional(),
});
export const change = z.discriminatedUnion('op', [createChange, updateChange, deleteChange]);
export type Change = z.infer<typeof change>;
export type CreateChange = z.infer<typeof createChange>;
export type UpdateChange = z.infer<typeof updateChange>;
export type DeleteChange = z.infer<typeof deleteChange>;

export const syncRequest = z.strictObject({
  v: z.number().int(),
  cursor,
  /**
   * The cursor from which the device's copy is complete: where its last full pull (one that ended with
   * `more: false`) stopped. While it pages through a long pull, `cursor` moves and `since` does not: a
   * record known to the device only as of `since` is sent with every field changed after `since`, whole
   * if it was created or entered the scope after it. Absent: equal to `cursor` (older apps).
   */
  since: cursor.optional(),
  changes: z.array(change).max(MAX_CHANGES_PER_REQUEST, {
    error: `Trop de modifications dans un même envoi (${MAX_CHANGES_PER_REQUEST} au plus).`,
  }),
  /** Page size wished for the pull part. */
  limit: z.number().int().min(1).max(MAX_PULL_LIMIT).optional(),
  /**
   * The device's digest of its copy of the scope at `cursor` (src-shared/sync/digest.ts), sent now and
   * then when it believes it is caught up: the server answers with its bucket digests if they differ.
   */
  digest: z
    .string()
    .regex(/^[0-9a-f]{16}$/, { error: 'Empreinte invalide.' })
    .optional(),
  /** Buckets whose records the device asks for again, whole (they differed from the server's). */
  repair: z
    .array(
      z
        .number()
        .int()
        .min(0)
        .max(DIGEST_BUCKETS - 1),
    )
    .max(MAX_REPAIR_BUCKETS)
    .optional(),
});
export type SyncRequest = z.infer<typeof syncRequest>;

// Responses are read with z.object (unknown keys dropped), requests with z.strictObject (unknown keys
// refused): a device may run an older app than the server for weeks, and a field a newer server adds
// must not stop it from syncing or logging in. Bad input is what a client sends, not what it receives.
export const CHANGE_STATUSES = ['applied', 'merged', 'conflict', 'rejected'] as const;
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];

/** Why the server refuses a change; the French `message` beside it says it to people. */
export const REJECTION_CODES = [
  'VALIDATION', // a field breaks the entity's schema
  'FORBIDDEN', // the role may not write this entity
  'OUT_OF_SCOPE', // the record (or a linked one) belongs to another collectivité or région
  'UNKNOWN_RECORD', // an update or delete of a record the server never had
  'PARENT_MISSING', // the collectivité or the record it hangs on does not exist
  'HAS_CHILDREN', // a delete of a record others still point to
  'NATURAL_KEY_ID', // a record keyed by its natural key was sent with another id
  'SEQ_REPLAY', // a device sequence number already used by a different change
  'READ_ONLY_FIELD', // a field only the server or another role writes
  'NOT_DELETABLE', // an entity that is never deleted (a collectivité)
  'ALREADY_EXISTS', // a create of an id that is taken, or a second record where one is allowed (registry `unique`)
  'CAMPAIGN_CLOSED', // an attestation of a campaign closed (or not open yet) on the server's French day
  'OTHER', // a code this version of the app does not know yet (a newer server)
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];
/** A newer server may refuse for a reason this app does not know: read as OTHER, its message still shown. */
const rejectionCode = z.enum(REJECTION_CODES).catch('OTHER');

export const changeResult = z.object({
  id,
  /**
   * applied: written as sent. merged: written, and other fields had changed elsewhere (or the value was
   * already there). conflict: at least one field (or the delete) was kept for a person to decide.
   * rejected: refused (validation, rights…), nothing written; `code` and French `message` say why.
   */
  status: z.enum(CHANGE_STATUSES),
  /** Record revision after the change (applied, merged, conflict). */
  rev: rev.optional(),
  /** Ids of the conflicts created (status conflict); they also arrive in `conflicts`. */
  conflicts: z.array(id).optional(),
  /** Why a change was rejected (see REJECTION_CODES). */
  code: rejectionCode.optional(),
  message: z.string().max(2_000).optional(),
  /** True when this change was already applied earlier (retry, replayed file): the stored result is returned. */
  duplicate: z.boolean().optional(),
});
export type ChangeResult = z.infer<typeof changeResult>;

/** A record as pulled: the fields changed since the cursor, with each field's revision. */
export const pulledRecord = z.object({
  entity: entityName,
  id,
  rev,
  /** Changed fields (all of them for a record new to the device). Absent for a tombstone. */
  fields: z.record(z.string(), z.unknown()).optional(),
  /** Revision of each field in `fields`, where it differs from `rev`. */
  fieldRevs: z.record(z.string(), rev).optional(),
  deleted: z.literal(true).optional(),
  /** With `deleted`: the record still exists but left the device's scope (its collectivité changed région). */
  left: z.literal(true).optional(),
});
export type PulledRecord = z.infer<typeof pulledRecord>;

export const CONFLICT_KINDS = ['field', 'edit_delete', 'delete_edit', 'natural_key'] as const;
export type ConflictKind = (typeof CONFLICT_KINDS)[number];
export const CONFLICT_KIND_LABELS: Record<ConflictKind, string> = {
  field: 'Le même champ a été modifié sur deux postes.',
  edit_delete: 'Cet enregistrement a été modifié sur un poste et supprimé sur un autre.',
  delete_edit: 'Cet enregistrement a été supprimé sur un poste alors qu’il avait été modifié sur un autre.',
  natural_key: 'Cet enregistrement a été créé deux fois hors ligne (même clé) avec des valeurs différentes.',
};

/**
 * A conflict kept on the server until a person resolves it. For `field` and `natural_key`, `field` names
 * the field; for edit/delete kinds, `field` is null and the values are whole records (null = deleted).
 */
export const conflict = z.object({
  id,
  rev,
  entity: entityName,
  record: id,
  kind: z.enum(CONFLICT_KINDS),
  field: z.string().nullable(),
  /** Value kept on the server, and the other value, proposed by the change that met it. */
  serverValue: z.unknown(),
  proposedValue: z.unknown(),
  proposedBy: z.string().max(200),
  proposedAt: z.string().max(40),
  serverBy: z.string().max(200).nullable(),
  /**
   * When the server value was written (the record's last write before the conflicting change), or null
   * when the server has no trace of it (seeded data). Optional: servers before it did not send it.
   */
  serverAt: z.string().max(40).nullable().optional(),
  resolved: z.boolean(),
  resolvedBy: z.string().max(200).nullable().optional(),
});
export type Conflict = z.infer<typeof conflict>;

export const syncResponse = z.object({
  v: z.number().int(),
  results: z.array(changeResult),
  changes: z.array(pulledRecord),
  /** Conflicts of the scope created or resolved since the cursor. */
  conflicts: z.array(conflict),
  cursor,
  /** More pages wait: the device applies this one, then asks again from `cursor`. */
  more: z.boolean(),
  /**
   * The `since` the device keeps after this page: `cursor` once the pull has ended with nothing of its
   * scope written above it, else the request's `since`. A pull that stops below a revision still in
   * flight (the watermark) ends with `more: false` while records edited above it are not in the copy
   * yet: the copy is not complete there. Absent (older servers): `cursor` when `more` is false.
   */
  since: cursor.optional(),
  /**
   * On a page of a first pull (the request's `since` is 0) that says `more`: how many records of the
   * scope remain to pull after this page, below this page's watermark. For the progress shown to people
   * (« 12 000 enregistrements sur 65 000 »), never for the logic. Absent: unknown (older servers).
   */
  remaining: z.number().int().nonnegative().optional(),
  /** Server time, to tell a user whose clock is years off; never used for ordering. */
  serverTime: z.string(),
  /**
   * The answer to the request's `digest`, when the server could compare (nothing left to pull): whether
   * the copies match and, if not, the server's digest of each bucket.
   */
  digest: z.object({ match: z.boolean(), buckets: z.array(z.string()).optional() }).optional(),
  /** The answer to `repair`: every live record of those buckets in the scope, whole. */
  repair: z.object({ buckets: z.array(z.number().int()), changes: z.array(pulledRecord) }).optional(),
});
export type SyncResponse = z.infer<typeof syncResponse>;
