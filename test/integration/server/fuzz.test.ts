// Fuzz suite (issue 12): requests generated from the zod schemas of src-shared with fast-check —
// valid shapes with hostile values, and invalid shapes — against every endpoint, without a token,
// with a garbage one and as each role. Properties, for every request: no 5xx (429 is fine: login
// throttling), no hang, nothing written by a refused request (nor by a refused change inside a
// sync), and the server still answers /api/health at the end.
// Quick profile (1,000 cases) in `npm test`; `npm run test:fuzz` runs the long one (10,000).
// FUZZ_RUNS and FUZZ_SEED override the count and the seed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/testServer';
import { TestDevice } from '../helpers/client';
import { validRecord, type Parents } from '../helpers/fixtures';
import { arbitraryOf, junk } from '../../support/zodArbitrary';
import {
  accountRequest,
  approveParams,
  collectiviteSearchQuery,
  disableAccountRequest,
  managedAccountsQuery,
  refuseAccountRequest,
  verifyQuery,
} from '../../../src-shared/api/accounts';
import {
  forgotPasswordRequest,
  loginRequest,
  logoutRequest,
  refreshRequest,
  resetPasswordRequest,
} from '../../../src-shared/api/auth';
import { syncRequest, type SyncResponse } from '../../../src-shared/sync/protocol';
import { ENTITY_NAMES, entityDef, type EntityName } from '../../../src-shared/registry';
import { collectiviteId } from '../../../src-shared/sync/ids';
import { TABLE_DEFS } from '../../../src-server/sync/tables';

const LONG = process.env.FUZZ_PROFILE === 'long';
const RUNS = Number(process.env.FUZZ_RUNS ?? (LONG ? 10_000 : 1_000));
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const REQUEST_TIMEOUT_MS = 15_000;

let s: TestServer;
const tokens: Record<'agent' | 'sgar' | 'daect', string> = { agent: '', sgar: '', daect: '' };
const devices: Record<'agent' | 'sgar' | 'daect', TestDevice> = {} as never;
let recordIds: string[] = [];
const targetIds: string[] = [];
const OWN = collectiviteId('commune:22278');
const FOREIGN = collectiviteId('commune:69123');

beforeAll(async () => {
  // The update feed serves a real file, so ranges reach the code that reads it.
  const updates = mkdtempSync(path.join(tmpdir(), 'atlas-fuzz-updates-'));
  writeFileSync(path.join(updates, 'Atlas-hors-ligne-1.0.0.AppImage'), Buffer.alloc(64 * 1024, 1));
  writeFileSync(path.join(updates, 'latest-linux.yml'), 'version: 1.0.0\n');
  process.env.CNCD_UPDATES_DIR = updates;
  s = await startTestServer({ seed: 'none', env: { ACCESS_TOKEN_TTL: '7200' } });
  for (const [role, opts] of [
    ['agent', { collectiviteCode: 'commune:22278' }],
    ['sgar', { region: '53' }],
    ['daect', {}],
  ] as const) {
    const u = await s.createUser({ role, ...opts });
    devices[role] = await new TestDevice(s.url).login(u.email, u.password);
    tokens[role] = devices[role].session.accessToken;
  }
  await s.createUser({ role: 'agent', collectiviteCode: 'commune:69123' });
  for (const code of ['commune:22278', 'commune:69123'])
    targetIds.push((await s.createUser({ role: 'agent', collectiviteCode: code })).id);
  // A few records of every entity, in and out of the agent's scope: changes then reach rights, merge
  // and conflicts. (Small tables keep the per-case state checks cheap.)
  const d = devices.daect;
  const camp = validRecord('campagne', OWN, {} as Parents);
  await d.sync([d.change({ entity: 'campagne', op: 'create', record: camp.id, fields: camp.fields })]);
  for (const cid of [OWN, FOREIGN]) {
    const p: Parents = { partenariatId: '', ficheProjetId: '', declarationApdId: '', campagneId: camp.id };
    for (const e of [
      'contact',
      'adhesion',
      'partenariat',
      'ficheProjet',
      'declarationApd',
      'ligneApd',
      'avis',
      'attestationCampagne',
    ] as const) {
      const rec = validRecord(e, cid, p);
      await d.sync([d.change({ entity: e, op: 'create', record: rec.id, fields: rec.fields })]);
      if (e === 'partenariat') p.partenariatId = rec.id;
      if (e === 'ficheProjet') p.ficheProjetId = rec.id;
      if (e === 'declarationApd') p.declarationApdId = rec.id;
    }
  }
  for (const e of ENTITY_NAMES) {
    const rows = await s.internals.db.query<{ id: string }>(`SELECT "id" AS id FROM ${TABLE_DEFS[e].table}`);
    recordIds.push(...rows.map((r) => r.id));
  }
  recordIds = [...new Set([...recordIds, OWN, FOREIGN])];
}, 120_000);
afterAll(async () => {
  await s?.close();
});

