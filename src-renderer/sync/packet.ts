// « Enregistrer mes modifications dans un fichier »: the device's pending changes — exactly what its next
// sync request would carry (the same frozen change ids, sequence numbers and bases) — signed with the
// device's key in a packet file (src-shared/files/). The changes stay in the outbox, marked as carried:
// whichever reaches the server first, the file or the device's own sync, applies them once; the other
// learns the stored results.
import { ed25519Signer, writeFile } from '../../src-shared/files/container';
import { MAX_PACKET_CHANGES, type PacketPayload } from '../../src-shared/files/packet';
import { syncEndpoints, type PacketImportResponse } from '../../src-shared/api/sync';
import { getDb, type AtlasDb } from '../db/database';
import { freeze } from './apply';
import { syncEngine } from './engine';
import { getSession, type SessionManager } from './session';
import { callWithSession } from './sessionCall';

export interface PacketFile {
  bytes: Uint8Array;
  /** Changes in the file. */
  count: number;
  /** Pending changes not in this file: behind a delete still held for its undo (a few seconds). */
  left: number;
  createdAt: string;
}

/** Builds the packet of every sendable pending change; null when there is none. */
export async function buildPacket(db: AtlasDb, session: SessionManager, now = new Date()): Promise<PacketFile | null> {
  const s = await session.current();
  if (!s) throw new Error('Aucune session : connectez-vous pour signer un paquet de modifications.');
  const key = await session.deviceKey();
  const frozen = await freeze(db, MAX_PACKET_CHANGES, now.getTime());
  if (!frozen.changes.length) return null;
  const left = await db.outbox.filter((e) => e.seq === null).count();
  const createdAt = now.toISOString();
  const payload: PacketPayload = {
    author: { userId: s.user.id, nom: s.user.nom, email: s.user.email },
    device: { id: key.deviceId },
    collectiviteId: s.user.collectiviteId,
    changes: frozen.changes,
  };
  const cursor = Number((await db.syncState.get('cursor'))?.value ?? 0);
  const bytes = await writeFile(
    {
      kind: 'modifs',
      scope: s.user.collectiviteId
        ? { type: 'collectivite', id: s.user.collectiviteId }
        : s.user.region
          ? { type: 'region', id: s.user.region }
          : { type: 'national', id: null },
      signer: { type: 'device', deviceId: key.deviceId, userId: s.user.id },
      cursor: Number.isFinite(cursor) ? cursor : null,
      createdAt,
    },
    payload,
    ed25519Signer(key.privateKey),
  );
  const ids = new Set(frozen.changes.map((c) => c.id));
  await db.transaction('rw', db.outbox, async () => {
    await db.outbox.filter((e) => ids.has(e.changeId)).modify({ carriedAt: createdAt });
  });
  return { bytes, count: frozen.changes.length, left, createdAt };
}

/** This device's packet, for the synchronisation screen. */
export function buildOwnPacket(): Promise<PacketFile | null> {
  return buildPacket(getDb(), getSession());
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  // Chunks keep String.fromCharCode's argument list small on large files.
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/**
 * Sends a packet someone carried to this computer (another device's changes) to the server, which applies
 * them as their author; then syncs, so this device's copy shows them. Throws the server's refusal (a
 * SyncError with its code and French message) when the file is refused.
 */
export async function importPacketFile(bytes: Uint8Array): Promise<PacketImportResponse> {
  const out = await callWithSession(
    syncEndpoints.importPacket,
    { body: { fichier: toBase64(bytes) } },
    'Connectez-vous pour importer un paquet de modifications : le serveur l’applique au nom de son auteur.',
  );
  void syncEngine.retryNow();
  return out;
}
