// The device's offline copy (IndexedDB through Dexie). The `packs` and `loose` tables hold the records
// of every registry entity as the user sees them (server base + pending edits), several records per row
// (packs.ts). The last server version of each record (the base of the three-way merge) is kept in the
// record itself while the record *is* that version (`$rev`, `$revs`), and in a `meta` row while the
// record departs from it (pending or rejected changes) or is a tombstone: a first import writes each
// record once. The outbox, conflicts, rejected changes, drafts and sync state live beside them so one
// Dexie transaction covers a record and its pending change.
import { Dexie, type Table } from 'dexie';
import { ENTITY_NAMES, REGISTRY, type EntityName } from '../../src-shared/registry';
import type { Conflict } from '../../src-shared/sync/protocol';
import { embedMeta } from './base';
import { newSegments, RecordStore, type LocalRecord, type LooseRow, type PackKey, type PackRow } from './packs';

export type { LocalRecord } from './packs';

/**
 * Revision a pending field (or delete) is based on. `null`: based on an earlier change of this device
 * that the server has not acknowledged yet; it becomes a number when that change's result arrives.
 */
export type FieldBase = number | null;

interface OutboxCommon {
  /** Local order (auto-increment): entries are frozen and sent in this order. */
  ord?: number;
  /** Change id (UUIDv7), kept across retries so the server applies the change once. */
  changeId: string;
  entity: EntityName;
  record: string;
  /** Device sequence number, set when a sync cycle freezes the entry; null while it still coalesces. */
  seq: number | null;
  /** Device time of the first edit (informative, and the age of the oldest pending change). */
  createdAt: string;
  updatedAt: string;
  /** Version of the outbox entry shape, migrated with the database. */
  schemaVersion: number;
  /** Conflict ids this change settles. */
  resolves?: string[];
  /** When the change was last saved in a packet file (.atlas-modifs) that may carry it to the server. */
  carriedAt?: string;
}
export interface OutboxCreate extends OutboxCommon {
  op: 'create';
  values: Record<string, unknown>;
}
export interface OutboxUpdate extends OutboxCommon {
  op: 'update';
  fields: Record<string, { value: unknown; base: FieldBase }>;
}
export interface OutboxDelete extends OutboxCommon {
  op: 'delete';
  base: FieldBase;
  /** Device time before which a cycle does not send the delete (a person deleted it: the toast's undo
   *  must get a fair chance, online too). Absent: sent by the next cycle. */
  holdUntil?: string;
}
export type OutboxEntry = OutboxCreate | OutboxUpdate | OutboxDelete;

/**
 * Last server version of a record: values, record revision and each field's revision. Stored as a
 * `meta` row (always with `fields`; `{}` for a tombstone) while the local record departs from it, else
 * carried by the record row (`embedMeta`, db/base.ts). Rows written before v3 may lack `fields` (migrated by v3).
 */
export interface MetaRow {
  entity: EntityName;
  id: string;
  rev: number;
  fieldRevs: Record<string, number>;
  fields?: Record<string, unknown>;
  deleted: boolean;
}

export interface ConflictRow extends Conflict {
  /** Set when a person chose a value: the resolving change is in the outbox. */
  resolvingChangeId?: string | null;
}

export interface RejectedRow {
  changeId: string;
  entity: EntityName;
  record: string;
  op: OutboxEntry['op'];
  /** What the device proposed (create: all values; update: changed fields; delete: null). */
  proposed: Record<string, unknown> | null;
  code: string;
  /** The server's French message (or the device's, for a corrupted local change). */
  message: string;
  at: string;
}

export interface DraftRow {
  key: string;
  value: unknown;
  schemaVersion: number;
  savedAt: string;
}

/** Undo information for a delete that has not been sent yet. */
export interface TrashRow {
  entity: EntityName;
  id: string;
  /** All records removed by one `remove` call share the group of the record the user deleted. */
  group: string;
  snapshot: LocalRecord;
  /** Unsent outbox entries the delete replaced. */
  entries: OutboxEntry[];
  at: string;
}

