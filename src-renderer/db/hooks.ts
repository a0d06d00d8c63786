// Live views of the offline copy for the screens (they re-render when the data changes).
import { useLiveQuery } from 'dexie-react-hooks';
import type { EntityName, EntityRecord } from '../../src-shared/registry';
import {
  choicesFor,
  libelleAffiche,
  sortEntries,
  type EntreeReference,
  type ListeReference,
} from '../../src-shared/domain/entreeReference';
import { DRAFT_SCHEMA_VERSION, screensDb, type AtlasDb, type ConflictRow, type RejectedRow } from './database';
import { repository, type RecordFilter } from './repository';

export type RecordStatus = 'synced' | 'pending' | 'conflict' | 'rejected';

/** Status of one record: a conflict or a rejection needs a person, so it wins over "pending". */
export async function recordStatus(entity: EntityName, id: string, db: AtlasDb = screensDb()): Promise<RecordStatus> {
  const key = [entity, id];
  const [conflicts, rejected, pending] = await Promise.all([
    db.conflicts
      .where('[entity+record]')
      .equals(key)
      .filter((c) => !c.resolved && !c.resolvingChangeId)
      .count(),
    db.rejected.where('[entity+record]').equals(key).count(),
    db.outbox.where('[entity+record]').equals(key).count(),
  ]);
  if (conflicts) return 'conflict';
  if (rejected) return 'rejected';
  if (pending) return 'pending';
  return 'synced';
}

/** Live list of an entity's records; `enabled: false` reads nothing yet (undefined) — a screen that defers a big read. */
export function useRecords<N extends EntityName>(
  entity: N,
  filter?: RecordFilter,
  opts: { enabled?: boolean } = {},
): EntityRecord<N>[] | undefined {
  const dep = typeof filter === 'function' ? filter : JSON.stringify(filter ?? null);
  const enabled = opts.enabled ?? true;
  return useLiveQuery(async () => (enabled ? repository.list(entity, filter) : undefined), [entity, dep, enabled]);
}

/** Live number of an entity's records (read, but neither sorted nor copied for the screen). */
export function useRecordCount(entity: EntityName): number | undefined {
  return useLiveQuery(() => screensDb().records(entity).count(), [entity]);
}

export function useRecord<N extends EntityName>(entity: N, id: string | null | undefined): EntityRecord<N> | undefined {
  // A live query answers with the previous id's record until the new one is read: never show that one.
  const got = useLiveQuery(
    async () => ({ entity, id, rec: id ? await repository.get(entity, id) : undefined }),
    [entity, id],
  );
  return got && got.entity === entity && got.id === id ? got.rec : undefined;
}

export function useRecordStatus(entity: EntityName, id: string | null | undefined): RecordStatus | undefined {
  return useLiveQuery(() => (id ? recordStatus(entity, id) : undefined), [entity, id]);
}

/** Live `repository.serverRevision`: undefined while loading, null when the device holds no server version. */
export function useServerRevision(entity: EntityName, id: string | null | undefined): number | null | undefined {
  const got = useLiveQuery(
    async () => ({ entity, id, rev: id ? await repository.serverRevision(entity, id) : null }),
    [entity, id],
  );
  return got && got.entity === entity && got.id === id ? got.rev : undefined;
}

/**
 * Live `repository.serverRevisions`: the server revision of each record of `entity` whose id is in `ids`
 * (null where the device holds no server version); undefined while loading or while `ids` is.
 */
export function useServerRevisions(
  entity: EntityName,
  ids: readonly string[] | undefined,
): ReadonlyMap<string, number | null> | undefined {
  const key = ids?.join(',');
  const got = useLiveQuery(
    async () => ({ entity, key, revs: ids ? await repository.serverRevisions(entity, ids) : undefined }),
    [entity, key],
  );
  // A live query answers with the previous ids' revisions until the new ones are read: never show those.
  return got && got.entity === entity && got.key === key ? got.revs : undefined;
}

/** Open conflicts (not yet settled by a person). */
export function useConflicts(): ConflictRow[] | undefined {
  return useLiveQuery(
    () =>
      screensDb()
        .conflicts.filter((c) => !c.resolved)
        .toArray(),
    [],
  );
}

export function useRejected(): RejectedRow[] | undefined {
  return useLiveQuery(() => screensDb().rejected.toArray(), []);
}

export async function saveDraft(key: string, value: unknown): Promise<void> {
  await screensDb().drafts.put({ key, value, schemaVersion: DRAFT_SCHEMA_VERSION, savedAt: new Date().toISOString() });
}

export async function clearDraft(key: string): Promise<void> {
  await screensDb().drafts.delete(key);
}

/** A form's saved draft (undefined while loading, null when none). */
export function useDraft<T = unknown>(key: string): { value: T; savedAt: string } | null | undefined {
  return useLiveQuery(async () => {
    const d = await screensDb().drafts.get(key);
    return d ? { value: d.value as T, savedAt: d.savedAt } : null;
  }, [key]);
}

/** A reference list as the device's copy holds it (issue 15): the DAECT's entries, synced like any record. */
export interface Reference {
  /** Every entry, retired ones included, in reading order. */
  entries: EntreeReference[];
  /** The entries a new value may take (not retired). */
  current: EntreeReference[];
  /** A code's label, « (retiré) » after a retired entry's; the code itself when unknown. */
  libelle(code: string): string;
  /** A form's choices: the current entries plus the retired ones `selected` names, marked « (retiré) ». */
  choices(selected?: readonly string[]): { value: string; label: string }[];
}

export function referenceOf(all: readonly EntreeReference[], liste: ListeReference): Reference {
  const entries = sortEntries(all.filter((e) => e.liste === liste));
  return {
    entries,
    current: entries.filter((e) => !e.retiree),
    libelle: (code) => libelleAffiche(entries, code),
    choices: (selected = []) => choicesFor(entries, selected),
  };
}

/** Live reference list (thématiques, réseaux); undefined while loading. */
export function useReference(liste: ListeReference): Reference | undefined {
  return useLiveQuery(async () => referenceOf(await repository.list('entreeReference'), liste), [liste]);
}
