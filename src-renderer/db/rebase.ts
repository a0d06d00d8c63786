// A local record is always "the server's version, then this device's pending changes on top".
// Recomputing it from `meta` and the outbox after every result or pulled page keeps that true by
// construction: acknowledged changes fold into the base, conflicts fall back to the server value,
// pending edits are never overwritten.
import type { EntityName } from '../../src-shared/registry';
import type { AtlasDb, LocalRecord, MetaRow, OutboxEntry } from './database';

/** The server's values of a record: from meta, or (when meta keeps none) the local record itself. */
export function serverFields(meta: MetaRow, current: LocalRecord | null | undefined): Record<string, unknown> {
  if (meta.fields) return meta.fields;
  if (!current) return {};
  const { id: _id, ...rest } = current;
  return rest;
}

/**
 * Before the local record first departs from the server version, keep the server values in meta
 * (the base of the three-way merge and what a conflict or rejection falls back to).
 */
export async function snapshotBase(db: AtlasDb, entity: EntityName, id: string, meta: MetaRow | undefined): Promise<MetaRow | undefined> {
  if (!meta || meta.deleted || meta.fields) return meta;
  const snap: MetaRow = { ...meta, fields: serverFields(meta, await db.records(entity).get(id)) };
  await db.meta.put(snap);
  return snap;
}

export function deriveRecord(
  id: string,
  meta: MetaRow | undefined,
  entries: readonly OutboxEntry[],
  rejectedCreate: Record<string, unknown> | null,
  current?: LocalRecord | null,
): LocalRecord | null {
  let rec: LocalRecord | null = null;
  if (meta && !meta.deleted) rec = meta.fields ? { ...meta.fields, id } : current ? { ...current } : null;
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
  const [meta, entries, rejected, current] = await Promise.all([
    db.meta.get([entity, id]),
    db.outbox.where('[entity+record]').equals([entity, id]).sortBy('ord'),
    db.rejected.where('[entity+record]').equals([entity, id]).toArray(),
    db.records(entity).get(id),
  ]);
  const rejectedCreate = rejected.filter((r) => r.op === 'create').sort((a, b) => a.at.localeCompare(b.at)).pop();
  const rec = deriveRecord(id, meta, entries, rejectedCreate?.proposed ?? null, current);
  if (rec) await db.records(entity).put(rec);
  else await db.records(entity).delete(id);
}