interface FuzzRequest {
  endpoint: string;
  method: 'GET' | 'POST' | 'HEAD';
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}
type Auth = 'none' | 'garbage' | 'agent' | 'sgar' | 'daect';

const shapes = (schema: unknown) =>
  fc.oneof(
    { weight: 3, arbitrary: arbitraryOf(schema) },
    { weight: 1, arbitrary: arbitraryOf(schema, { invalid: true }) },
  );
/** encodeURIComponent, but a lone surrogate is sent as the invalid UTF-8 bytes it would be (hostile on purpose). */
const enc = (t: string) =>
  Array.from(t)
    .map((ch) => (/[\uD800-\uDFFF]/.test(ch) ? '%ED%A0%80' : encodeURIComponent(ch)))
    .join('');
/**
 * The account id a generated value puts in the path: its `id` when it has one, else the value itself, as
 * text. String() throws on what fast-check makes (null prototypes, a `toString` that is not a function).
 */
const pathId = (p: unknown): string => {
  const v = p !== null && typeof p === 'object' && 'id' in p ? ((p as { id: unknown }).id ?? p) : p;
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v) ?? 'undefined';
  } catch {
    return 'objet';
  }
};
const query = (o: unknown) => {
  if (!o || typeof o !== 'object' || Array.isArray(o)) return `?q=${enc(String(o))}`;
  return `?${new URLSearchParams(Object.entries(o).map(([k, v]) => [k, typeof v === 'string' ? v : (JSON.stringify(v) ?? '')])).toString()}`;
};

/** A change of the sync protocol whose fields come from the entity's own schema. */
function changeArb(): fc.Arbitrary<unknown> {
  const entity = fc.constantFrom(...ENTITY_NAMES);
  const record = fc.oneof(fc.constantFrom(...recordIds), fc.uuid({ version: [4, 7] }));
  const seq = fc.oneof(
    { weight: 4, arbitrary: fc.constant('next') },
    { weight: 1, arbitrary: fc.integer({ min: -1, max: 2 ** 40 }) },
  );
  const base = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5_000 }), fc.constant(Number.MAX_SAFE_INTEGER));
  const cid = fc.constantFrom(OWN, FOREIGN);
  const fieldsOf = (e: EntityName, invalid: boolean) => arbitraryOf(entityDef(e).schema, { invalid });
  return entity
    .chain((e) =>
      fc
        .oneof(
          fc.record({
            op: fc.constant('create'),
            fields: fc
              .tuple(fieldsOf(e, false), cid)
              .map(([f, c]) => (f && typeof f === 'object' ? { ...f, collectiviteId: c } : f)),
          }),
          fc.record({ op: fc.constant('create'), fields: fieldsOf(e, true) }),
          fc.record({
            op: fc.constant('update'),
            fields: fc
              .tuple(
                fc.oneof({ weight: 3, arbitrary: fieldsOf(e, false) }, { weight: 1, arbitrary: fieldsOf(e, true) }),
                base,
              )
              .map(([f, b]) =>
                f && typeof f === 'object'
                  ? Object.fromEntries(
                      Object.entries(f)
                        .slice(0, 3)
                        .map(([k, v]) => [k, { value: v, base: b }]),
                    )
                  : f,
              ),
            resolves: fc.option(fc.array(fc.uuid({ version: [4, 7] }), { maxLength: 2 }), { nil: undefined }),
          }),
          fc.record({ op: fc.constant('delete'), base }),
        )
        .chain((body) =>
          fc.record({ id: fc.uuid({ version: [4, 7] }), seq, entity: fc.constant(e), record, body: fc.constant(body) }),
        ),
    )
    .map(({ body, ...c }) => ({ ...c, ...(body as object) }));
}

