// Importing a packet of changes (.atlas-modifs) carried by someone else: checked as a file (container.ts:
// layout, hash, the signature of the author's registered device), then applied as its author through the
// same path as the device's own sync, so importing twice, after the device synced, or two packets out
// of order writes nothing more (change ids and device sequences). The carrier must have the packet's
// collectivité in its own scope; the author's rights apply to each change; carried_changes names the
// carrier of each change this import wrote.
import { createHash } from 'node:crypto';
import type { PacketImportResponse } from '../../src-shared/api/sync';
import { FileError, openFile } from '../../src-shared/files/container';
import { packetPayload } from '../../src-shared/files/packet';
import type { Role } from '../../src-shared/domain/roles';
import type { Db } from '../db/driver';
import { HttpError } from '../httpError';
import type { Actor } from './actor';
import type { SyncService } from './service';

interface Carrier {
  userId: string;
  role: Role;
  collectiviteId: string | null;
  region: string | null;
}

export async function importPacket(
  db: Db,
  sync: SyncService,
  carrier: Carrier,
  file: Uint8Array,
): Promise<PacketImportResponse> {
  let author: { nom: string; role: Role; collectivite_id: string | null; region: string | null } | undefined;
  let deviceName = '';
  const opened = await openFile(file, {
    kind: 'modifs',
    schema: packetPayload,
    // The author's device as registered at its login, on an account still active: a disabled account's
    // devices sign nothing any more.
    keyFor: async (h) => {
      if (h.signer.type !== 'device') return null;
      const rows = await db.query<{
        public_key: string;
        name: string;
        nom: string;
        role: Role;
        collectivite_id: string | null;
        region: string | null;
      }>(
        `SELECT d.public_key, d.name, u.nom, u.role, u.collectivite_id, u.region FROM devices d
         JOIN users u ON u.id = d.user_id
         WHERE d.user_id = $1 AND d.id = $2 AND u.disabled_at IS NULL AND u.approved_at IS NOT NULL`,
        [h.signer.userId, h.signer.deviceId],
      );
      const r = rows[0];
      if (!r) return null;
      author = r;
      deviceName = r.name;
      return r.public_key;
    },
  }).catch((e: unknown) => {
    if (e instanceof FileError) throw new HttpError(400, e.code, e.message);
    throw e;
  });
  const { header, payload } = opened;
  if (!author || header.signer.type !== 'device')
    throw new HttpError(400, 'FILE_UNKNOWN_SIGNER', 'Signataire inconnu.');
  // The payload's author and device are the signer's: a packet cannot speak for another account.
  if (payload.author.userId !== header.signer.userId || payload.device.id !== header.signer.deviceId)
    throw new HttpError(400, 'FILE_INVALID_CONTENT', 'Le contenu de ce fichier ne correspond pas à son signataire.');

  // The carrier carries only for what it may see: its collectivité (agent), its région (SGAR), all (DAECT).
  const target = author.collectivite_id;
  if (carrier.role !== 'daect') {
    const allowed =
      carrier.role === 'agent'
        ? target !== null && carrier.collectiviteId === target
        : target !== null && carrier.region !== null && (await sync.regions.get(db, target))?.region === carrier.region;
    const sameAccount = carrier.userId === header.signer.userId;
    if (!allowed && !sameAccount)
      throw new HttpError(
        403,
        'FORBIDDEN',
        'Ce paquet de modifications concerne une collectivité hors de votre périmètre : vous ne pouvez pas l’importer.',
      );
  }

  const actor: Actor = {
    userId: header.signer.userId,
    role: author.role,
    collectiviteId: author.collectivite_id,
    region: author.region,
    deviceId: header.signer.deviceId,
    label: `${author.nom} (${deviceName})`.slice(0, 200),
  };
  const results = await sync.applyCarried(actor, payload.changes);
  const sha = createHash('sha256').update(file).digest('hex');
  const written = results.filter((r) => !r.duplicate && r.status !== 'rejected').map((r) => r.id);
  if (written.length && carrier.userId !== actor.userId)
    await db.query(
      `INSERT INTO carried_changes (change_id, carrier_id, file_sha256)
       SELECT unnest($1::uuid[]), $2::uuid, $3 ON CONFLICT (change_id) DO NOTHING`,
      [written, carrier.userId, sha],
    );
  // Already applied (by the device's own sync, or this file or a later one imported before): its stored
  // result is returned, nothing is written again.
  const known = (r: (typeof results)[number]) => r.duplicate === true;
  const counts = { applied: 0, merged: 0, conflicts: 0, rejected: 0, alreadyKnown: 0 };
  for (const r of results) {
    if (known(r)) counts.alreadyKnown++;
    else if (r.status === 'applied') counts.applied++;
    else if (r.status === 'merged') counts.merged++;
    else if (r.status === 'conflict') counts.conflicts++;
    else counts.rejected++;
  }
  return {
    author: { nom: author.nom, email: payload.author.email },
    device: { name: deviceName },
    collectiviteId: author.collectivite_id,
    createdAt: header.createdAt,
    counts,
    results,
  };
}
