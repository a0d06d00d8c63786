// Holes closed by the audit of issue 12 (items 5, 6, 7): conflicts store only validated values, bad
// input never reaches a 5xx (NUL characters, deep values, forged claims), no overlapping ranges on the
// update feed, one writing server per PostgreSQL database.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/testServer';
import { TestDevice, api, devicePublicKey } from '../helpers/client';
import { newId } from '../../../src-shared/sync/ids';
import type { SyncResponse } from '../../../src-shared/sync/protocol';
import { signAccess, type AccessClaims } from '../../../src-server/auth/tokens';
import { updatesRoutes } from '../../../src-server/routes/updates';
import { createServer } from '../../../src-server/app';
import { loadConfig } from '../../../src-server/config';
import { lockWriter, WriterLockedError } from '../../../src-server/db/writerLock';
import pg from 'pg';
import { dropPgDatabase } from '../../support/server-process';

const SECRET = 'secret-de-test-pour-jetons-forges';
let s: TestServer;
let a1: TestDevice;
let a2: TestDevice;
let cid: string;

beforeAll(async () => {
  s = await startTestServer({ seed: 'none', env: { CNCD_TOKEN_SECRET: SECRET } });
  const u1 = await s.createUser({ role: 'agent', collectiviteCode: 'commune:22278' });
  const u2 = await s.createUser({ role: 'agent', collectiviteCode: 'commune:22278' });
  cid = u1.collectiviteId!;
  a1 = await new TestDevice(s.url).login(u1.email, u1.password);
  a2 = await new TestDevice(s.url).login(u2.email, u2.password);
});
afterAll(async () => {
  await s?.close();
});

const count = async (sql: string, params: unknown[] = []) =>
  (await s.internals.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params))[0]!.n;

async function newContact(d: TestDevice) {
  const id = newId();
  const r = await d.sync([
    d.change({
      entity: 'contact',
      op: 'create',
      record: id,
      fields: {
        collectiviteId: cid,
        categorie: 'cadre',
        civilite: null,
        prenom: 'Anne',
        nom: 'Kervella',
        fonction: 'Chargée de mission',
        courriel: 'anne.kervella@mairie.fr',
        telephone: null,
      },
    }),
  ]);
  expect(r.body.results[0]!.status, JSON.stringify(r.body.results[0])).toBe('applied');
  return { id, rev: r.body.results[0]!.rev! };
}

describe('conflicts store only validated values (issue 12, item 5)', () => {
  it('refuses an invalid value that would become a field conflict, with the field’s French message, and stores nothing', async () => {
    const { id, rev } = await newContact(a1);
    const edit = await a1.sync([
      a1.change({
        entity: 'contact',
        op: 'update',
        record: id,
        fields: { fonction: { value: 'Directrice', base: rev } },
      }),
    ]);
    expect(edit.body.results[0]!.status).toBe('applied');
    const before = await count('conflicts');
    // base 0: the same field changed elsewhere since, so a valid value would be a conflict
    const r = await a2.sync([
      a2.change({
        entity: 'contact',
        op: 'update',
        record: id,
        fields: { fonction: { value: 'x'.repeat(300), base: 0 } },
      }),
      a2.change({
        entity: 'contact',
        op: 'update',
        record: id,
        fields: { fonction: { value: { planted: 'y'.repeat(1000) }, base: 0 } },
      }),
    ]);
    expect(r.status).toBe(200);
    expect(r.body.results.map((x) => [x.status, x.code, x.message])).toEqual([
      ['rejected', 'VALIDATION', '« Titre / fonction » ne peut dépasser 200 caractères.'],
      ['rejected', 'VALIDATION', '« Titre / fonction » doit être un texte.'],
    ]);
    expect(await count('conflicts')).toBe(before);
    // a valid one is still a conflict, and what is stored is the validated value
    const ok = await a2.sync([
      a2.change({
        entity: 'contact',
        op: 'update',
        record: id,
        fields: { fonction: { value: '  Adjointe  ', base: 0 } },
      }),
    ]);
    expect(ok.body.results[0]!.status).toBe('conflict');
    const c = (
      await s.internals.db.query<{ proposed_value: unknown }>('SELECT proposed_value FROM conflicts WHERE id = $1', [
        ok.body.results[0]!.conflicts![0],
      ])
    )[0]!;
    expect(c.proposed_value).toBe('Adjointe');
  });

  it('refuses an invalid edit of a deleted record instead of storing it as an edit/delete conflict', async () => {
    const p = newId();
    const made = await a1.sync([
      a1.change({
        entity: 'partenariat',
        op: 'create',
        record: p,
        fields: {
          collectiviteId: cid,
          nature: 'action_exterieure',
          pays: 'SN',
          nomPartenaire: 'Commune de Podor',
          typePartenaire: 'municipalite',
          jumelage: false,
          dateConvention: null,
          statut: 'active',
          latitude: null,
          longitude: null,
        },
      }),
    ]);
    const rev = made.body.results[0]!.rev!;
    const del = await a1.sync([a1.change({ entity: 'partenariat', op: 'delete', record: p, base: rev })]);
    expect(del.body.results[0]!.status).toBe('applied');
    const before = await count('conflicts');
    const bad = await a2.sync([
      a2.change({
        entity: 'partenariat',
        op: 'update',
        record: p,
        fields: {
          nomPartenaire: { value: 'z'.repeat(100_000), base: rev },
          statut: { value: 'inconnu', base: rev },
        },
      }),
    ]);
    expect(bad.body.results[0]).toMatchObject({ status: 'rejected', code: 'VALIDATION' });
    expect(bad.body.results[0]!.message).toMatch(/« Nom du partenaire » ne peut dépasser 200 caractères/);
    expect(await count('conflicts')).toBe(before);
    const good = await a2.sync([
      a2.change({
        entity: 'partenariat',
        op: 'update',
        record: p,
        fields: { statut: { value: 'en_sommeil', base: rev } },
      }),
    ]);
    expect(good.body.results[0]!.status).toBe('conflict');
    const c = (
      await s.internals.db.query<{ proposed_value: unknown; kind: string }>(
        'SELECT kind, proposed_value FROM conflicts WHERE id = $1',
        [good.body.results[0]!.conflicts![0]],
      )
    )[0]!;
    expect(c).toEqual({ kind: 'edit_delete', proposed_value: { statut: 'en_sommeil' } });
  });
});

