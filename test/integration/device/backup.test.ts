// The backup of pending changes for a wiped offline copy (issue 16, sync/backup.ts), on simulated devices
// against the real server: the backup packet freezes nothing and marks nothing carried (edits keep
// coalescing, an undo stays possible), holds exactly the changes the next sync would send (same ids and
// seqs); a device whose IndexedDB is lost but whose key survives restores it once, continues its sequence
// above it, and its copy equals the server's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPacket } from '../../../src-renderer/sync/packet';
import { freeze } from '../../../src-renderer/sync/apply';
import { findBackup, restoreBackup } from '../../../src-renderer/sync/backup';
import type { HostBridge } from '../../../src-renderer/host/bridge';
import { collectiviteId } from '../../../src-shared/sync/ids';
import { deviceCopy, serverCopy, diffCopies } from '../../support/copies';
import { contactFields } from '../../unit/renderer/fixtures';
import { makeDevice, startLocalServer, type Device, type LocalServer } from '../helpers/devices';

const CODE = 'commune:35047'; // Bruz, Bretagne (53)
const COLL = collectiviteId(CODE);
let server: LocalServer;
let agent: { id: string; email: string; password: string };

/** The part of the host the backup uses, in memory: what survives the loss of the IndexedDB. */
const kept = new Map<string, Uint8Array>();
const backupHost = {
  backup: {
    read: async (a: string) => kept.get(a) ?? null,
    write: async (a: string, b: Uint8Array) => void kept.set(a, b),
    clear: async (a: string) => void kept.delete(a),
  },
} as unknown as HostBridge;

beforeAll(async () => {
  server = await startLocalServer();
  agent = await server.createUser({ role: 'agent', collectiviteCode: CODE });
});
afterAll(async () => {
  await server?.close();
});

async function sync(d: Device) {
  const out = await d.engine.syncNow();
  if (!out.ok) throw out.error;
}

