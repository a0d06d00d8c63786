// Packets of changes carried by file (issue 16): a commune works offline, saves its pending changes in a
// signed .atlas-modifs file; an SGAR of its région imports it; the server applies it as the commune's
// agent, through the same path as the agent's own sync. Checked on whole records against the server's
// database, with the audit naming both, replays and the device's later sync applying nothing twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPacket } from '../../../src-renderer/sync/packet';
import { writeFile, ed25519Signer } from '../../../src-shared/files/container';
import { collectiviteId, newId } from '../../../src-shared/sync/ids';
import type { Change } from '../../../src-shared/sync/protocol';
import { deviceCopy, serverCopy, diffCopies } from '../../support/copies';
import { contactFields } from '../../unit/renderer/fixtures';
import { makeDevice, startLocalServer, type Device, type LocalServer } from '../helpers/devices';

const CODE = 'commune:35238'; // Rennes, Bretagne (53)
const COLL = collectiviteId(CODE);
let server: LocalServer;
let agent: { id: string; email: string; password: string };
let sgar: { id: string; email: string; password: string };
let otherSgar: { email: string; password: string };

beforeAll(async () => {
  server = await startLocalServer();
  agent = await server.createUser({ role: 'agent', collectiviteCode: CODE });
  sgar = await server.createUser({ role: 'sgar', region: '53' });
  otherSgar = await server.createUser({ role: 'sgar', region: '11' });
});
afterAll(async () => {
  await server?.close();
});

async function loggedIn(u: { email: string; password: string }): Promise<Device> {
  const d = makeDevice(server.url);
  await d.session.login({ serverUrl: server.url, email: u.email, password: u.password });
  const out = await d.engine.syncNow();
  if (!out.ok) throw out.error;
  return d;
}

interface ImportAnswer {
  status: number;
  body: {
    code?: string;
    message?: string;
    counts?: Record<string, number>;
    results?: { id: string; status: string; duplicate?: boolean; code?: string; message?: string }[];
    author?: { nom: string };
  };
}
async function importAs(d: Device, bytes: Uint8Array): Promise<ImportAnswer> {
  const res = await fetch(`${server.url}/api/v1/paquets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await d.session.token()}` },
    body: JSON.stringify({ fichier: Buffer.from(bytes).toString('base64') }),
  });
  return { status: res.status, body: (await res.json()) as ImportAnswer['body'] };
}