function expect400(r: { status: number; body: unknown }, message: RegExp = /caractères de contrôle/) {
  expect(r.status).toBe(400);
  const b = r.body as { code: string; message: string };
  expect(b.code).toBe('VALIDATION');
  expect(b.message).toMatch(message);
}

describe('bad input is a 400 with a code and a French message, never a 500 (issue 12, item 6)', () => {
  const device = () => ({ id: newId(), name: 'Poste', publicKey: devicePublicKey() });

  it('NUL characters in e-mails, names and device names', async () => {
    expect400(
      await api(s.url, '/api/v1/auth/login', {
        body: { email: 'agent\u0000@mairie.fr', password: 'x', device: device() },
      }),
    );
    expect400(
      await api(s.url, '/api/v1/auth/login', {
        body: { email: 'agent@mairie.fr', password: 'x', device: { ...device(), name: 'Poste\u0000' } },
      }),
    );
    expect400(await api(s.url, '/api/v1/auth/password/forgot', { body: { email: 'a\u0000b@mairie.fr' } }));
    const req = {
      email: 'nouvel.agent@mairie.fr',
      nom: 'Nouvel Agent',
      fonction: 'Chargé de mission',
      collectiviteCode: 'commune:22278',
      password: 'un-mot-de-passe-long',
    };
    const users = await count('users');
    expect400(await api(s.url, '/api/v1/accounts/request', { body: { ...req, email: 'nouvel\u0000@mairie.fr' } }));
    expect400(await api(s.url, '/api/v1/accounts/request', { body: { ...req, nom: 'Nouvel\u0000Agent' } }));
    expect400(await api(s.url, '/api/v1/accounts/request', { body: { ...req, fonction: 'Chargé\u0007' } }));
    expect(await count('users')).toBe(users);
  });

  it('a NUL character in a value that would become a conflict is refused, and the retried batch gets the same answer', async () => {
    const { id, rev } = await newContact(a1);
    await a1.sync([
      a1.change({ entity: 'contact', op: 'update', record: id, fields: { nom: { value: 'Le Gall', base: rev } } }),
    ]);
    const change = a2.change({
      entity: 'contact',
      op: 'update',
      record: id,
      fields: { nom: { value: 'Le\u0000Goff', base: rev } },
    });
    const first = await a2.sync([change]);
    expect(first.status).toBe(200);
    expect(first.body.results[0]).toMatchObject({
      status: 'rejected',
      code: 'VALIDATION',
      message: '« Nom » contient des caractères de contrôle non autorisés.',
    });
    const retry = await a2.sync([change]);
    expect(retry.status).toBe(200);
    expect(retry.body.results[0]).toMatchObject({ status: 'rejected', code: 'VALIDATION', duplicate: true });
  });

  it('a value nested 5,000 levels deep, and a field name with a NUL', async () => {
    // written by hand: JSON.stringify itself overflows the stack at this depth
    const deep = { text: `${'{"v":'.repeat(5_000)}"fond"${'}'.repeat(5_000)}` };
    const sync = (fields: unknown) =>
      api<SyncResponse>(s.url, '/api/v1/sync', {
        token: a1.session.accessToken,
        body: `{"v":1,"cursor":"0","changes":[{"id":"${newId()}","seq":${++a1.seq},"entity":"contact","op":"update","record":"${newId()}","fields":${typeof fields === 'string' ? fields : JSON.stringify(fields)}}]}`,
      });
    expect400(await sync(`{"nom":{"value":${deep.text},"base":0}}`), /trop imbriquée/);
    expect400(await sync({ 'nom\u0000': { value: 'x', base: 0 } }), /Requête invalide/);
    expect((await api(s.url, '/api/health')).status).toBe(200);
  });

  it('a correctly signed token whose claims are malformed is refused as invalid (401), never a 500', async () => {
    const good: AccessClaims = {
      sub: a1.session.user.id,
      role: 'agent',
      cid,
      reg: '53',
      dev: a1.id,
      exp: Math.floor(Date.now() / 1000) + 600,
    };
    const forged: unknown[] = [
      { ...good, sub: 'pas-un-uuid' },
      { ...good, dev: 42 },
      { ...good, role: 'admin' },
      { ...good, cid: "'; DROP TABLE users; --" },
      { ...good, reg: { $ne: null } },
      { ...good, exp: '9999999999' },
      [1, 2, 3],
      'texte',
      null,
      { ...good, sub: 'a\u0000b' },
    ];
    for (const claims of forged) {
      const token = signAccess(Buffer.from(SECRET, 'utf8'), claims as AccessClaims);
      const me = await api(s.url, '/api/v1/me', { token });
      expect(me.status, JSON.stringify(claims)).toBe(401);
      expect(me.body).toMatchObject({ code: 'TOKEN_INVALID' });
      const sync = await api(s.url, '/api/v1/sync', { token, body: { v: 1, cursor: '0', changes: [] } });
      expect(sync.status).toBe(401);
    }
    // the well-formed one works: the secret is the server's
    expect((await api(s.url, '/api/v1/me', { token: signAccess(Buffer.from(SECRET, 'utf8'), good) })).status).toBe(200);
  });
});

