// Snapshots the server produces (issue 16): its signing key (kept in the database, or given), served at
// its well-known URL; device certificates; the snapshot of a collectivité, a région and the nation, opened
// as a device opens it (openSnapshot with the served key) and compared record by record, field by field,
// with the server's tables at its cursor; the rights on who may have which snapshot.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ed25519Signer, FileError, type FileHeader } from '../../../src-shared/files/container';
import {
  certificateBody,
  openSnapshot,
  SERVER_KEY_PATH,
  serverKeyDocument,
  snapshotKeyFor,
  writeSnapshot,
  type CertificateBody,
  type ServerKey,
  type SnapshotLine,
} from '../../../src-shared/files/snapshot';
import { deviceCertificate } from '../../../src-shared/files/container';
import type { SessionResponse } from '../../../src-shared/api/auth';
import type { Conflict, PulledRecord } from '../../../src-shared/sync/protocol';
import { ENTITY_NAMES, entityDef } from '../../../src-shared/registry';
import { newId } from '../../../src-shared/sync/ids';
import { generateSigningKeyPkcs8, loadSigningKey, signingKeyFromPkcs8 } from '../../../src-server/sync/serverKey';
import { toConflict } from '../../../src-server/sync/pull';
import { runServerKeyCli } from '../../../src-server/serverKey-cli';
import { buildSnapshot, resolveScope } from '../../../src-server/sync/snapshots';
import { TABLE_DEFS } from '../../../src-server/sync/tables';
import { copyOfRecords, diffCopies, serverCopy, type Scope } from '../../support/copies';
import { contactFields } from '../../unit/renderer/fixtures';
import { api, TestDevice } from '../helpers/client';
import { call, SyncError } from '../../../src-renderer/api/http';
import { syncEndpoints } from '../../../src-shared/api/sync';
import { startTestServer, type TestServer, type TestUser } from '../helpers/testServer';

let s: TestServer;
let key: ServerKey;
const REGION = '53';
let coll: string; // a collectivité of the small seed in Bretagne
let otherColl: string; // another one, in the same région
let agentUser: TestUser;
let agent: TestDevice;
let sgar: TestDevice;
let otherSgar: TestDevice;
let daect: TestDevice;

beforeAll(async () => {
  s = await startTestServer({ seed: 'small' });
  const breton = s.data!.collectivite.filter((c) => c.region === REGION).map((c) => String(c.id));
  expect(breton.length).toBeGreaterThanOrEqual(2);
  // The collectivité with the most contacts: a snapshot with something in it.
  const byContacts = (id: string) => s.data!.contact.filter((c) => c.collectiviteId === id).length;
  [coll, otherColl] = breton.sort((a, b) => byContacts(b) - byContacts(a)) as [string, string];
  const code = String(s.data!.collectivite.find((c) => c.id === coll)!.code);
  agentUser = await s.createUser({ role: 'agent', collectiviteCode: code });
  const sgarUser = await s.createUser({ role: 'sgar', region: REGION });
  const otherSgarUser = await s.createUser({ role: 'sgar', region: '11' });
  const daectUser = await s.createUser({ role: 'daect' });
  agent = await new TestDevice(s.url).login(agentUser.email, agentUser.password);
  sgar = await new TestDevice(s.url).login(sgarUser.email, sgarUser.password);
  otherSgar = await new TestDevice(s.url).login(otherSgarUser.email, otherSgarUser.password);
  daect = await new TestDevice(s.url).login(daectUser.email, daectUser.password);
  key = serverKeyDocument.parse((await api(s.url, SERVER_KEY_PATH)).body);

  // Some life in the scope: a record created, one edited, one deleted (a tombstone), one conflict.
  await agent.pullAll();
  await sgar.pullAll();
  const created = agent.change({
    entity: 'contact',
    record: newId(),
    op: 'create',
    fields: contactFields({ collectiviteId: coll, nom: 'Instantané' }),
  });
  const [victim, edited] = s.data!.contact.filter((c) => c.collectiviteId === coll);
  expect(edited).toBeDefined();
  const base = Number(
    (await s.internals.db.query('SELECT sync_rev FROM contact WHERE id = $1', [edited!.id]))[0]!.sync_rev,
  );
  const vrev = Number(
    (await s.internals.db.query('SELECT sync_rev FROM contact WHERE id = $1', [victim!.id]))[0]!.sync_rev,
  );
  let r = await agent.sync([
    created,
    agent.change({ entity: 'contact', record: String(victim!.id), op: 'delete', base: vrev }),
    agent.change({
      entity: 'contact',
      record: String(edited!.id),
      op: 'update',
      fields: { fonction: { value: 'Adjointe', base } },
    }),
  ]);
  expect(r.status).toBe(200);
  // A colleague edits the same field from the same base: a conflict in the collectivité's scope.
  const colleagueUser = await s.createUser({ role: 'agent', collectiviteCode: code });
  const colleague = await new TestDevice(s.url).login(colleagueUser.email, colleagueUser.password);
  r = await colleague.sync([
    colleague.change({
      entity: 'contact',
      record: String(edited!.id),
      op: 'update',
      fields: { fonction: { value: 'Élue', base } },
    }),
  ]);
  expect(r.status).toBe(200);
  const [{ n }] = (await s.internals.db.query('SELECT count(*)::int AS n FROM conflicts WHERE collectivite_id = $1', [
    coll,
  ])) as [{ n: number }];
  expect(n).toBeGreaterThan(0);
});
afterAll(async () => {
  await s?.close();
});