export interface SyncStateRow {
  key: string;
  value: unknown;
}

export const OUTBOX_SCHEMA_VERSION = 2;
export const DRAFT_SCHEMA_VERSION = 1;

/** Indexes of an entity table of schema v1–v4: id, its scope field, its parent and reference fields. */
function entityIndexes(name: EntityName): string {
  const def = REGISTRY[name] as { scope: string; parent?: { field: string }; references?: { field: string }[] };
  const idx = ['id'];
  if (name !== 'collectivite' && def.scope === 'collectivite') idx.push('collectiviteId');
  if (def.parent) idx.push(def.parent.field);
  for (const r of def.references ?? []) if (!idx.includes(r.field)) idx.push(r.field);
  return idx.join(', ');
}

function entityStores(): Record<string, string> {
  return Object.fromEntries(ENTITY_NAMES.map((n) => [n, entityIndexes(n)]));
}

/**
 * Schema versions. Each one is kept so an installed app upgrades step by step; every upgrade is tested
 * from the version before it with pending changes in place (test/unit/renderer/upgrade.test.ts).
 */
export const SCHEMA_VERSIONS: {
  version: number;
  stores: Record<string, string | null>;
  upgrade?: (tx: import('dexie').Transaction) => Promise<void>;
}[] = [
  {
    version: 1,
    stores: {
      ...entityStores(),
      meta: '[entity+id], entity',
      outbox: '++ord, [entity+record], changeId',
      conflicts: 'id, [entity+record], resolved',
      rejected: 'changeId, [entity+record]',
      drafts: 'key',
      syncState: 'key',
    },
  },
  {
    // v2: outbox entries carry a schema version and their creation time is indexed (oldest pending
    // change); the trash keeps what an unsent delete replaced, for undo.
    version: 2,
    stores: {
      outbox: '++ord, [entity+record], changeId, createdAt',
      trash: '[entity+id], group',
    },
    upgrade: async (tx) => {
      const now = new Date().toISOString();
      await tx
        .table('outbox')
        .toCollection()
        .modify((e: Record<string, unknown>) => {
          if (typeof e.createdAt !== 'string') e.createdAt = typeof e.at === 'string' ? e.at : now;
          if (typeof e.updatedAt !== 'string') e.updatedAt = e.createdAt;
          delete e.at;
          e.schemaVersion = 2;
        });
      await tx
        .table('drafts')
        .toCollection()
        .modify((d: Record<string, unknown>) => {
          if (typeof d.schemaVersion !== 'number') d.schemaVersion = 1;
        });
    },
  },
  {
    // v3: a record that is its own server version carries its revisions ($rev, $revs) instead of a
    // `meta` row without values (half the writes of a first import). Meta rows that stay (pending or
    // rejected changes, tombstones) always hold the server values.
    version: 3,
    stores: {},
    upgrade: async (tx) => {
      const keyOf = (entity: unknown, id: unknown) => `${String(entity)}|${String(id)}`;
      const departing = new Set<string>();
      for (const e of await tx.table('outbox').toArray()) departing.add(keyOf(e.entity, e.record));
      for (const r of await tx.table('rejected').toArray()) departing.add(keyOf(r.entity, r.record));
      const bare = ((await tx.table('meta').toArray()) as MetaRow[]).filter((m) => !m.fields);
      for (const m of bare) {
        const row = (await tx.table(m.entity).get(m.id)) as LocalRecord | undefined;
        if (m.deleted) await tx.table('meta').put({ ...m, fields: {} });
        // v2 showed no record for a value-less meta without its record row: nothing to keep.
        else if (!row) await tx.table('meta').delete([m.entity, m.id]);
        else if (departing.has(keyOf(m.entity, m.id))) {
          // v2 read a value-less meta's server values from the local record: keep them explicitly.
          const { id: _id, ...fields } = row;
          await tx.table('meta').put({ ...m, fields });
        } else {
          await tx.table(m.entity).put(embedMeta(row, m));
          await tx.table('meta').delete([m.entity, m.id]);
        }
      }
    },
  },
  {
    // v4: records move into packs, several records per row, and loose rows (packs.ts): the national
    // import writes 5,000 rows instead of 64,000. Pending changes, meta rows and the rest are untouched.
    version: 4,
    stores: { packs: '[entity+bucket+seg], *ids', loose: '[entity+id], [entity+bucket]' },
    upgrade: async (tx) => {
      for (const n of ENTITY_NAMES) {
        const rows = (await tx.table(n).toArray()) as LocalRecord[];
        if (rows.length) await tx.table('packs').bulkAdd(newSegments(n, rows));
      }
    },
  },
  {
    // v5: the per-entity tables, emptied into packs by v4, go (a separate version: v4 reads them).
    version: 5,
    stores: Object.fromEntries(ENTITY_NAMES.map((n) => [n, null])),
  },
];
export const DB_VERSION = SCHEMA_VERSIONS[SCHEMA_VERSIONS.length - 1]!.version;