describe('update feed ranges (issue 12, item 7)', () => {
  it('refuses overlapping or out-of-order ranges instead of sending the file once per range; disjoint ranges still work', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'atlas-ranges-'));
    const size = 1024 * 1024;
    writeFileSync(path.join(dir, 'Atlas-1.0.0.AppImage'), Buffer.alloc(size, 7));
    const app = Fastify();
    await app.register(updatesRoutes, { prefix: '/updates', dir });
    try {
      const get = (range: string) =>
        app.inject({ method: 'GET', url: '/updates/Atlas-1.0.0.AppImage', headers: { range } });
      const amplified = await get(`bytes=${Array.from({ length: 200 }, () => '0-').join(',')}`);
      expect(amplified.statusCode).toBe(416);
      expect(amplified.rawPayload.length).toBeLessThan(1_000);
      expect(amplified.json()).toMatchObject({ code: 'RANGE_OVERLAPPING' });
      expect((await get('bytes=0-99,50-149')).statusCode).toBe(416);
      expect((await get('bytes=500-599,0-99')).statusCode).toBe(416);
      expect(
        (await get(`bytes=${Array.from({ length: 1_001 }, (_, i) => `${i * 10}-${i * 10 + 1}`).join(',')}`)).statusCode,
      ).toBe(416);
      // what electron-updater's differential download sends: ascending, disjoint, many
      const many = await get(
        `bytes=${Array.from({ length: 300 }, (_, i) => `${i * 1000}-${i * 1000 + 99}`).join(',')}`,
      );
      expect(many.statusCode).toBe(206);
      expect(many.rawPayload.length).toBeLessThan(300 * 100 + 300 * 200);
      expect((await get('bytes=0-99')).statusCode).toBe(206);
    } finally {
      await app.close();
    }
  });
});

describe('one writing server per PostgreSQL database (issue 12, item 7)', () => {
  // PGlite has its folder lock (lifecycle.test.ts); this lock exists on PostgreSQL only, so the test
  // runs where the integration tests run on PostgreSQL (DATABASE_URL) and is reported skipped elsewhere.
  it.skipIf(!process.env.DATABASE_URL)(
    'PostgreSQL: a second server on the same database refuses to start with a clear message; the lock is free again once released',
    async () => {
      const db = (await s.internals.db.query<{ d: string }>('SELECT current_database() AS d'))[0]!.d;
      const u = new URL(process.env.DATABASE_URL!);
      u.pathname = `/${db}`;
      const config = loadConfig({
        DATABASE_URL: u.toString(),
        LOG_LEVEL: 'silent',
        SEED_DEMO: '0',
        PORT: '0',
        CNCD_APP_DIR: '/nonexistent-app-dir',
      });
      await expect(createServer(config)).rejects.toThrow(WriterLockedError);
      await expect(createServer(config)).rejects.toThrow(/Un autre serveur CNCD utilise déjà cette base PostgreSQL/);
      // the lock itself: taken, refused to a second holder, free again after release
      const other = new URL(u);
      const admin = new pg.Client({ connectionString: process.env.DATABASE_URL! });
      await admin.connect();
      const name = `atlas_lock_${Date.now()}`;
      await admin.query(`CREATE DATABASE ${name}`);
      try {
        other.pathname = `/${name}`;
        const release = await lockWriter(other.toString());
        await expect(lockWriter(other.toString(), undefined, 300)).rejects.toThrow(WriterLockedError);
        await release();
        const again = await lockWriter(other.toString());
        await again();
      } finally {
        await admin.end();
        await dropPgDatabase(process.env.DATABASE_URL!, name);
      }
    },
  );
});
