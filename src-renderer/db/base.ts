// The device's one rule: a local record is its server version (the base of the three-way merge) with
// this device's pending changes on top. Everything about that base lives here: where it is kept (in
// the record row while the record *is* that version, in a `meta` row while it departs from it), how
// it is read, how a pulled record or an acknowledged change moves it, which base a pending change
// carries, and the one batch rebase that recomputes local records from it and the outbox. The
// repository, the response handler (`sync/apply.ts`) and the repair of a copy (`sync/digest.ts`) all
// go through it, so acknowledged changes fold into the base, conflicts and rejections fall back to the
// server value, and pending edits are never overwritten, by construction.
import { entityFields, type EntityName } from '../../src-shared/registry';
import type { PulledRecord } from '../../src-shared/sync/protocol';
import type { AtlasDb, FieldBase, LocalRecord, MetaRow, OutboxEntry } from './database';
import { bulkGetSparse } from './sparse';

type Key = `${string}|${string}`;
const keyOf = (entity: string, id: string): Key => `${entity}|${id}`;

// ── The server version carried by a record row ─────────────────────────────────────────────────────

/** Keys of the server revision carried by a record row that is its own server version (not schema fields). */
const REV_KEY = '$rev';
const REVS_KEY = '$revs';

/** The record as screens and forms see it: without the revision keys (the schemas are strict). */
export function stripRevs(row: LocalRecord): LocalRecord;
export function stripRevs(row: LocalRecord | undefined): LocalRecord | undefined;
export function stripRevs(row: LocalRecord | undefined): LocalRecord | undefined {
  if (!row || !(REV_KEY in row)) return row;
  const { [REV_KEY]: _r, [REVS_KEY]: _f, ...rec } = row;
  return rec as LocalRecord;
}

/**
 * A record row that is its own server version, with that version's revisions. Only the field
 * revisions that differ from the record's revision are stored (a pulled record rarely has any).
 */
export function embedMeta(rec: LocalRecord, meta: MetaRow): LocalRecord {
  const row: LocalRecord = { ...rec, [REV_KEY]: meta.rev };
  let revs: Record<string, number> | null = null;
  for (const f in rec) {
    if (f === 'id') continue;
    const r = meta.fieldRevs[f];
    if (r !== undefined && r !== meta.rev) (revs ??= {})[f] = r;
  }
  if (revs) row[REVS_KEY] = revs;
  return row;
}

/** The server version carried by a record row (undefined when the row carries none). */
export function embeddedMeta(entity: EntityName, row: LocalRecord | undefined): MetaRow | undefined {
  if (!row || typeof row[REV_KEY] !== 'number') return undefined;
  const rev = row[REV_KEY] as number;
  const revs = (row[REVS_KEY] ?? {}) as Record<string, number>;
  const fields: Record<string, unknown> = {};
  const fieldRevs: Record<string, number> = {};
  for (const f in row) {
    if (f === 'id' || f === REV_KEY || f === REVS_KEY) continue;
    fields[f] = row[f];
    fieldRevs[f] = revs[f] ?? rev;
  }
  return { entity, id: row.id, rev, fieldRevs, fields, deleted: false };
}

// ── Reading server versions ────────────────────────────────────────────────────────────────────────

/** A meta row written without values (before v3): as then, the local record holds them. */
export function withValues(m: MetaRow, current: LocalRecord | undefined): MetaRow {
  if (m.deleted || !current) return { ...m, fields: {} };
  const { id: _id, ...fields } = stripRevs(current);
  return { ...m, fields };
}

/**
 * The server version of a record: its `meta` row when there is one (it always wins), else the one its
 * record row carries. Always with `fields` (`{}` for a tombstone). `row` says which one it was.
 */
export async function readMeta(
  db: AtlasDb,
  entity: EntityName,
  id: string,
): Promise<{ meta: MetaRow | undefined; row: boolean }> {
  const m = await db.meta.get([entity, id]);
  if (m) return { meta: m.fields ? m : withValues(m, await db.records(entity).get(id)), row: true };
  return { meta: embeddedMeta(entity, await db.records(entity).get(id)), row: false };
}

/**
 * `readMeta` for many records of one entity in two bulk reads: meta rows first (they win), then the
 * versions carried by record rows. `rows` receives the keys (`entity|id`) that have a meta row.
 */
export async function readMetas(
  db: AtlasDb,
  entity: EntityName,
  ids: string[],
  rows: Set<string>,
): Promise<(MetaRow | undefined)[]> {
  if (!ids.length) return [];
  const got = await bulkGetSparse(db.meta, entity, ids, () => db.meta.where('entity').equals(entity).primaryKeys());
  const need = ids.filter((_, i) => !got[i]?.fields);
  const recs = need.length ? await db.records(entity).bulkGet(need) : [];
  const current = new Map(need.map((id, i) => [id, recs[i]]));
  return ids.map((id, i) => {
    const m = got[i];
    if (!m) return embeddedMeta(entity, current.get(id));
    rows.add(keyOf(entity, id));
    return m.fields ? m : withValues(m, current.get(id));
  });
}

