// A local record is always "the server's version, then this device's pending changes on top".
// Recomputing it from the server version and the outbox after every result or pulled page keeps that
// true by construction: acknowledged changes fold into the base, conflicts fall back to the server
// value, pending edits are never overwritten.
import type { EntityName } from '../../src-shared/registry';
import { embeddedMeta, embedMeta, stripRevs, type AtlasDb, type LocalRecord, type MetaRow, type OutboxEntry } from './database';

/**
 * The server version of a record: its `meta` row when there is one (it always wins), else the one its
 * record row carries. Always with `fields` (`{}` for a tombstone). `row` says which one it was.
 */
export async function readMeta(db: AtlasDb, entity: EntityName, id: string): Promise<{ meta: MetaRow | undefined; row: boolean }> {
  const m = await db.meta.get([entity, id]);
  if (m) return { meta: m.fields ? m : withValues(m, await db.records(entity).get(id)), row: true };
  return { meta: embeddedMeta(entity, await db.records(entity).get(id)), row: false };
}

/** A meta row written without values (before v3): as then, the local record holds them. */
export function withValues(m: MetaRow, current: LocalRecord | undefined): MetaRow {
  if (m.deleted || !current) return { ...m, fields: {} };
  const { id: _id, ...fields } = stripRevs(current);
  return { ...m, fields };
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

export function deriveRecord(
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

/** Recompute and store one local record. Call inside a transaction covering its table, meta, outbox, rejected. */
export async function rebaseRecord(db: AtlasDb, entity: EntityName, id: string): Promise<void> {
  const [{ meta, row }, entries, rejected] = await Promise.all([
    readMeta(db, entity, id),
    db.outbox.where('[entity+record]').equals([entity, id]).sortBy('ord'),
    db.rejected.where('[entity+record]').equals([entity, id]).toArray(),
  ]);
  const rejectedCreate = rejected.filter((r) => r.op === 'create').sort((a, b) => a.at.localeCompare(b.at)).pop();
  const rec = deriveRecord(id, meta, entries, rejectedCreate?.proposed ?? null);
  if (meta && !meta.deleted && rec && !entries.length && !rejected.length) {
    // Its own server version again: the row carries the revisions, the meta row goes.
    await db.records(entity).put(embedMeta(rec, meta));
    if (row) await db.meta.delete([entity, id]);
    return;
  }
  if (meta && !row) await db.meta.put(meta);
  if (rec) await db.records(entity).put(stripRevs(rec));
  else await db.records(entity).delete(id);
}
