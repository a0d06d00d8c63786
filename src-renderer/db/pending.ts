// What waits on this device, for the synchronisation screen: each pending change with the record it
// touches, and the deletes that can still be undone (their trash rows, while the delete is unsent).
import { useLiveQuery } from 'dexie-react-hooks';
import type { EntityName } from '../../src-shared/registry';
import { stripRevs } from './base';
import { screensDb, type AtlasDb, type LocalRecord, type OutboxEntry } from './database';

export interface PendingChange {
  changeId: string;
  entity: EntityName;
  record: string;
  op: OutboxEntry['op'];
  /** Fields the change writes (all of them for a creation, none for a delete). */
  fields: string[];
  /** Device time of the first edit in this change. */
  createdAt: string;
  /** Taken by a sync cycle: sent at least once, waiting for the server's answer. */
  sent: boolean;
  /** When it was last saved in a packet file (.atlas-modifs), if it was. */
  carriedAt: string | null;
  /** The record as this device has it (for a delete: as it was before), or null when unknown. */
  rec: Record<string, unknown> | null;
  /** The parent record, where the record's form is reached through it (an APD line's declaration). */
  parent: Record<string, unknown> | null;
}

export interface UndoableDelete {
  entity: EntityName;
  id: string;
  at: string;
  snapshot: LocalRecord;
  /** Records removed with it (children), brought back with it. */
  children: number;
}

async function recordOf(db: AtlasDb, e: OutboxEntry): Promise<Record<string, unknown> | null> {
  const live = stripRevs(await db.records(e.entity).get(e.record));
  if (live) return live;
  const trashed = await db.trash.get([e.entity, e.record]);
  if (trashed) return trashed.snapshot;
  const meta = await db.meta.get([e.entity, e.record]);
  return meta?.fields ? { ...meta.fields, id: e.record } : e.op === 'create' ? { ...e.values, id: e.record } : null;
}

export async function listPendingChanges(db: AtlasDb = screensDb()): Promise<PendingChange[]> {
  const entries = await db.outbox.orderBy('ord').toArray();
  return Promise.all(
    entries.map(async (e) => {
      const rec = await recordOf(db, e);
      const declarationId = e.entity === 'ligneApd' ? rec?.declarationApdId : undefined;
      const parent =
        typeof declarationId === 'string'
          ? (stripRevs(await db.records('declarationApd').get(declarationId)) ?? null)
          : null;
      return {
        changeId: e.changeId,
        entity: e.entity,
        record: e.record,
        op: e.op,
        fields: e.op === 'create' ? Object.keys(e.values) : e.op === 'update' ? Object.keys(e.fields) : [],
        createdAt: e.createdAt,
        sent: e.seq !== null,
        carriedAt: e.carriedAt ?? null,
        rec,
        parent,
      };
    }),
  );
}

/** Deletes `repository.undoRemove` would still bring back: the record's own, none of its group sent. */
export async function listUndoableDeletes(db: AtlasDb = screensDb()): Promise<UndoableDelete[]> {
  const rows = await db.trash.toArray();
  const sentDeletes = new Set(
    (await db.outbox.filter((e) => e.op === 'delete' && e.seq !== null).toArray()).map(
      (e) => `${e.entity}:${e.record}`,
    ),
  );
  const blocked = new Set(rows.filter((r) => sentDeletes.has(`${r.entity}:${r.id}`)).map((r) => r.group));
  return rows
    .filter((r) => r.group === `${r.entity}:${r.id}` && !blocked.has(r.group))
    .map((r) => ({
      entity: r.entity,
      id: r.id,
      at: r.at,
      snapshot: r.snapshot,
      children: rows.filter((x) => x.group === r.group).length - 1,
    }))
    .sort((a, b) => b.at.localeCompare(a.at));
}

export function usePendingChanges(): PendingChange[] | undefined {
  return useLiveQuery(() => listPendingChanges(), []);
}

export function useUndoableDeletes(): UndoableDelete[] | undefined {
  return useLiveQuery(() => listUndoableDeletes(), []);
}
