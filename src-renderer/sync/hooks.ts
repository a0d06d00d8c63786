// Live sync status and session for the screens. "Synced" is only what the server acknowledged:
// pendingCount counts every change still in the outbox, sent or not.
import { useLiveQuery } from 'dexie-react-hooks';
import { useSyncExternalStore } from 'react';
import { getDb } from '../db/database';
import { FIRST_PULL_KEY } from './apply';
import { getSyncEngine, type RuntimeStatus } from './engine';
import { useSession } from './sessionHook';

export interface SyncStatus {
  online: boolean;
  syncing: boolean;
  pendingCount: number;
  /** Device time of the oldest change the server has not acknowledged (ISO), or null. */
  oldestPendingAt: string | null;
  /** Last successful cycle (ISO), or null. */
  lastSyncAt: string | null;
  lastError: string | null;
  progress: RuntimeStatus['progress'];
  conflictCount: number;
  rejectedCount: number;
  nextRetryAt: string | null;
  sessionExpired: boolean;
  clockWarning: string | null;
}

interface Persisted {
  pendingCount: number;
  oldestPendingAt: string | null;
  lastSyncAt: string | null;
  lastError: string | null;
  conflictCount: number;
  rejectedCount: number;
}

async function readPersistedStatus(): Promise<Persisted> {
  const db = getDb();
  const [pendingCount, oldest, lastSync, lastError, conflictCount, rejectedCount] = await Promise.all([
    db.outbox.count(),
    db.outbox.orderBy('createdAt').first(),
    db.syncState.get('lastSyncAt'),
    db.syncState.get('lastError'),
    db.conflicts.filter((c) => !c.resolved && !c.resolvingChangeId).count(),
    db.rejected.count(),
  ]);
  const err = lastError?.value as { message?: string } | null | undefined;
  return {
    pendingCount,
    oldestPendingAt: oldest?.createdAt ?? null,
    lastSyncAt: (lastSync?.value as string | undefined) ?? null,
    lastError: err?.message ?? null,
    conflictCount,
    rejectedCount,
  };
}

export function useSyncStatus(): SyncStatus {
  const engine = getSyncEngine();
  const rt = useSyncExternalStore(engine.subscribe, engine.getStatus, engine.getStatus);
  const p = useLiveQuery(readPersistedStatus, []);
  const session = useSession();
  return {
    online: rt.online,
    syncing: rt.syncing,
    pendingCount: p?.pendingCount ?? 0,
    oldestPendingAt: p?.oldestPendingAt ?? null,
    lastSyncAt: p?.lastSyncAt ?? null,
    // The engine's own message is fresher; after a reload, the stored one still tells what went wrong.
    lastError: rt.lastError ?? (rt.syncing ? null : (p?.lastError ?? null)),
    progress: rt.progress,
    conflictCount: p?.conflictCount ?? 0,
    rejectedCount: p?.rejectedCount ?? 0,
    nextRetryAt: rt.nextRetryAt,
    sessionExpired: rt.sessionExpired || session?.status === 'expired',
    clockWarning: rt.clockWarning,
  };
}

/**
 * Whether this device's copy has been complete once: 'waiting' from the login until the first pull has
 * paged to its end (the screens then show the first sync's progress rather than an empty copy read as
 * « nothing to do »), 'complete' after; 'unknown' for the instant the stored state is being read. A copy
 * kept by an app from before the mark counts as complete once it has a `since` (SyncRequest.since).
 */
export function useFirstSync(): 'unknown' | 'waiting' | 'complete' {
  const done = useLiveQuery(async () => {
    const db = getDb();
    const [first, since] = await Promise.all([db.syncState.get(FIRST_PULL_KEY), db.syncState.get('since')]);
    return first !== undefined || (since !== undefined && String(since.value) !== '0');
  }, []);
  return done === undefined ? 'unknown' : done ? 'complete' : 'waiting';
}

export { useSession };