describe('backup of pending changes, restored after a wiped offline copy', () => {
  let first: Device;
  let backup: Uint8Array;
  const ids = { kept: '', gone: '', created: '' };

  it('builds the packet the next sync would send, without freezing or marking anything', async () => {
    first = makeDevice(server.url);
    await first.session.login({ serverUrl: server.url, email: agent.email, password: agent.password });
    await sync(first);
    // Synced earlier: two records (the server has seqs 1–2 of this device).
    ids.kept = (await first.repo.create('contact', contactFields({ collectiviteId: COLL, nom: 'Gardé' }))).id;
    ids.gone = (await first.repo.create('contact', contactFields({ collectiviteId: COLL, nom: 'Supprimé' }))).id;
    await sync(first);
    // Then offline: a create, an update, a delete.
    ids.created = (await first.repo.create('contact', contactFields({ collectiviteId: COLL, nom: 'Créé' }))).id;
    await first.repo.update('contact', ids.kept, { fonction: 'Adjointe' });
    await first.repo.remove('contact', ids.gone);
    const before = await first.db.outbox.toArray();
    const built = await buildPacket(first.db, first.session, new Date(), { backup: true });
    expect(built?.count).toBe(3);
    backup = built!.bytes;
    // Nothing touched: no seq taken, nothing marked carried, the sequence counter where it was.
    expect(await first.db.outbox.toArray()).toEqual(before);
    expect(before.every((e) => e.seq === null && !e.carriedAt)).toBe(true);
    expect((await first.db.syncState.get('deviceSeq'))?.value).toBe(2);
    // An edit after the backup still coalesces into its entry.
    await first.repo.update('contact', ids.created, { fonction: 'Conseillère' });
    expect(await first.db.outbox.count()).toBe(3);
    // The real freeze gives the same change ids and seqs (the backup was rewritten after that edit).
    const again = await buildPacket(first.db, first.session, new Date(), { backup: true });
    backup = again!.bytes;
    const kept_ = await findBackupOf(backup);
    const frozen = await freeze(first.db);
    expect(kept_.changes.map((c) => [c.id, c.seq])).toEqual(frozen.changes.map((c) => [c.id, c.seq]));
    expect(frozen.changes.map((c) => c.seq)).toEqual([3, 4, 5]);
  });

  it('after the wipe, the same device (its key kept apart) restores it once and continues its sequence', async () => {
    // The IndexedDB is gone; the device key (host secrets) and the backup (host.backup) are not.
    const key = await first.session.host.secrets.get('deviceKey');
    const fresh = makeDevice(server.url);
    await fresh.session.host.secrets.set('deviceKey', key!);
    await fresh.session.login({ serverUrl: server.url, email: agent.email, password: agent.password });
    // The server said how far this device's sequence went.
    expect((await fresh.session.deviceKey()).deviceId).toBe((await first.session.deviceKey()).deviceId);
    expect((await fresh.db.syncState.get('deviceSeq'))?.value).toBe(2);
    kept.set(agent.id, backup);

    const found = await findBackup(agent.id, { db: fresh.db, host: backupHost });
    expect(found).toMatchObject({ count: 3, maxSeq: 5 });
    // Another account is offered nothing of it.
    expect(await findBackup('6a3f0c1e-2b4d-4c5e-8f7a-9b0c1d2e3f40', { db: fresh.db, host: backupHost })).toBeNull();

    const r = await restoreBackup(found!, { db: fresh.db, host: backupHost, session: fresh.session });
    expect(r.counts).toEqual({ applied: 3, merged: 0, conflicts: 0, rejected: 0, alreadyKnown: 0 });
    expect(kept.has(agent.id)).toBe(false);
    expect((await fresh.db.syncState.get('deviceSeq'))?.value).toBe(5);
    await sync(fresh);
    // Not offered again: the copy is no longer fresh.
    kept.set(agent.id, backup);
    expect(await findBackup(agent.id, { db: fresh.db, host: backupHost })).toBeNull();

    // Each change applied once, as the agent from this device.
    const audit = await server.internals.db.query<{ change_id: string; revs: number; user_id: string }>(
      `SELECT change_id, count(DISTINCT rev)::int AS revs, min(user_id::text) AS user_id FROM audit_log
       WHERE record_id = ANY($1::uuid[]) GROUP BY change_id`,
      [[ids.kept, ids.gone, ids.created]],
    );
    expect(audit).toHaveLength(5); // two creations synced before, then create, update, delete
    expect(audit.every((a) => a.revs === 1 && a.user_id === agent.id)).toBe(true);
    const onServer = await serverCopy(server.internals.db, { role: 'agent', collectiviteId: COLL });
    expect(onServer.contact[ids.created]).toMatchObject({ nom: 'Créé', fonction: 'Conseillère' });
    expect(onServer.contact[ids.kept]).toMatchObject({ nom: 'Gardé', fonction: 'Adjointe' });
    expect(onServer.contact[ids.gone]).toBeUndefined();
    expect(diffCopies(onServer, await deviceCopy(fresh.db))).toEqual([]);

    // Its next change follows the restored ones (seq 6), not a replay of seq 1.
    await fresh.repo.update('contact', ids.kept, { fonction: 'Maire adjointe' });
    await sync(fresh);
    expect(await fresh.db.rejected.count()).toBe(0);
    expect(await fresh.db.outbox.count()).toBe(0);
    expect(
      (
        await server.internals.db.query<{ fonction: string }>('SELECT fonction FROM contact WHERE id = $1', [ids.kept])
      )[0],
    ).toEqual({ fonction: 'Maire adjointe' });
  });
});

async function findBackupOf(bytes: Uint8Array) {
  const { readParts } = await import('../../../src-shared/files/container');
  const { body } = await readParts(bytes);
  const stream = new Blob([body as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  return JSON.parse(await new Response(stream).text()) as { changes: { id: string; seq: number }[] };
}