/** Built once the records exist (their ids are part of what is generated). */
const requests = (): Record<string, fc.Arbitrary<FuzzRequest>> => {
  const syncBody = fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({
        v: fc.constant(1),
        cursor: fc.constantFrom('0', '5', '999999'),
        changes: fc.array(changeArb(), { maxLength: 4 }),
        limit: fc.option(fc.integer({ min: 1, max: 5_000 }), { nil: undefined }),
      }),
    },
    { weight: 2, arbitrary: shapes(syncRequest) },
    { weight: 1, arbitrary: junk },
  );

  return {
    login: shapes(loginRequest).map((body) => ({
      endpoint: 'login',
      method: 'POST',
      path: '/api/v1/auth/login',
      body,
    })),
    refresh: shapes(refreshRequest).map((body) => ({
      endpoint: 'refresh',
      method: 'POST',
      path: '/api/v1/auth/refresh',
      body,
    })),
    logout: shapes(logoutRequest).map((body) => ({
      endpoint: 'logout',
      method: 'POST',
      path: '/api/v1/auth/logout',
      body,
    })),
    me: fc.constant({ endpoint: 'me', method: 'GET', path: '/api/v1/me' }),
    forgot: shapes(forgotPasswordRequest).map((body) => ({
      endpoint: 'forgot',
      method: 'POST',
      path: '/api/v1/auth/password/forgot',
      body,
    })),
    reset: shapes(resetPasswordRequest).map((body) => ({
      endpoint: 'reset',
      method: 'POST',
      path: '/api/v1/auth/password/reset',
      body,
    })),
    accountRequest: fc
      .tuple(
        shapes(accountRequest),
        fc.option(fc.constantFrom('commune:22278', 'commune:69123', 'commune:35238', 'dep:29'), { freq: 2 }),
      )
      .map(([b, code]) => (code && b && typeof b === 'object' ? { ...b, collectiviteCode: code } : b))
      .map((body) => ({ endpoint: 'accountRequest', method: 'POST', path: '/api/v1/accounts/request', body })),
    verify: shapes(verifyQuery).map((q) => ({
      endpoint: 'verify',
      method: 'GET',
      path: `/api/v1/accounts/verify${query(q)}`,
    })),
    pending: fc.constant({ endpoint: 'pending', method: 'GET', path: '/api/v1/accounts/pending' }),
    approve: fc
      .oneof(
        shapes(approveParams),
        fc.constantFrom(...recordIds).map((id) => ({ id })),
      )
      .map((p) => ({
        endpoint: 'approve',
        method: 'POST',
        path: `/api/v1/accounts/${enc(pathId(p))}/approve`,
        body: {},
      })),
    // Refusals aim at the pending requests the cases make, other ids and junk.
    refuse: fc
      .tuple(
        fc.oneof(shapes(approveParams), fc.constantFrom(...targetIds), fc.constantFrom(...recordIds)),
        shapes(refuseAccountRequest),
      )
      .map(([p, body]) => ({
        endpoint: 'refuse',
        method: 'POST',
        path: `/api/v1/accounts/${enc(pathId(p))}/refuse`,
        body,
      })),
    accounts: shapes(managedAccountsQuery).map((q) => ({
      endpoint: 'accounts',
      method: 'GET',
      path: `/api/v1/accounts${query(q)}`,
    })),
    // Targets: two accounts made for this (so the three that send the cases keep their sessions), other ids, junk.
    disable: fc
      .tuple(
        fc.oneof(fc.constantFrom(...targetIds), shapes(approveParams), fc.constantFrom(...recordIds)),
        shapes(disableAccountRequest),
      )
      .map(([p, body]) => ({
        endpoint: 'disable',
        method: 'POST',
        path: `/api/v1/accounts/${enc(pathId(p))}/disable`,
        body,
      })),
    enable: fc.oneof(fc.constantFrom(...targetIds), shapes(approveParams)).map((p) => ({
      endpoint: 'enable',
      method: 'POST',
      path: `/api/v1/accounts/${enc(pathId(p))}/enable`,
      body: {},
    })),
    search: shapes(collectiviteSearchQuery).map((q) => ({
      endpoint: 'search',
      method: 'GET',
      path: `/api/v1/reference/collectivites${query(q)}`,
    })),
    sync: syncBody.map((body) => ({ endpoint: 'sync', method: 'POST', path: '/api/v1/sync', body })),
    updates: fc
      .record({
        name: fc.oneof(
          fc.constantFrom(
            'Atlas-hors-ligne-1.0.0.AppImage',
            'latest-linux.yml',
            '..%2Fpackage.json',
            '%00',
            'a'.repeat(300),
          ),
          fc.string({ maxLength: 30 }),
        ),
        range: fc.option(
          fc.oneof(fc.stringMatching(/^bytes=(\d{1,6}-\d{0,6},){0,6}\d{0,6}-\d{0,6}$/), fc.string({ maxLength: 40 })),
        ),
        head: fc.boolean(),
      })
      .map(({ name, range, head }) => ({
        endpoint: 'updates',
        method: head ? ('HEAD' as const) : ('GET' as const),
        path: `/updates/${enc(name)}`,
        headers: range !== null && /^[\x20-\x7e]*$/.test(range) ? { range } : undefined,
      })),
    health: fc.constant({ endpoint: 'health', method: 'GET', path: '/api/health' }),
  };
};