describe('packets of changes carried by file', () => {
  let commune: Device;
  let carrier: Device;
  let packet: Uint8Array;
  let changeIds: string[];

  it('saves exactly the pending changes, signed, and marks them as carried (they stay in the outbox)', async () => {
    commune = await loggedIn(agent);
    carrier = await loggedIn(sgar);
    const a = await commune.repo.create('contact', contactFields({ collectiviteId: COLL, nom: 'Par-fichier' }));
    const b = await commune.repo.create('contact', contactFields({ collectiviteId: COLL, nom: 'Autre' }));
    await commune.repo.update('contact', b.id, { fonction: 'Chargée de mission' });
    const built = await buildPacket(commune.db, commune.session);
    expect(built).not.toBeNull();
    packet = built!.bytes;
    expect(built!.count).toBe(2); // two creations, the second with its edit coalesced
    const outbox = await commune.db.outbox.toArray();
    expect(outbox).toHaveLength(2);
    expect(outbox.every((e) => e.carriedAt === built!.createdAt && e.seq !== null)).toBe(true);
    changeIds = outbox.map((e) => e.changeId);
    expect(a.id).not.toBe(b.id);
  });

  it('an SGAR of another région may not carry it; nothing is written', async () => {
    const stranger = await loggedIn(otherSgar);
    const r = await importAs(stranger, packet);
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('FORBIDDEN');
    const rows = await server.internals.db.query('SELECT 1 FROM audit_log WHERE change_id = ANY($1::uuid[])', [
      changeIds,
    ]);
    expect(rows).toHaveLength(0);
  });

  it('the SGAR of its région imports it: applied as the agent, the audit names both, the records are whole', async () => {
    const r = await importAs(carrier, packet);
    expect(r.status).toBe(200);
    expect(r.body.counts).toEqual({ applied: 2, merged: 0, conflicts: 0, rejected: 0, alreadyKnown: 0 });
    const audit = await server.internals.db.query<{ user_id: string; carrier_id: string }>(
      `SELECT DISTINCT a.user_id, c.carrier_id FROM audit_log a JOIN carried_changes c ON c.change_id = a.change_id
       WHERE a.change_id = ANY($1::uuid[])`,
      [changeIds],
    );
    expect(audit).toEqual([{ user_id: agent.id, carrier_id: sgar.id }]);
    // The commune's pending records, field by field, are now the server's.
    const server_ = await serverCopy(server.internals.db, { role: 'agent', collectiviteId: COLL });
    const mine = await deviceCopy(commune.db);
    for (const [id, rec] of Object.entries(mine.contact)) expect(server_.contact[id]).toEqual(rec);
  });

  it('imported twice: already known, nothing written again', async () => {
    const before = await server.internals.db.query('SELECT count(*)::int AS n FROM audit_log');
    const r = await importAs(carrier, packet);
    expect(r.status).toBe(200);
    expect(r.body.counts).toEqual({ applied: 0, merged: 0, conflicts: 0, rejected: 0, alreadyKnown: 2 });
    expect(await server.internals.db.query('SELECT count(*)::int AS n FROM audit_log')).toEqual(before);
  });

  it('the commune syncs later: its outbox learns the results, nothing applied twice, copies equal', async () => {
    const auditBefore = await server.internals.db.query('SELECT count(*)::int AS n FROM audit_log');
    const out = await commune.engine.syncNow();
    if (!out.ok) throw out.error;
    expect(await commune.db.outbox.count()).toBe(0);
    expect(await commune.db.rejected.count()).toBe(0);
    expect(await server.internals.db.query('SELECT count(*)::int AS n FROM audit_log')).toEqual(auditBefore);
    const diff = diffCopies(
      await serverCopy(server.internals.db, { role: 'agent', collectiviteId: COLL }),
      await deviceCopy(commune.db),
    );
    expect(diff).toEqual([]);
  });

  it('two packets imported out of order: the later one carries the earlier changes too, each applied once', async () => {
    const c1 = await commune.repo.create('contact', contactFields({ collectiviteId: COLL, nom: 'Premier' }));
    const first = (await buildPacket(commune.db, commune.session))!;
    expect(first.count).toBe(1);
    const c2 = await commune.repo.create('contact', contactFields({ collectiviteId: COLL, nom: 'Second' }));
    const second = (await buildPacket(commune.db, commune.session))!;
    expect(second.count).toBe(2);
    const r2 = await importAs(carrier, second.bytes);
    expect(r2.body.counts).toEqual({ applied: 2, merged: 0, conflicts: 0, rejected: 0, alreadyKnown: 0 });
    const r1 = await importAs(carrier, first.bytes);
    expect(r1.body.counts).toEqual({ applied: 0, merged: 0, conflicts: 0, rejected: 0, alreadyKnown: 1 });
    const rows = await server.internals.db.query<{ nom: string }>(
      'SELECT nom FROM contact WHERE id = ANY($1::uuid[]) ORDER BY nom',
      [[c1.id, c2.id]],
    );
    expect(rows.map((r) => r.nom)).toEqual(['Premier', 'Second']);

    // An edit of a record whose creation the server has not confirmed to this device waits for that
    // answer (its base is the creation's revision): the file says how many changes it leaves for later.
    await commune.repo.update('contact', c1.id, { nom: 'Premier-modifié' });
    const third = (await buildPacket(commune.db, commune.session))!;
    expect(third.count).toBe(2);
    expect(third.left).toBe(1);

    const out = await commune.engine.syncNow();
    if (!out.ok) throw out.error;
    expect(await commune.db.outbox.count()).toBe(0);
    expect(
      diffCopies(
        await serverCopy(server.internals.db, { role: 'agent', collectiviteId: COLL }),
        await deviceCopy(commune.db),
      ),
    ).toEqual([]);
    const [row] = await server.internals.db.query<{ nom: string }>('SELECT nom FROM contact WHERE id = $1', [c1.id]);
    expect(row?.nom).toBe('Premier-modifié');
  });

  it('refuses a tampered file, a file signed by an unknown key, and a packet speaking for another account', async () => {
    await commune.repo.create('contact', contactFields({ collectiviteId: COLL, nom: 'Refusé' }));
    const good = (await buildPacket(commune.db, commune.session))!.bytes;
    const tampered = good.slice();
    tampered[tampered.length - 3]! ^= 0x10;
    expect((await importAs(carrier, tampered)).body.code).toBe('FILE_TAMPERED');
    expect((await importAs(carrier, good.subarray(0, good.length - 10))).body.code).toBe('FILE_TRUNCATED');
    // A key the server never registered, claiming the commune's device.
    const { webcrypto } = await import('node:crypto');
    const pair = (await webcrypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    const priv = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', pair.privateKey)).toString('base64');
    const key = await commune.session.deviceKey();
    const forged = await writeFile(
      {
        kind: 'modifs',
        scope: { type: 'collectivite', id: COLL },
        signer: { type: 'device', deviceId: key.deviceId, userId: agent.id },
        cursor: null,
        createdAt: new Date().toISOString(),
      },
      {
        author: { userId: agent.id, nom: 'x', email: 'x@y.fr' },
        device: { id: key.deviceId },
        collectiviteId: COLL,
        changes: [],
      },
      ed25519Signer(priv),
    );
    const r = await importAs(carrier, forged);
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('FILE_BAD_SIGNATURE');
    // Signed by the commune's own device, but naming the SGAR as author.
    const lying = await writeFile(
      {
        kind: 'modifs',
        scope: { type: 'collectivite', id: COLL },
        signer: { type: 'device', deviceId: key.deviceId, userId: agent.id },
        cursor: null,
        createdAt: new Date().toISOString(),
      },
      {
        author: { userId: sgar.id, nom: 'x', email: 'x@y.fr' },
        device: { id: key.deviceId },
        collectiviteId: COLL,
        changes: [
          {
            id: '0190f000-0000-7000-8000-000000000001',
            seq: 999,
            entity: 'contact',
            record: '0190f000-0000-7000-8000-000000000002',
            op: 'delete',
            base: 1,
          },
        ],
      },
      ed25519Signer(key.privateKey),
    );
    const l = await importAs(carrier, lying);
    expect(l.status).toBe(400);
    expect(l.body.code).toBe('FILE_INVALID_CONTENT');
    expect(typeof l.body.message).toBe('string');
  });
});

describe('packets the server refuses, or applies only in part (tamper matrix, server side)', () => {
  const OTHER = collectiviteId('commune:29019'); // Brest, also in Bretagne
  let carrier: Device;

  /** A packet signed by `d`'s registered device key, holding `changes` as `userId`'s. */
  async function signedPacket(d: Device, userId: string, changes: Change[]): Promise<Uint8Array> {
    const key = await d.session.deviceKey();
    return writeFile(
      {
        kind: 'modifs',
        scope: { type: 'collectivite', id: COLL },
        signer: { type: 'device', deviceId: key.deviceId, userId },
        cursor: null,
        createdAt: new Date().toISOString(),
      },
      {
        author: { userId, nom: 'Agent', email: 'agent@mairie.fr' },
        device: { id: key.deviceId },
        collectiviteId: COLL,
        changes,
      },
      ed25519Signer(key.privateKey),
    );
  }
  const create = (seq: number, collectivite: string, nom: string): Change => ({
    id: newId(),
    seq,
    entity: 'contact',
    record: newId(),
    op: 'create',
    fields: contactFields({ collectiviteId: collectivite, nom }),
  });
  /** What a refusal must leave: no audit entry, no record of the packet's changes. */
  async function nothingWritten(changes: Change[]) {
    const ids = changes.map((c) => c.id);
    const records = changes.map((c) => c.record);
    expect(await server.internals.db.query('SELECT 1 FROM audit_log WHERE change_id = ANY($1::uuid[])', [ids])).toEqual(
      [],
    );
    expect(await server.internals.db.query('SELECT 1 FROM contact WHERE id = ANY($1::uuid[])', [records])).toEqual([]);
    expect(
      await server.internals.db.query('SELECT 1 FROM carried_changes WHERE change_id = ANY($1::uuid[])', [ids]),
    ).toEqual([]);
  }

  beforeAll(async () => {
    carrier = await loggedIn(sgar);
  });

  it('a change its author has no right to is rejected; the packet’s other changes are applied', async () => {
    const u = await server.createUser({ role: 'agent', collectiviteCode: CODE });
    const d = await loggedIn(u);
    const own = create(1, COLL, 'Chez-moi');
    const foreign = create(2, OTHER, 'Chez-les-voisins');
    const r = await importAs(carrier, await signedPacket(d, u.id, [own, foreign]));
    expect(r.status).toBe(200);
    expect(r.body.counts).toEqual({ applied: 1, merged: 0, conflicts: 0, rejected: 1, alreadyKnown: 0 });
    const byId = new Map((r.body.results ?? []).map((x) => [x.id, x]));
    expect(byId.get(own.id)?.status).toBe('applied');
    expect(byId.get(foreign.id)).toMatchObject({ status: 'rejected', code: 'OUT_OF_SCOPE' });
    expect(byId.get(foreign.id)?.message).toMatch(/[a-zé’]/);
    expect(await server.internals.db.query('SELECT nom FROM contact WHERE id = $1', [own.record])).toEqual([
      { nom: 'Chez-moi' },
    ]);
    expect(await server.internals.db.query('SELECT 1 FROM contact WHERE id = $1', [foreign.record])).toEqual([]);
  });

  it('a revoked device (its author’s account disabled): unknown signer, nothing written', async () => {
    const u = await server.createUser({ role: 'agent', collectiviteCode: CODE });
    const d = await loggedIn(u);
    const changes = [create(1, COLL, 'Désactivé')];
    const file = await signedPacket(d, u.id, changes);
    await server.internals.auth.disable(
      { userId: null, deviceId: null, role: 'cli', region: null, label: 'test' },
      u.id,
      'départ de la collectivité',
    );
    const r = await importAs(carrier, file);
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('FILE_UNKNOWN_SIGNER');
    expect(r.body.message).toMatch(/n’est pas reconnu/);
    await nothingWritten(changes);
  });

  it('a carrier of another scope (an agent of another collectivité): 403, nothing written', async () => {
    const u = await server.createUser({ role: 'agent', collectiviteCode: CODE });
    const d = await loggedIn(u);
    const changes = [create(1, COLL, 'Porté-par-un-autre')];
    const stranger = await loggedIn(await server.createUser({ role: 'agent', collectiviteCode: 'commune:29019' }));
    const r = await importAs(stranger, await signedPacket(d, u.id, changes));
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('FORBIDDEN');
    expect(r.body.message).toMatch(/hors de votre périmètre/);
    await nothingWritten(changes);
  });

  it('a replayed file: reported as already known, nothing written again', async () => {
    const u = await server.createUser({ role: 'agent', collectiviteCode: CODE });
    const d = await loggedIn(u);
    const file = await signedPacket(d, u.id, [create(1, COLL, 'Rejoué-1'), create(2, COLL, 'Rejoué-2')]);
    expect((await importAs(carrier, file)).body.counts).toMatchObject({ applied: 2, alreadyKnown: 0 });
    const audit = await server.internals.db.query('SELECT count(*)::int AS n FROM audit_log');
    const carried = await server.internals.db.query('SELECT count(*)::int AS n FROM carried_changes');
    const again = await importAs(carrier, file);
    expect(again.status).toBe(200);
    expect(again.body.counts).toEqual({ applied: 0, merged: 0, conflicts: 0, rejected: 0, alreadyKnown: 2 });
    expect(await server.internals.db.query('SELECT count(*)::int AS n FROM audit_log')).toEqual(audit);
    expect(await server.internals.db.query('SELECT count(*)::int AS n FROM carried_changes')).toEqual(carried);
  });
});