async function download(d: TestDevice, perimetre: string) {
  const res = await fetch(`${s.url}/api/v1/instantanes?perimetre=${encodeURIComponent(perimetre)}`, {
    headers: { authorization: `Bearer ${d.session.accessToken}` },
  });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes };
}

async function refused(d: TestDevice, perimetre: string, status: number, code: string) {
  const before = await s.internals.db.query('SELECT count(*)::int AS n FROM audit_log');
  const r = await download(d, perimetre);
  expect(r.status).toBe(status);
  const body = JSON.parse(new TextDecoder().decode(r.bytes)) as { code: string; message: string };
  expect(body.code).toBe(code);
  expect(body.message).toMatch(/[a-zé’]/);
  expect(await s.internals.db.query('SELECT count(*)::int AS n FROM audit_log')).toEqual(before);
  return body;
}

interface Opened {
  header: FileHeader;
  meta: Extract<SnapshotLine, { type: 'meta' }>;
  records: PulledRecord[];
  conflicts: Conflict[];
}
async function open(bytes: Uint8Array, trusted: ServerKey[] = [key]): Promise<Opened> {
  const { header, lines } = await openSnapshot(bytes, snapshotKeyFor(trusted));
  const out: Partial<Opened> & { records: PulledRecord[]; conflicts: Conflict[] } = {
    header,
    records: [],
    conflicts: [],
  };
  for await (const l of lines()) {
    if (l.type === 'meta') out.meta = l;
    else if (l.type === 'record') out.records.push(l.record);
    else out.conflicts.push(l.conflict);
  }
  return out as Opened;
}