/** What a write leaves behind, in every table a request could touch. */
async function fingerprint(): Promise<string> {
  const parts = [
    'SELECT count(*) FROM audit_log',
    'SELECT count(*) FROM conflicts',
    'SELECT count(*) FROM users',
    'SELECT count(*) FROM email_tokens',
    'SELECT count(*) FROM refresh_tokens',
    'SELECT count(*) FROM devices',
    'SELECT count(*) FROM refresh_tokens WHERE revoked_at IS NOT NULL',
    'SELECT count(*) FROM users WHERE approved_at IS NOT NULL',
    'SELECT count(*) FROM users WHERE disabled_at IS NOT NULL',
    'SELECT count(*) FROM users WHERE refused_at IS NOT NULL',
    ...ENTITY_NAMES.map((e) => `SELECT count(*) + coalesce(max(sync_rev), 0) FROM ${TABLE_DEFS[e].table}`),
  ];
  const row = (await s.internals.db.query(`SELECT ${parts.map((p, i) => `(${p}) AS c${i}`).join(', ')}`))[0]!;
  return JSON.stringify(row);
}

const counts: Record<string, Record<string, number>> = {};
const elapsed: Record<string, number> = {};
let seq = 1_000;

async function send(req: FuzzRequest, auth: Auth) {
  const headers: Record<string, string> = { ...req.headers };
  if (auth === 'garbage') headers.authorization = 'Bearer eyJzdWIiOiJ4In0.Zm9yZ2Vk';
  else if (auth !== 'none') headers.authorization = `Bearer ${tokens[auth]}`;
  let body: string | undefined;
  if (req.body !== undefined) {
    // Changes with seq 'next' take the device's next number, so most of them reach the apply path.
    const b = req.body as { changes?: { seq?: unknown }[] };
    if (b && Array.isArray(b.changes)) for (const c of b.changes) if (c && c.seq === 'next') c.seq = ++seq;
    body = JSON.stringify(req.body) ?? 'null';
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(s.url + req.path, {
    method: req.method,
    headers,
    body,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await res.text();
  return { status: res.status, text };
}

describe(`fuzz (${LONG ? 'long' : 'quick'} profile: ${RUNS} cases, seed ${SEED})`, () => {
  it(
    'no 5xx, no hang, nothing written by a refused request, health still answers',
    async () => {
      const REQUESTS = requests();
      // The sync carries most of the surface (every entity, rights, merge, conflicts): it gets most cases.
      const weight = (e: string) => (e === 'sync' ? 12 : e === 'health' ? 1 : 2);
      const arb = fc.tuple(
        fc.oneof(...Object.entries(REQUESTS).map(([e, a]) => ({ weight: weight(e), arbitrary: a }))),
        fc.constantFrom<Auth>('none', 'garbage', 'agent', 'sgar', 'daect'),
      );
      let cases = 0;
      await fc.assert(
        fc.asyncProperty(arb, async ([req, auth]) => {
          cases++;
          // Accepted account and password requests write after their answer (the server's job queue):
          // that work belongs to the case that asked for it, not to the next one.
          await s.internals.jobs.idle();
          const before = await fingerprint();
          const t0 = Date.now();
          const { status, text } = await send(req, auth);
          elapsed[req.endpoint] = (elapsed[req.endpoint] ?? 0) + Date.now() - t0;
          if (process.env.FUZZ_DEBUG && req.endpoint === process.env.FUZZ_DEBUG && status >= 400)
            console.log(status, text.slice(0, 200));
          const byEndpoint = (counts[req.endpoint] ??= {});
          const bucket = `${Math.floor(status / 100)}xx`;
          byEndpoint[bucket] = (byEndpoint[bucket] ?? 0) + 1;
          expect(status, `${req.method} ${req.path} (${auth}) → ${status} ${text.slice(0, 300)}`).toBeLessThan(500);
          if (status >= 400) {
            await s.internals.jobs.idle();
            expect(await fingerprint(), `${req.method} ${req.path} (${auth}) refused with ${status} but wrote`).toBe(
              before,
            );
          } else if (req.endpoint === 'sync' && status === 200) {
            // Inside an accepted sync, each refused change wrote nothing but its refusal receipt.
            const r = JSON.parse(text) as SyncResponse;
            const refused = r.results.filter((x) => x.status === 'rejected' && !x.duplicate).map((x) => x.id);
            if (refused.length) {
              const [w] = await s.internals.db.query<{ a: number; c: number }>(
                'SELECT (SELECT count(*) FROM audit_log WHERE change_id = ANY($1::uuid[]))::int AS a, (SELECT count(*) FROM conflicts WHERE change_id = ANY($1::uuid[]))::int AS c',
                [refused],
              );
              expect(
                w,
                `refused changes wrote: ${JSON.stringify(r.results.filter((x) => refused.includes(x.id)))}`,
              ).toEqual({ a: 0, c: 0 });
            }
          }
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
      const health = await fetch(`${s.url}/api/health`);
      expect(health.status).toBe(200);
      const total = Object.values(counts).reduce((n, c) => n + Object.values(c).reduce((a, b) => a + b, 0), 0);
      console.log(
        `fuzz ${LONG ? 'long' : 'quick'} profile: ${cases} cases (${total} requests), seed ${SEED}; per endpoint: ${Object.entries(
          counts,
        )
          .map(
            ([e, c]) =>
              `${e} ${Object.entries(c)
                .map(([k, v]) => `${k}=${v}`)
                .join('/')} (${((elapsed[e] ?? 0) / 1000).toFixed(1)} s)`,
          )
          .join(', ')}`,
      );
      expect(cases).toBe(RUNS);
    },
    LONG ? 3_600_000 : 600_000,
  );
});