export class AtlasDb extends Dexie {
  declare packs: Table<PackRow, PackKey>;
  declare loose: Table<LooseRow, [EntityName, string]>;
  declare meta: Table<MetaRow, [string, string]>;
  declare outbox: Table<OutboxEntry, number>;
  declare conflicts: Table<ConflictRow, string>;
  declare rejected: Table<RejectedRow, string>;
  declare drafts: Table<DraftRow, string>;
  declare syncState: Table<SyncStateRow, string>;
  declare trash: Table<TrashRow, [string, string]>;

  constructor(
    name = 'atlas-hors-ligne',
    opts?: { indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange; upTo?: number },
  ) {
    super(name, opts?.indexedDB ? { indexedDB: opts.indexedDB, IDBKeyRange: opts.IDBKeyRange } : undefined);
    for (const v of SCHEMA_VERSIONS) {
      if (opts?.upTo !== undefined && v.version > opts.upTo) break;
      const s = this.version(v.version).stores(v.stores);
      if (v.upgrade) s.upgrade(v.upgrade);
    }
  }

  private stores = new Map<EntityName, RecordStore>();

  /** The records of one entity (schema v4 and later). */
  records(entity: EntityName): RecordStore {
    let s = this.stores.get(entity);
    if (!s) this.stores.set(entity, (s = new RecordStore(this.packs, this.loose, entity)));
    return s;
  }

  /** Every table a write touches, for `transaction('rw', db.writeTables(), …)`. */
  writeTables(): Table[] {
    return [this.packs, this.loose, this.meta, this.outbox, this.conflicts, this.rejected, this.trash, this.syncState];
  }
}

let current: AtlasDb | null = null;

/** The app's database (opened lazily). Tests swap it with `setDb`. */
export function getDb(): AtlasDb {
  if (!current) current = new AtlasDb();
  return current;
}

export function setDb(db: AtlasDb | null): void {
  current = db;
}

/**
 * The copy the screens read (db/hooks.ts, the default repository, db/pending.ts): the app's own, or, while
 * the viewer shows a snapshot (sync/viewer.ts), that snapshot's temporary copy. The sync engine and the
 * session never read through here: they keep the app's own database whatever the screens show.
 */
let viewed: AtlasDb | null = null;
export function screensDb(): AtlasDb {
  return viewed ?? getDb();
}
export function setScreensDb(db: AtlasDb | null): void {
  viewed = db;
}

// Local write notifications: the sync engine schedules a cycle shortly after an edit.
type WriteListener = () => void;
const writeListeners = new Set<WriteListener>();
export function onLocalWrite(listener: WriteListener): () => void {
  writeListeners.add(listener);
  return () => writeListeners.delete(listener);
}
export function notifyLocalWrite(): void {
  for (const l of writeListeners) {
    try {
      l();
    } catch {
      /* a listener's failure must not break a write */
    }
  }
}