/** Every record and conflict of the scope on the server, compared with the snapshot's lines. */
async function expectSameAsServer(o: Opened, scope: Scope) {
  const live = o.records.filter((r) => !r.deleted);
  // Every live record of the scope, every field: nothing missing, nothing extra, nothing different.
  expect(diffCopies(await serverCopy(s.internals.db, scope), copyOfRecords(live), 1000)).toEqual([]);
  // National entities reach every scope, as in a pull.
  for (const e of ['campagne', 'entreeReference'] as const)
    expect(live.filter((r) => r.entity === e).length, e).toBeGreaterThan(0);
  // Each record at its server revision, once.
  const keys = o.records.map((r) => `${r.entity}:${r.id}`);
  expect(new Set(keys).size).toBe(keys.length);
  for (const e of ENTITY_NAMES) {
    const ids = o.records.filter((r) => r.entity === e).map((r) => r.id);
    if (!ids.length) continue;
    const rows = await s.internals.db.query<{ id: string; sync_rev: number; deleted: boolean }>(
      `SELECT id, sync_rev, deleted FROM ${TABLE_DEFS[e].table} WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const r of o.records.filter((x) => x.entity === e)) {
      if ('left' in r && r.left) continue;
      expect(byId.get(r.id)?.sync_rev, `${e} ${r.id}`).toBe(r.rev);
      expect(byId.get(r.id)?.deleted, `${e} ${r.id}`).toBe(r.deleted === true);
    }
  }
  // The scope's conflicts, whole.
  const cond =
    scope.role === 'agent' ? 'WHERE collectivite_id = $1' : scope.role === 'sgar' ? 'WHERE scope_region = $1' : '';
  const params = scope.role === 'agent' ? [scope.collectiviteId] : scope.role === 'sgar' ? [scope.region] : [];
  const conflicts = await s.internals.db.query(
    `SELECT c.*, (SELECT max(a.at) FROM audit_log a WHERE a.record_id = c.record_id
       AND a.change_id IS DISTINCT FROM c.change_id AND a.at <= c.proposed_at) AS server_at FROM conflicts c ${cond}`,
    params,
  );
  const sortById = (l: Conflict[]) => [...l].sort((a, b) => a.id.localeCompare(b.id));
  expect(sortById(o.conflicts)).toEqual(sortById(conflicts.map(toConflict)));
  expect(o.meta.count).toBe(o.records.length + o.conflicts.length);
  expect(o.header.cursor).toBe(s.internals.sync.revs.watermark());
  expect(o.header.signer).toEqual({ type: 'server', keyId: key.keyId });
}

describe('the server’s signing key', () => {
  it('is served at its well-known URL with no session, cached, its id the SHA-256 of the raw key', async () => {
    const r = await api(s.url, SERVER_KEY_PATH);
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('content-security-policy')).toBeTruthy();
    const doc = serverKeyDocument.parse(r.body);
    const raw = Buffer.from(doc.publicKey, 'base64');
    expect(doc.keyId).toBe(crypto.createHash('sha256').update(raw).digest('hex').slice(0, 16));
    expect(doc).toEqual(s.internals.signingKey.document);
  });

  it('is generated once per database: processes starting together on it all sign with the same key', async () => {
    const db = s.internals.db;
    expect((await loadSigningKey(db, null)).document).toEqual(key);
    const saved = await db.query('SELECT * FROM server_signing_key');
    try {
      // An empty table (a first start), two processes at once: one key is kept, both read it.
      await db.query('DELETE FROM server_signing_key');
      const [a, b] = await Promise.all([loadSigningKey(db, null), loadSigningKey(db, null)]);
      expect(b.document).toEqual(a.document);
      expect(await db.query('SELECT count(*)::int AS n FROM server_signing_key')).toEqual([{ n: 1 }]);
      // Given by ATLAS_SIGNING_KEY, that key wins over the database's.
      const given = generateSigningKeyPkcs8();
      const c = await loadSigningKey(db, given);
      expect(c.document).toEqual(signingKeyFromPkcs8(given).document);
      expect(c.keyId).not.toBe(a.keyId);
    } finally {
      await db.query('DELETE FROM server_signing_key');
      const [row] = saved as [{ id: number; key_id: string; public_key: string; private_key: string }];
      await db.query('INSERT INTO server_signing_key (id, key_id, public_key, private_key) VALUES ($1, $2, $3, $4)', [
        row.id,
        row.key_id,
        row.public_key,
        row.private_key,
      ]);
    }
  });
});

describe('npm run server:cle-publique', () => {
  it('prints the key document and, with --ecrire, adds it to the shipped keys, keeping the older ones', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-cles-'));
    try {
      const file = path.join(dir, 'cles-serveur.json');
      const older = signingKeyFromPkcs8(generateSigningKeyPkcs8()).document;
      fs.writeFileSync(file, JSON.stringify([older]));
      const pkcs8 = generateSigningKeyPkcs8();
      const out: string[] = [];
      const io = { stdout: (l: string) => out.push(l), stderr: (l: string) => out.push(l) };
      expect(await runServerKeyCli(['--ecrire', file], { ATLAS_SIGNING_KEY: pkcs8 }, io)).toBe(0);
      const doc = signingKeyFromPkcs8(pkcs8).document;
      expect(JSON.parse(out[0]!)).toEqual(doc);
      expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual([doc, older]);
      // Again: no duplicate.
      expect(await runServerKeyCli(['--ecrire', file], { ATLAS_SIGNING_KEY: pkcs8 }, io)).toBe(0);
      expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual([doc, older]);
      // A broken list is left alone; a key that is not Ed25519 PKCS#8 is refused in French.
      fs.writeFileSync(file, '[{"algorithm":"RSA"}]');
      expect(await runServerKeyCli(['--ecrire', file], { ATLAS_SIGNING_KEY: pkcs8 }, io)).toBe(2);
      expect(fs.readFileSync(file, 'utf8')).toBe('[{"algorithm":"RSA"}]');
      expect(await runServerKeyCli([], { ATLAS_SIGNING_KEY: 'cGFzIHVuZSBjbMOp' }, io)).toBe(2);
      expect(out.at(-1)).toMatch(/clé privée illisible/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('device certificates', () => {
  async function loginWithKey(email: string, password: string) {
    const pair = crypto.generateKeyPairSync('ed25519');
    const publicKey = pair.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64');
    const privateKey = pair.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    const id = newId();
    const r = await api<SessionResponse>(s.url, '/api/v1/auth/login', {
      body: { email, password, device: { id, name: 'Portable du SGAR', publicKey } },
    });
    expect(r.status).toBe(200);
    return { id, publicKey, privateKey, token: r.body.accessToken, userId: r.body.user.id };
  }

  it('certifies the session’s own device; a snapshot it signs with that certificate is accepted', async () => {
    const u = await s.createUser({ role: 'sgar', region: REGION });
    const dev = await loginWithKey(u.email, u.password);
    const r = await api(s.url, '/api/v1/appareils/certificat', { token: dev.token });
    expect(r.status).toBe(200);
    const cert = deviceCertificate.parse(r.body);
    const body = certificateBody.parse(JSON.parse(cert.body));
    expect(body).toMatchObject({
      deviceId: dev.id,
      userId: u.id,
      role: 'sgar',
      region: REGION,
      collectiviteId: null,
      publicKey: dev.publicKey,
      keyId: key.keyId,
    });
    expect(Date.parse(body.expiresAt) - Date.parse(body.issuedAt)).toBe(365 * 24 * 3600 * 1000);

    // A collectivité snapshot made from the SGAR's copy, signed by its device with the certificate.
    const server = await open((await download(sgar, `collectivite:${coll}`)).bytes);
    const lines: SnapshotLine[] = [
      { type: 'meta', scopeLabel: server.meta.scopeLabel, producedBy: body.nom, count: server.records.length },
      ...server.records.map((record) => ({ type: 'record' as const, record })),
    ];
    const file = await writeSnapshot(
      {
        scope: { type: 'collectivite', id: coll },
        signer: { type: 'device', deviceId: dev.id, userId: u.id, certificate: cert },
        cursor: server.header.cursor,
        createdAt: new Date().toISOString(),
      },
      lines,
      ed25519Signer(dev.privateKey),
    );
    let certified: CertificateBody | null = null;
    const opened = await openSnapshot(
      file,
      snapshotKeyFor([key], (b) => (certified = b)),
    );
    let n = 0;
    for await (const l of opened.lines()) if (l.type === 'record') n++;
    expect(n).toBe(server.records.length);
    expect(certified).toEqual(body);
    // The same file checked against another server's key only: unknown signer.
    const stranger = signingKeyFromPkcs8(generateSigningKeyPkcs8()).document;
    const e = await openSnapshot(file, snapshotKeyFor([stranger])).catch((x: unknown) => x);
    expect((e as FileError).code).toBe('FILE_UNKNOWN_SIGNER');
  });

  it('a disabled account gets no certificate (its session is closed), and nothing is issued', async () => {
    const u = await s.createUser({ role: 'sgar', region: REGION });
    const dev = await loginWithKey(u.email, u.password);
    await s.internals.auth.disable(
      { userId: null, deviceId: null, role: 'cli', region: null, label: 'test' },
      u.id,
      'départ',
    );
    const r = await api<{ code: string; message: string }>(s.url, '/api/v1/appareils/certificat', { token: dev.token });
    expect(r.status).toBe(401);
    expect(r.body.code).toBe('TOKEN_EXPIRED');
  });

  it('without a session: 401', async () => {
    const r = await api<{ code: string }>(s.url, '/api/v1/appareils/certificat');
    expect(r.status).toBe(401);
    expect(r.body.code).toBe('UNAUTHENTICATED');
  });
});

describe('snapshots served by the server', () => {
  it('of a collectivité, for its agent: exactly the server’s records and conflicts of that scope at its cursor', async () => {
    const r = await download(agent, `collectivite:${coll}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/octet-stream');
    const nom = String(s.data!.collectivite.find((c) => c.id === coll)!.nom);
    expect(r.headers.get('content-disposition')).toMatch(
      /^attachment; filename="atlas-[a-z0-9-]+-\d{4}-\d{2}-\d{2}\.atlas-instantane"$/,
    );
    const o = await open(r.bytes);
    expect(o.header.scope).toEqual({ type: 'collectivite', id: coll });
    expect(o.meta).toMatchObject({ scopeLabel: nom, producedBy: 'Serveur CNCD' });
    expect(o.records.some((x) => x.deleted)).toBe(true); // the deleted contact, as a pull sends it
    expect(o.conflicts.length).toBeGreaterThan(0);
    await expectSameAsServer(o, { role: 'agent', collectiviteId: coll });
    // Nothing of another collectivité.
    expect(o.records.some((x) => x.fields?.collectiviteId === otherColl)).toBe(false);
  });

  it('of a région, for its SGAR: exactly the server’s records of the région, avis and attestations included', async () => {
    const r = await download(sgar, `region:${REGION}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-disposition')).toMatch(
      /filename="atlas-bretagne-\d{4}-\d{2}-\d{2}\.atlas-instantane"/,
    );
    const o = await open(r.bytes);
    expect(o.header.scope).toEqual({ type: 'region', id: REGION });
    expect(o.meta.scopeLabel).toBe('Bretagne');
    for (const e of ['avis', 'attestationCampagne', 'ficheProjet', 'collectivite'] as const)
      expect(o.records.filter((x) => x.entity === e && !x.deleted).length, e).toBeGreaterThan(0);
    await expectSameAsServer(o, { role: 'sgar', region: REGION });
    // An SGAR may also have one collectivité of its région.
    expect((await download(sgar, `collectivite:${otherColl}`)).status).toBe(200);
  });

  it('national, for the DAECT: every record of the country', async () => {
    const r = await download(daect, 'national');
    expect(r.status).toBe(200);
    const o = await open(r.bytes);
    expect(o.meta.scopeLabel).toBe('France entière');
    await expectSameAsServer(o, { role: 'daect' });
  });

  it('built while a device writes: every record the cursor covers is there, whole, none older than at the cursor', async () => {
    const resolved = await resolveScope(
      s.internals.db,
      { role: 'daect', collectiviteId: null, region: null },
      {
        type: 'collectivite',
        id: coll,
      },
    );
    const contacts = await s.internals.db.query<{ id: string; sync_rev: number }>(
      'SELECT id, sync_rev FROM contact WHERE "collectiviteId" = $1 AND NOT deleted',
      [coll],
    );
    const revs = new Map(contacts.map((c) => [c.id, Number(c.sync_rev)]));
    let writing = true;
    let cycles = 0;
    const writer = (async () => {
      for (let i = 0; writing; i++, cycles++) {
        const changes = [...revs].slice(0, 5).map(([id, base]) =>
          agent.change({
            entity: 'contact',
            record: id,
            op: 'update',
            fields: { fonction: { value: `Fonction ${i}`, base } },
          }),
        );
        changes.push(
          agent.change({
            entity: 'contact',
            record: newId(),
            op: 'create',
            fields: contactFields({ collectiviteId: coll, nom: `Pendant ${i}` }),
          }),
        );
        const r = await agent.sync(changes);
        expect(r.status).toBe(200);
        for (const res of r.body.results)
          if ('rev' in res && typeof res.rev === 'number') {
            const c = changes.find((x) => x.id === res.id);
            if (c && c.op === 'update') revs.set(c.record, res.rev);
          }
      }
    })();
    const built: Opened[] = [];
    try {
      // At least four builds, and until the writer has gone round five times: on PostgreSQL a build blocks no
      // write and may be over before a cycle ends, on PGlite a build holds the one connection.
      for (let k = 0; k < 4 || (cycles < 5 && k < 200); k++)
        built.push(
          await open((await buildSnapshot(s.internals.db, s.internals.sync, s.internals.signingKey, resolved)).bytes),
        );
    } finally {
      writing = false;
      await writer;
    }
    expect(cycles).toBeGreaterThan(4); // the builds ran among writes
    for (const o of built) {
      const cursor = o.header.cursor!;
      const inFile = new Map(o.records.map((r) => [`${r.entity}:${r.id}`, r]));
      for (const e of ENTITY_NAMES) {
        const cond =
          e === 'collectivite'
            ? ' AND id = $2'
            : entityDef(e).scope === 'collectivite'
              ? ' AND "collectiviteId" = $2'
              : ' AND $2::uuid IS NOT NULL';
        const rows = await s.internals.db.query<{ id: string; sync_rev: number; created_rev: number }>(
          `SELECT id, sync_rev, created_rev FROM ${TABLE_DEFS[e].table} WHERE created_rev <= $1${cond}`,
          [cursor, coll],
        );
        for (const row of rows) {
          const got = inFile.get(`${e}:${row.id}`);
          // Created at or before the cursor: in the file (a device pulling from the cursor gets only later fields).
          expect(got, `${e} ${row.id}`).toBeDefined();
          // Unchanged since the cursor: exactly the server's version.
          if (Number(row.sync_rev) <= cursor) expect(got!.rev, `${e} ${row.id}`).toBe(Number(row.sync_rev));
          // Changed since: a version from between the cursor and now, never one from the future.
          else expect(got!.rev, `${e} ${row.id}`).toBeLessThanOrEqual(Number(row.sync_rev));
        }
      }
    }
  });

  it('the app’s typed call (api/http.ts) reads the file, and the refusal as an error with its code', async () => {
    const target = {
      serverUrl: s.url,
      token: agent.session.accessToken,
      fetch: (u: string, i?: RequestInit) => fetch(u, i),
    };
    const bytes = await call(syncEndpoints.snapshot, { query: { perimetre: `collectivite:${coll}` } }, target);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect((await open(bytes)).header.scope).toEqual({ type: 'collectivite', id: coll });
    const e = await call(syncEndpoints.snapshot, { query: { perimetre: 'national' } }, target).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SyncError);
    expect(e).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    const cert = await call(syncEndpoints.deviceCertificate, {}, target);
    expect(certificateBody.parse(JSON.parse(cert.body)).role).toBe('agent');
  });

  it('refuses, with a French message and nothing changed, what is outside the asker’s scope', async () => {
    expect((await refused(agent, `collectivite:${otherColl}`, 403, 'FORBIDDEN')).message).toMatch(
      /hors de votre périmètre/,
    );
    await refused(agent, `region:${REGION}`, 403, 'FORBIDDEN');
    await refused(agent, 'national', 403, 'FORBIDDEN');
    await refused(otherSgar, `region:${REGION}`, 403, 'FORBIDDEN');
    await refused(otherSgar, `collectivite:${coll}`, 403, 'FORBIDDEN');
    await refused(sgar, 'national', 403, 'FORBIDDEN');
    await refused(daect, 'region:99', 404, 'NOT_FOUND');
    await refused(daect, `collectivite:${newId()}`, 404, 'NOT_FOUND');
    await refused(daect, 'commune:35238', 400, 'VALIDATION');
    const r = await fetch(`${s.url}/api/v1/instantanes?perimetre=national`);
    expect(r.status).toBe(401);
  });
});