/**
 * Before the local record first departs from the server version, keep that version in a meta row
 * (the base of the three-way merge and what a conflict or rejection falls back to).
 */
export async function snapshotBase(db: AtlasDb, entity: EntityName, id: string): Promise<MetaRow | undefined> {
  const { meta, row } = await readMeta(db, entity, id);
  if (meta && !row) await db.meta.put(meta);
  return meta;
}

// ── Moving a server version ────────────────────────────────────────────────────────────────────────

/** The server version of a record the device has never had one of. */
function emptyMeta(entity: EntityName, id: string): MetaRow {
  return { entity, id, rev: 0, fieldRevs: {}, fields: {}, deleted: false };
}

/** A copy safe to change (or an empty version). */
function copyMeta(meta: MetaRow | undefined, entity: EntityName, id: string): MetaRow {
  return meta ? { ...meta, fields: { ...meta.fields }, fieldRevs: { ...meta.fieldRevs } } : emptyMeta(entity, id);
}

/** A field's value enters the server version when its revision is at least the one held: the newest write wins. */
function takeField(m: MetaRow, field: string, value: unknown, rev: number): void {
  if (rev >= (m.fieldRevs[field] ?? 0)) {
    m.fields![field] = value;
    m.fieldRevs[field] = rev;
  }
}

/** Merge a pulled record into `meta` field by field (the newest revision of each field wins). `meta` carries its values. */
export function mergePulled(meta: MetaRow | undefined, p: PulledRecord): MetaRow {
  const m = copyMeta(meta, p.entity, p.id);
  if (p.deleted) {
    if (p.rev >= m.rev) {
      // Tombstone: the content is purged (personal data must not linger on devices).
      m.deleted = true;
      m.fields = {};
      m.fieldRevs = {};
      m.rev = p.rev;
    }
    return m;
  }
  if (m.deleted && p.rev > m.rev) m.deleted = false;
  for (const [f, v] of Object.entries(p.fields ?? {})) takeField(m, f, v, p.fieldRevs?.[f] ?? p.rev);
  m.rev = Math.max(m.rev, p.rev);
  return m;
}

/** The server version once it has written `fields` of this device's change at revision `rev`. */
export function mergeWritten(
  meta: MetaRow | undefined,
  entity: EntityName,
  id: string,
  rev: number,
  fields: Record<string, unknown>,
): MetaRow {
  const m = copyMeta(meta, entity, id);
  for (const [f, v] of Object.entries(fields)) takeField(m, f, v, rev);
  m.rev = Math.max(m.rev, rev);
  return m;
}

/** The server version once it has deleted the record at revision `rev` (this device's delete). */
export function mergeDeleted(meta: MetaRow | undefined, entity: EntityName, id: string, rev: number): MetaRow {
  return {
    ...(meta ?? emptyMeta(entity, id)),
    deleted: true,
    fields: {},
    fieldRevs: {},
    rev: Math.max(meta?.rev ?? 0, rev),
  };
}

// ── The base a pending change carries ─────────────────────────────────────────────────────────────

/** The revision of one field in a server version. */
export function fieldRev(meta: MetaRow, field: string): number {
  return meta.fieldRevs[field] ?? meta.rev;
}

/**
 * Base revision for a field edited now: the server field revision, or "pending" (null) when an
 * in-flight change of this device (`frozen`) touched it; its result will give the base.
 */
export function fieldBase(meta: MetaRow | undefined, frozen: readonly OutboxEntry[], field: string): FieldBase {
  for (const e of frozen) {
    if (e.op === 'create' || e.op === 'delete') return null;
    if (field in e.fields) return null;
  }
  if (!meta) return 0;
  return fieldRev(meta, field);
}

/** Base revision for a delete made now: the record's server revision, or "pending" behind an in-flight change. */
export function recordBase(meta: MetaRow | undefined, frozen: readonly OutboxEntry[]): FieldBase {
  if (frozen.length) return null;
  return meta?.rev ?? 0;
}

// ── Server version + pending changes ───────────────────────────────────────────────────────────────

/** The local record: the server version (or a rejected creation's values), then each pending entry in order. */
function deriveRecord(
  id: string,
  meta: MetaRow | undefined,
  entries: readonly OutboxEntry[],
  rejectedCreate: Record<string, unknown> | null,
): LocalRecord | null {
  let rec: LocalRecord | null = null;
  if (meta && !meta.deleted) rec = { ...meta.fields, id };
  else if (!meta && rejectedCreate) rec = { ...rejectedCreate, id };
  for (const e of entries) {
    if (e.op === 'create') rec = { ...(rec ?? {}), ...e.values, id };
    else if (e.op === 'update') {
      if (!rec) continue;
      rec = { ...rec };
      for (const [f, c] of Object.entries(e.fields)) rec[f] = c.value;
    } else rec = null;
  }
  return rec;
}

