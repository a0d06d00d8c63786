// « Enregistrer mes modifications dans un fichier »: the device's pending changes — exactly what its next
// sync request would carry (the same frozen change ids, sequence numbers and bases) — signed with the
// device's key in a packet file (src-shared/files/). The changes stay in the outbox, marked as carried:
// whichever reaches the server first, the file or the device's own sync, applies them once; the other
// learns the stored results.
import { ed25519Signer, writeFile } from '../../src-shared/files/container';
import { MAX_PACKET_CHANGES, type PacketPayload } from '../../src-shared/files/packet';
import { syncEndpoints, type PacketImportResponse } from '../../src-shared/api/sync';
import { getDb, type AtlasDb } from '../db/database';
import { bytesToBase64 } from '../api/base64';
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
  /** When a delete held for its undo (and what follows it) may join the packet (epoch ms), if one did not. */
  heldUntil: number | null;
}

/**
 * Builds the packet of every sendable pending change; null when there is none. A file handed to someone
 * freezes its changes and marks them carried; the backup (`backup: true`, ./backup.ts) touches nothing:
 * the changes it would freeze keep the seqs they would take, and stay as they are in the outbox.
 */
export async function buildPacket(
  db: AtlasDb,
  session: SessionManager,
  now = new Date(),
  opts: { backup?: boolean } = {},
): Promise<PacketFile | null> {
  const s = await session.current();
  if (!s) throw new Error('Aucune session : connectez-vous pour signer un paquet de modifications.');
  const key = await session.deviceKey();
  const frozen = await freeze(db, MAX_PACKET_CHANGES, now.getTime(), opts.backup === true);
  if (!frozen.changes.length) return null;
  const left = (await db.outbox.count()) - frozen.changes.length;
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
  if (!opts.backup) {
    const ids = new Set(frozen.changes.map((c) => c.id));
    await db.transaction('rw', db.outbox, async () => {
      await db.outbox.filter((e) => ids.has(e.changeId)).modify({ carriedAt: createdAt });
    });
  }
  return { bytes, count: frozen.changes.length, left, createdAt, heldUntil: frozen.heldUntil };
}

/** This device's packet, for the synchronisation screen. */
export function buildOwnPacket(): Promise<PacketFile | null> {
  return buildPacket(getDb(), getSession());
}

/**
 * Sends a packet someone carried to this computer (another device's changes) to the server, which applies
 * them as their author; then syncs, so this device's copy shows them. Throws the server's refusal (a
 * SyncError with its code and French message) when the file is refused.
 */
export async function importPacketFile(bytes: Uint8Array): Promise<PacketImportResponse> {
  const out = await callWithSession(
    syncEndpoints.importPacket,
    { body: { fichier: bytesToBase64(bytes) } },
    'Connectez-vous pour importer un paquet de modifications : le serveur l’applique au nom de son auteur.',
  );
  void syncEngine.retryNow();
  return out;
}
