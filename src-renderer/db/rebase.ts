// A local record is always "the server's version, then this device's pending changes on top".
// Recomputing it from `meta` and the outbox after every result or pulled page keeps that true by
// construction: acknowledged changes fold into the base, conflicts fall back to the server value,
// pending edits are never overwritten.
import type { EntityName } from '../../src-shared/registry';
import type { AtlasDb, LocalRecord, MetaRow, OutboxEntry } from './database';

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
  const [meta, entries, rejected] = await Promise.all([
    db.meta.get([entity, id]),
    db.outbox.where('[entity+record]').equals([entity, id]).sortBy('ord'),
    db.rejected.where('[entity+record]').equals([entity, id]).toArray(),
  ]);
  const rejectedCreate = rejected.filter((r) => r.op === 'create').sort((a, b) => a.at.localeCompare(b.at)).pop();
  const rec = deriveRecord(id, meta, entries, rejectedCreate?.proposed ?? null);
  if (rec) await db.records(entity).put(rec);
  else await db.records(entity).delete(id);
}