/**
 * Up to this many keys (an edit, a discarded rejection, a short answer), their outbox entries and
 * rejections are read through the `[entity+record]` index; more (a pulled page), both small tables
 * are read whole, once.
 */
const FEW_KEYS = 16;

/**
 * Recompute and store local records (server version + pending changes) for many keys at once, the
 * only way a local record is rebuilt. `knownMetas`: server versions the caller read or changed (stored
 * again), `metaRows`: which of them have a meta row, `absent`: keys stored nowhere yet (a first
 * import), not looked up. Call inside a transaction covering `db.writeTables()`.
 */
export async function rebaseMany(
  db: AtlasDb,
  keys: Iterable<[EntityName, string]>,
  knownMetas?: Map<string, MetaRow | undefined>,
  metaRows: Set<string> = new Set(),
  absent?: ReadonlySet<string>,
): Promise<void> {
  const byEntity = new Map<EntityName, Set<string>>();
  const pairs: [EntityName, string][] = [];
  for (const [e, id] of keys) {
    let s = byEntity.get(e);
    if (!s) byEntity.set(e, (s = new Set()));
    if (!s.has(id)) pairs.push([e, id]);
    s.add(id);
  }
  if (!byEntity.size) return;
  const few = pairs.length <= FEW_KEYS;
  const outbox = few
    ? (await db.outbox.where('[entity+record]').anyOf(pairs).toArray()).sort((a, b) => a.ord! - b.ord!)
    : await db.outbox.orderBy('ord').toArray();
  const pending = new Map<Key, OutboxEntry[]>();
  for (const e of outbox) {
    const k = keyOf(e.entity, e.record);
    const list = pending.get(k);
    if (list) list.push(e);
    else pending.set(k, [e]);
  }
  const rejectedCreates = new Map<Key, Record<string, unknown>>();
  const rejectedKeys = new Set<Key>();
  const rejected = few
    ? await db.rejected.where('[entity+record]').anyOf(pairs).toArray()
    : await db.rejected.toArray();
  for (const r of rejected) {
    rejectedKeys.add(keyOf(r.entity, r.record));
    if (r.op === 'create' && r.proposed) rejectedCreates.set(keyOf(r.entity, r.record), r.proposed);
  }
  for (const [entity, ids] of byEntity) {
    const list = [...ids];
    // Metas the caller just wrote are passed in: no second read of thousands of rows.
    const unknown = knownMetas ? list.filter((id) => !knownMetas.has(keyOf(entity, id))) : list;
    const read = await readMetas(db, entity, unknown, metaRows);
    const readMap = new Map(unknown.map((id, i) => [id, read[i]]));
    const known = new Set(entityFields(entity));
    const puts: LocalRecord[] = [];
    const dels: string[] = [];
    const metaPuts: MetaRow[] = [];
    const metaDels: [string, string][] = [];
    for (const id of list) {
      const k = keyOf(entity, id);
      const given = knownMetas?.has(k) ?? false;
      const m = given ? knownMetas!.get(k) : readMap.get(id);
      const rec = deriveRecord(id, m, pending.get(k) ?? [], rejectedCreates.get(k) ?? null);
      // Fields this version does not know (a newer server) stay out of the editable record.
      if (rec) for (const f of Object.keys(rec)) if (f !== 'id' && !known.has(f)) delete rec[f];
      if (m && !m.deleted && rec && !pending.has(k) && !rejectedKeys.has(k)) {
        // The record is its own server version: one row carries it, no meta row.
        puts.push(embedMeta(rec, m));
        if (metaRows.has(k)) metaDels.push([entity, id]);
        continue;
      }
      // Server values stay in a meta row while the local record departs from them.
      if (m && (given || !metaRows.has(k))) metaPuts.push(m.deleted ? { ...m, fields: {} } : m);
      if (rec) puts.push(stripRevs(rec));
      else dels.push(id);
    }
    const isAbsent = (id: string) => {
      const k = keyOf(entity, id);
      return (absent?.has(k) ?? false) && !pending.has(k) && !rejectedKeys.has(k);
    };
    if (metaPuts.length) await db.meta.bulkPut(metaPuts);
    if (metaDels.length) await db.meta.bulkDelete(metaDels);
    if (puts.length)
      await db
        .records(entity)
        .bulkPut(puts, absent ? new Set(puts.filter((r) => isAbsent(r.id)).map((r) => r.id)) : undefined);
    const stored = dels.filter((id) => !isAbsent(id));
    if (stored.length) await db.records(entity).bulkDelete(stored);
  }
}
