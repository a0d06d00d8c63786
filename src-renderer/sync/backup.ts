// The backup of pending changes, for a wiped offline copy. A few seconds after the outbox changes (and
// when the page is hidden or closed), the device's sendable pending changes are written as a signed packet
// (./packet.ts, `backup: true`: nothing frozen, nothing marked carried) where the loss of IndexedDB does not
// reach: the desktop's data folder, the browser's Origin Private File System (host.backup). An empty outbox
// clears it. At login on a fresh copy (no cursor, empty outbox), a backup of this account is offered: sent
// through POST /api/v1/paquets, the server applies it as its author (a change it already has is « déjà
// connue »: harmless), then the first sync brings it back as the server holds it.
import { liveQuery } from 'dexie';
import { readParts } from '../../src-shared/files/container';
import { packetPayload } from '../../src-shared/files/packet';
import { syncEndpoints, type PacketImportResponse } from '../../src-shared/api/sync';
import { getDb, type AtlasDb } from '../db/database';
import { getHost, type HostBridge } from '../host';
import { bytesToBase64 } from '../api/base64';
import { nextHoldEnd } from './apply';
import { buildPacket } from './packet';
import { getSession, type SessionManager } from './session';
import { callWithSession } from './sessionCall';

export const BACKUP_DEBOUNCE_MS = 2_000;

interface Deps {
  db?: AtlasDb;
  session?: SessionManager;
  host?: HostBridge;
  debounceMs?: number;
  log?: (m: string) => void;
}

/**
 * Keeps the backup in step with the outbox until the returned stop is called. Writes never overlap; a
 * failure is logged and retried at the next change (the outbox itself is the data; the backup a safety net).
 */
export function startBackups(deps: Deps = {}): () => void {
  const db = deps.db ?? getDb();
  const session = deps.session ?? getSession();
  const host = deps.host ?? getHost();
  const debounce = deps.debounceMs ?? BACKUP_DEBOUNCE_MS;
  const log = deps.log ?? ((m: string) => console.warn(m));
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  const run = async (): Promise<void> => {
    const s = await session.current();
    if (!s) return;
    const packet = await buildPacket(db, session, new Date(), { backup: true });
    if (packet) await host.backup.write(s.user.id, packet.bytes);
    else if ((await db.outbox.count()) === 0) await host.backup.clear(s.user.id);
    // Otherwise only changes not sendable yet (a delete still held for its undo first): the last backup stays.
    const hold = await nextHoldEnd(db);
    if (hold !== null) schedule(Math.max(0, hold - Date.now()) + 50);
  };
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = run()
      .catch((e: unknown) => log(`sauvegarde des modifications : ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          flush();
        }
      });
  };
  function schedule(ms: number) {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, ms);
  }

  // Any write to the outbox (an edit, a sync's results, a freeze) re-runs the count: then the backup follows.
  const sub = liveQuery(() => db.outbox.count()).subscribe({
    next: () => schedule(debounce),
    error: (e: unknown) => log(`sauvegarde des modifications : ${String(e)}`),
  });
  // Closing or hiding the page: now, not in two seconds (best effort: a closing page may not finish).
  const onHide = () => {
    if (timer) flush();
  };
  const onVisibility = () => {
    if (document.visibilityState === 'hidden') onHide();
  };
  if (typeof window !== 'undefined') {
    window.addEventListener('pagehide', onHide);
    document.addEventListener('visibilitychange', onVisibility);
  }
  return () => {
    stopped = true;
    sub.unsubscribe();
    if (timer) clearTimeout(timer);
    if (typeof window !== 'undefined') {
      window.removeEventListener('pagehide', onHide);
      document.removeEventListener('visibilitychange', onVisibility);
    }
  };
}

export interface FoundBackup {
  account: string;
  bytes: Uint8Array;
  /** Changes in it. */
  count: number;
  /** When it was written (ISO). */
  createdAt: string;
  /** The highest device sequence number it holds. */
  maxSeq: number;
}

async function gunzip(body: Uint8Array, max: number): Promise<Uint8Array> {
  const stream = new Blob([body as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  const out = new Uint8Array(await new Response(stream).arrayBuffer());
  if (out.length > max) throw new Error('trop volumineux');
  return out;
}

/**
 * The backup to offer at login: only on a fresh copy (no cursor, empty outbox: the offline copy was lost
 * or never made here) and only this account's (backups are kept per account; one whose signer is not this
 * account is ignored, and left where it is). Read here to show what it holds; the server checks its signature.
 */
export async function findBackup(userId: string, deps: Deps = {}): Promise<FoundBackup | null> {
  const db = deps.db ?? getDb();
  const host = deps.host ?? getHost();
  const cursor = Number((await db.syncState.get('cursor'))?.value ?? 0);
  if (cursor > 0 || (await db.outbox.count()) > 0) return null;
  const bytes = await host.backup.read(userId).catch(() => null);
  if (!bytes) return null;
  try {
    const { header, body } = await readParts(bytes);
    if (header.kind !== 'modifs' || header.signer.type !== 'device' || header.signer.userId !== userId) return null;
    const json: unknown = JSON.parse(new TextDecoder().decode(await gunzip(body, header.body.plainBytes)));
    const payload = packetPayload.parse(json);
    return {
      account: userId,
      bytes,
      count: payload.changes.length,
      createdAt: header.createdAt,
      maxSeq: Math.max(...payload.changes.map((c) => c.seq)),
    };
  } catch {
    // Unreadable: not offered (and not deleted: the backup writer replaces it at the next change).
    return null;
  }
}

/**
 * Sends a found backup to the server (applied as its author, as the device's own sync would have), then
 * clears it. The device's sequence moves past the backup's, so the next changes made here follow them.
 */
export async function restoreBackup(found: FoundBackup, deps: Deps = {}): Promise<PacketImportResponse> {
  const db = deps.db ?? getDb();
  const host = deps.host ?? getHost();
  const out = await callWithSession(
    syncEndpoints.importPacket,
    { body: { fichier: bytesToBase64(found.bytes) } },
    'Connectez-vous pour envoyer les modifications retrouvées.',
    deps.session,
  );
  await db.transaction('rw', db.syncState, async () => {
    const seq = Number((await db.syncState.get('deviceSeq'))?.value ?? 0);
    if (found.maxSeq > seq) await db.syncState.put({ key: 'deviceSeq', value: found.maxSeq });
  });
  await host.backup.clear(found.account);
  return out;
}

/** Drops a backup once the person has kept it elsewhere (« Mettre de côté » saves it as a file first). */
export async function clearBackup(account: string, deps: Deps = {}): Promise<void> {
  await (deps.host ?? getHost()).backup.clear(account);
}
