// Bad input never gives a 5xx: a 4xx with a French message and a code, and nothing written.
// Also: compressed bodies both ways, API docs, and what the server says about itself.
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/testServer';
import { TestDevice, api } from '../helpers/client';
import { newId } from '../../../src-shared/sync/ids';
import { MAX_CHANGES_PER_REQUEST } from '../../../src-shared/sync/protocol';

let s: TestServer;
let d: TestDevice;
let cid: string;

beforeAll(async () => {
  s = await startTestServer({ seed: 'small', env: { BODY_LIMIT: String(256 * 1024) } });
  const u = await s.createUser({ role: 'agent', collectiviteCode: 'commune:22278' });
  cid = u.collectiviteId!;
  d = await new TestDevice(s.url).login(u.email, u.password);
});
afterAll(async () => {
  await s?.close();
});

const auditCount = async () =>
  (await s.internals.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log'))[0]!.n;

function expectFrenchError(r: { status: number; body: unknown }, status: number, code?: string) {
  expect(r.status).toBe(status);
  const b = r.body as { code: string; message: string };
  expect(typeof b.code).toBe('string');
  if (code) expect(b.code).toBe(code);
  expect(b.message).toMatch(/[éèàùâêîôûç]|requête|invalide|inconnue|trop|connexion/i);
}

describe('bad input on /api/v1/sync', () => {
  const sync = (body: unknown, headers: Record<string, string> = {}) =>
    api(s.url, '/api/v1/sync', { token: d.session.accessToken, body, headers });

  it('malformed JSON', async () => {
    const before = await auditCount();
    expectFrenchError(await sync('{"v":1,"cursor":"0","changes":[', {}), 400, 'INVALID_JSON');
    expect(await auditCount()).toBe(before);
  });

  it('wrong types, unknown fields, missing fields', async () => {
    expectFrenchError(await sync({ v: '1', cursor: '0', changes: [] }), 400, 'VALIDATION');
    expectFrenchError(await sync({ v: 1, cursor: '0', changes: [], extra: true }), 400, 'VALIDATION');
    expectFrenchError(await sync({ v: 1, changes: [] }), 400, 'VALIDATION');
    expectFrenchError(await sync({ v: 1, cursor: 'abc', changes: [] }), 400, 'VALIDATION');
    expectFrenchError(
      await sync({
        v: 1,
        cursor: '0',
        changes: [{ id: newId(), seq: 1, entity: 'inconnu', op: 'create', record: newId(), fields: {} }],
      }),
      400,
      'VALIDATION',
    );
    expectFrenchError(await sync([1, 2, 3]), 400);
  });

  it('a cursor from another database restarts the pull from the beginning', async () => {
    const r = await sync({ v: 1, cursor: '9999999999', changes: [] });
    expect(r.status).toBe(200);
    const b = r.body as { changes: { entity: string; id: string }[]; cursor: string };
    expect(b.changes.some((c) => c.entity === 'collectivite' && c.id === cid)).toBe(true);
    expect(Number(b.cursor)).toBeLessThan(9999999999);
  });

  it('wrong protocol version', async () => {
    expectFrenchError(await sync({ v: 99, cursor: '0', changes: [] }), 400, 'PROTOCOL_VERSION');
  });

  it('oversized batches and bodies', async () => {
    const change = (i: number) => ({
      id: newId(),
      seq: 10_000 + i,
      entity: 'contact',
      op: 'delete',
      record: newId(),
      base: 0,
    });
    expectFrenchError(
      await sync({
        v: 1,
        cursor: '0',
        changes: Array.from({ length: MAX_CHANGES_PER_REQUEST + 1 }, (_, i) => change(i)),
      }),
      400,
      'VALIDATION',
    );
    const big = 'x'.repeat(300 * 1024);
    expectFrenchError(await sync({ v: 1, cursor: '0', changes: [], pad: big }), 413, 'PAYLOAD_TOO_LARGE');
    // a small gzip body that inflates past the limit (zip bomb) is refused too
    const bomb = zlib.gzipSync(
      Buffer.from(JSON.stringify({ v: 1, cursor: '0', changes: [], pad: 'a'.repeat(2 * 1024 * 1024) })),
    );
    const r = await fetch(`${s.url}/api/v1/sync`, {
      method: 'POST',
      body: bomb,
      headers: {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        authorization: `Bearer ${d.session.accessToken}`,
      },
    });
    expect(r.status).toBe(413);
    const garbage = await fetch(`${s.url}/api/v1/sync`, {
      method: 'POST',
      body: Buffer.from('not gzip at all'),
      headers: {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        authorization: `Bearer ${d.session.accessToken}`,
      },
    });
    expect(garbage.status).toBeGreaterThanOrEqual(400);
    expect(garbage.status).toBeLessThan(500);
  });

  it('invalid record values are rejected per change with a French message, nothing written', async () => {
    const before = await auditCount();
    const r = await d.sync([
      d.change({
        entity: 'contact',
        op: 'create',
        record: newId(),
        fields: {
          collectiviteId: cid,
          categorie: 'elu',
          prenom: 'A',
          nom: 'B',
          fonction: 'C',
          courriel: 'a@b.fr',
          inconnu: 1,
        },
      }),
      d.change({
        entity: 'partenariat',
        op: 'create',
        record: newId(),
        fields: {
          collectiviteId: cid,
          nature: 'cooperation_decentralisee',
          pays: 'SN',
          nomPartenaire: 'Commune de Podor',
          jumelage: false,
          statut: 'active',
        },
      }),
      d.change({ entity: 'contact', op: 'update', record: newId(), fields: { nom: { value: 'X', base: 0 } } }),
    ]);
    expect(r.status).toBe(200);
    expect(r.body.results.map((x) => x.code)).toEqual(['VALIDATION', 'VALIDATION', 'UNKNOWN_RECORD']);
    expect(r.body.results[0]!.message).toMatch(/Champ inconnu/);
    expect(r.body.results[1]!.message).toMatch(/convention/);
    expect(await auditCount()).toBe(before);
  });

  it('a partner in France or one of its overseas territories is refused by the server too', async () => {
    const before = await auditCount();
    const r = await d.sync(
      ['FR', 'GP', 'NC'].map((pays) =>
        d.change({
          entity: 'partenariat',
          op: 'create',
          record: newId(),
          fields: {
            collectiviteId: cid,
            nature: 'action_exterieure',
            pays,
            nomPartenaire: 'Commune de Pointe-à-Pitre',
            jumelage: false,
            statut: 'active',
          },
        }),
      ),
    );
    expect(r.status).toBe(200);
    expect(r.body.results.map((x) => x.code)).toEqual(['VALIDATION', 'VALIDATION', 'VALIDATION']);
    for (const x of r.body.results) expect(x.message).toMatch(/ne sont pas des pays partenaires/);
    expect(await auditCount()).toBe(before);
  });

  it('forged record ids from another scope', async () => {
    const lyon = (
      await s.internals.db.query<{ id: string; sync_rev: number }>(
        `SELECT p."id", p.sync_rev FROM partenariat p JOIN collectivite c ON c."id" = p."collectiviteId" WHERE c."code" = 'commune:69123' LIMIT 1`,
      )
    )[0]!;
    const r = await d.sync([
      d.change({
        entity: 'partenariat',
        op: 'update',
        record: lyon.id,
        fields: { statut: { value: 'terminee', base: lyon.sync_rev } },
      }),
      d.change({ entity: 'partenariat', op: 'delete', record: lyon.id, base: lyon.sync_rev }),
    ]);
    expect(r.body.results.map((x) => x.code)).toEqual(['OUT_OF_SCOPE', 'OUT_OF_SCOPE']);
    const after = (
      await s.internals.db.query<{ sync_rev: number; deleted: boolean }>(
        'SELECT sync_rev, deleted FROM partenariat WHERE "id" = $1',
        [lyon.id],
      )
    )[0]!;
    expect(after).toEqual({ sync_rev: lyon.sync_rev, deleted: false });
  });

  it('missing or garbage tokens', async () => {
    expectFrenchError(
      await api(s.url, '/api/v1/sync', { body: { v: 1, cursor: '0', changes: [] } }),
      401,
      'UNAUTHENTICATED',
    );
    expectFrenchError(
      await api(s.url, '/api/v1/sync', { token: 'abc.def', body: { v: 1, cursor: '0', changes: [] } }),
      401,
      'TOKEN_INVALID',
    );
  });

  it('wrong content type and unknown routes', async () => {
    const r = await fetch(`${s.url}/api/v1/sync`, {
      method: 'POST',
      body: 'v=1',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Bearer ${d.session.accessToken}`,
      },
    });
    expect(r.status).toBe(415);
    expect(await r.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    expectFrenchError(await api(s.url, '/api/v1/nope'), 404, 'NOT_FOUND');
  });

  it('bad input on the account endpoints', async () => {
    expectFrenchError(
      await api(s.url, '/api/v1/auth/login', {
        body: { email: 'pas-un-courriel', password: 'x', device: { id: 'x', name: '', publicKey: '' } },
      }),
      400,
      'VALIDATION',
    );
    expectFrenchError(
      await api(s.url, '/api/v1/accounts/request', {
        body: { email: 'a@b.fr', nom: 'A', fonction: 'B', collectiviteCode: 'commune:22278', password: 'court' },
      }),
      400,
      'VALIDATION',
    );
    expectFrenchError(await api(s.url, '/api/v1/accounts/verify?token=nimportequoiquiestlong'), 400, 'TOKEN_INVALID');
    expectFrenchError(await api(s.url, '/api/v1/reference/collectivites?q='), 400, 'VALIDATION');
  });
});

describe('compression and description', () => {
  it('accepts gzip request bodies and compresses large responses', async () => {
    const body = zlib.gzipSync(Buffer.from(JSON.stringify({ v: 1, cursor: '0', changes: [] })));
    const r = await fetch(`${s.url}/api/v1/sync`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'accept-encoding': 'br, gzip',
        authorization: `Bearer ${d.session.accessToken}`,
      },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-encoding')).toBe('br');
    const json = (await r.json()) as { changes: unknown[] };
    expect(json.changes.length).toBeGreaterThan(5);
  });

  it('describes the API at /api/docs (OpenAPI)', async () => {
    const ui = await fetch(`${s.url}/api/docs`);
    expect(ui.status).toBe(200);
    const spec = (await (await fetch(`${s.url}/api/docs/json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/v1/sync', '/api/v1/auth/login', '/api/v1/accounts/request', '/api/health']),
    );
  });

  it('answers a 404 apiError on the update feed placeholder paths it does not know', async () => {
    const r = await fetch(`${s.url}/updates/inexistant.yml`);
    expect(r.status).toBe(404);
  });
});
