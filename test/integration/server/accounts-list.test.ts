// The account list (issue 15): GET /api/v1/accounts scoped to the caller (DAECT: all; SGAR: the agents of
// its région's collectivités, their requests, and the SGAR of its région; an agent: 403), with each
// account's state, role, collectivité, région, creation date and last sync; search (name, address,
// collectivité, accents and hyphens ignored), filters, sort and pages; the actions each row offers are the
// ones the server then accepts. Disabling ends the account's sessions at once; re-enabling lets it log in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManagedAccount, ManagedAccountsResponse } from '../../../src-shared/api/accounts';
import { newId } from '../../../src-shared/sync/ids';
import { loadOfficialCollectivites } from '../../../src-server/reference/officialCollectivites';
import { LastSyncs } from '../../../src-server/sync/service';
import { api, TestDevice, devicePublicKey } from '../helpers/client';
import { linkToken, startSmtp } from '../helpers/smtp';
import { startTestServer, type TestServer, type TestUser } from '../helpers/testServer';

type ErrorBody = { code: string; message: string };
let s: TestServer;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
// A word in every name of this file's accounts: searches on it see only them.
const TAG = `Liste${Date.now().toString(36)}`;
const u = {} as Record<
  'daect' | 'sgar' | 'sgar2' | 'sgarAura' | 'agentSb' | 'agentLyon' | 'agentOff',
  TestUser & { device: TestDevice }
>;
const req = {} as Record<'unverified' | 'verified' | 'refused', { id: string; email: string }>;
let fresh: { code: string; nom: string };

const list = (who: keyof typeof u, query: Record<string, string | number> = {}) =>
  api<ManagedAccountsResponse & ErrorBody>(
    s.url,
    `/api/v1/accounts?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString()}`,
    { token: u[who].device.session.accessToken },
  );
const mine = (r: { body: ManagedAccountsResponse }) => r.body.accounts.filter((a) => a.nom.includes(TAG));
const byId = (r: { body: ManagedAccountsResponse }, id: string): ManagedAccount | undefined =>
  r.body.accounts.find((a) => a.id === id);

async function request(email: string, nom: string, code: string, verify: boolean): Promise<string> {
  const before = smtp.mails.length;
  const r = await api(s.url, '/api/v1/accounts/request', {
    body: { email, nom, fonction: 'Chargée de mission', collectiviteCode: code, password: 'mot-de-passe-demande-1' },
  });
  expect(r.status).toBe(202);
  const mail = await smtp.waitFor(email, /accounts\/verify/);
  expect(smtp.mails.length).toBeGreaterThan(before);
  if (verify) expect((await api(s.url, `/api/v1/accounts/verify?token=${linkToken(mail.raw)}`)).status).toBe(200);
  return (await s.internals.db.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [email]))[0]!.id;
}

beforeAll(async () => {
  smtp = await startSmtp();
  s = await startTestServer({ seed: 'small', smtpPort: smtp.port, env: { MAIL_PER_ADDRESS_PER_HOUR: '1000' } });
  const make = async (key: keyof typeof u, o: Parameters<TestServer['createUser']>[0], nom: string): Promise<void> => {
    const user = await s.createUser(o);
    await s.internals.db.query('UPDATE users SET nom = $2 WHERE id = $1', [user.id, `${nom} ${TAG}`]);
    u[key] = { ...user, device: await new TestDevice(s.url).login(user.email, user.password) };
  };
  await make('daect', { role: 'daect' }, 'Delphine Nationale');
  await make('sgar', { role: 'sgar', region: '53' }, 'Sébastien Breton');
  await make('sgar2', { role: 'sgar', region: '53' }, 'Solène Bretonne');
  await make('sgarAura', { role: 'sgar', region: '84' }, 'Sylvain Lyonnais');
  await make('agentSb', { role: 'agent', collectiviteCode: 'commune:22278' }, 'Agathe Briochine');
  await make('agentLyon', { role: 'agent', collectiviteCode: 'commune:69123' }, 'Armand Gone');
  await make('agentOff', { role: 'agent', collectiviteCode: 'commune:22278' }, 'Aurèle Partant');
  // A Breton commune with an accented, hyphenated name and no row yet: requests for it are found by that name.
  const rows = new Set(
    (await s.internals.db.query<{ code: string }>('SELECT "code" FROM collectivite')).map((r) => r.code),
  );
  const off = loadOfficialCollectivites().find(
    (c) => c.region === '53' && c.type === 'commune' && /[éè]/.test(c.nom) && c.nom.includes('-') && !rows.has(c.code),
  )!;
  fresh = { code: off.code, nom: off.nom };
  const email = (k: string) => `${k}.${TAG.toLowerCase()}@mairie-exemple.fr`;
  req.unverified = { email: email('non-confirme'), id: '' };
  req.unverified.id = await request(req.unverified.email, `Ulysse Attente ${TAG}`, 'commune:22278', false);
  req.verified = { email: email('confirme'), id: '' };
  req.verified.id = await request(req.verified.email, `Valérie Demande ${TAG}`, fresh.code, true);
  req.refused = { email: email('refuse'), id: '' };
  req.refused.id = await request(req.refused.email, `Roland Refus ${TAG}`, 'commune:69123', true);
  const refusal = await api(s.url, `/api/v1/accounts/${req.refused.id}/refuse`, {
    token: u.daect.device.session.accessToken,
    body: { reason: 'Demande en double' },
  });
  expect(refusal.status).toBe(200);
}, 120_000);
afterAll(async () => {
  await s?.close();
  await smtp?.close();
});

describe('account list: scope', () => {
  it('the DAECT lists every account and request, of every state', async () => {
    const r = await list('daect', { etat: 'tous', q: TAG });
    expect(r.status).toBe(200);
    const ids = mine(r).map((a) => a.id);
    for (const k of Object.keys(u) as (keyof typeof u)[]) expect(ids).toContain(u[k].id);
    for (const k of Object.keys(req) as (keyof typeof req)[]) expect(ids).toContain(req[k].id);
    expect(r.body.total).toBe(10);
  });

  it('an SGAR lists the agents and requests of its région’s collectivités and the SGAR of its région, no one else', async () => {
    const r = await list('sgar', { etat: 'tous', q: TAG });
    expect(r.status).toBe(200);
    expect(
      mine(r)
        .map((a) => a.id)
        .sort(),
    ).toEqual([u.sgar.id, u.sgar2.id, u.agentSb.id, u.agentOff.id, req.unverified.id, req.verified.id].sort());
    // The whole list, not only this file's accounts: never an account of another région, never the DAECT.
    const all = await list('sgar', { etat: 'tous', limit: 200 });
    for (const a of all.body.accounts) {
      expect(a.role).not.toBe('daect');
      expect(a.region).toBe('53');
    }
    const other = await list('sgarAura', { etat: 'tous', q: TAG });
    expect(
      mine(other)
        .map((a) => a.id)
        .sort(),
    ).toEqual([u.sgarAura.id, u.agentLyon.id, req.refused.id].sort());
  });

  it('refuses an agent (403), and a call without a session (401)', async () => {
    const r = await list('agentSb', { etat: 'tous' });
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('FORBIDDEN');
    expect((await api(s.url, '/api/v1/accounts')).status).toBe(401);
  });

  it('without a state asked (older apps), lists the approved accounts only', async () => {
    const ids = mine(await list('daect', { q: TAG })).map((a) => a.id);
    expect(ids).toContain(u.agentSb.id);
    expect(ids).not.toContain(req.verified.id);
    expect(ids).not.toContain(req.unverified.id);
    expect(ids).not.toContain(req.refused.id);
  });
});

describe('account list: what a row says', () => {
  it('state, role, collectivité (name and code), région, creation date, and the actions the server accepts', async () => {
    const r = await list('sgar', { etat: 'tous', q: TAG });
    const agent = byId(r, u.agentSb.id)!;
    expect(agent).toMatchObject({
      etat: 'approuve',
      role: 'agent',
      collectiviteNom: 'Saint-Brieuc',
      collectiviteCode: 'commune:22278',
      region: '53',
      self: false,
      actions: ['desactiver'],
    });
    expect(Date.now() - Date.parse(agent.createdAt)).toBeLessThan(10 * 60_000);
    expect(byId(r, req.unverified.id)).toMatchObject({ etat: 'email_a_verifier', actions: ['refuser'] });
    // A request for a collectivité whose row is not made yet: named from the official register.
    expect(byId(r, req.verified.id)).toMatchObject({
      etat: 'a_approuver',
      collectiviteNom: fresh.nom,
      collectiviteCode: fresh.code,
      region: '53',
      actions: ['approuver', 'refuser'],
    });
    // Its own account and the other SGAR of the région: listed, managed by the DAECT only.
    expect(byId(r, u.sgar.id)).toMatchObject({ role: 'sgar', region: '53', self: true, actions: [] });
    expect(byId(r, u.sgar2.id)).toMatchObject({ role: 'sgar', self: false, actions: [] });
    const d = await list('daect', { etat: 'tous', q: TAG });
    expect(byId(d, u.sgar2.id)!.actions).toEqual(['desactiver']);
    expect(byId(d, u.daect.id)).toMatchObject({ self: true, actions: [] });
    expect(byId(d, req.refused.id)).toMatchObject({ etat: 'refuse', refusedReason: 'Demande en double', actions: [] });

    // What the SGAR is not offered, the server refuses.
    const disableSgar = await api<ErrorBody>(s.url, `/api/v1/accounts/${u.sgar2.id}/disable`, {
      token: u.sgar.device.session.accessToken,
      body: { reason: 'Essai hors périmètre' },
    });
    expect(disableSgar.status).toBe(404);
  });

  it('records the last sync of the account’s devices after a sync cycle', async () => {
    const before = byId(await list('daect', { etat: 'tous', q: TAG }), u.agentLyon.id)!;
    expect(before.lastSyncAt).toBeNull();
    const t0 = Date.now();
    const cycle = await u.agentLyon.device.sync();
    expect(cycle.status).toBe(200);
    const after = byId(await list('daect', { etat: 'tous', q: TAG }), u.agentLyon.id)!;
    expect(after.lastSyncAt).not.toBeNull();
    expect(Date.parse(after.lastSyncAt!)).toBeGreaterThanOrEqual(t0 - 2000);
    expect(Date.parse(after.lastSyncAt!)).toBeLessThanOrEqual(Date.now() + 2000);
    const row = await s.internals.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM devices WHERE user_id = $1 AND id = $2 AND last_sync_at IS NOT NULL',
      [u.agentLyon.id, u.agentLyon.device.id],
    );
    expect(row[0]!.n).toBe(1);
    // Sorted by last sync, most recent first: the account that just synced comes before those that never did.
    const sorted = mine(await list('daect', { etat: 'tous', q: TAG, tri: 'synchro', ordre: 'desc' }));
    expect(sorted.findIndex((a) => a.id === u.agentLyon.id)).toBeLessThan(
      sorted.findIndex((a) => a.lastSyncAt === null),
    );
  });

  it('writes a device’s last sync at most once a minute (a no-op cycle stays without a write in between)', async () => {
    const at = async () =>
      (
        await s.internals.db.query<{ t: string | null }>(
          'SELECT last_sync_at::text AS t FROM devices WHERE user_id = $1 AND id = $2',
          [u.agentLyon.id, u.agentLyon.device.id],
        )
      )[0]!.t;
    const old = '2020-01-01 00:00:00+00';
    await s.internals.db.query('UPDATE devices SET last_sync_at = $3 WHERE user_id = $1 AND id = $2', [
      u.agentLyon.id,
      u.agentLyon.device.id,
      old,
    ]);
    expect((await u.agentLyon.device.sync()).status).toBe(200);
    expect(await at()).toBe(old); // written by the previous test's cycle less than a minute ago
    // The same rule on a clock of its own: the first cycle writes, the next within the minute not, after it again.
    let now = 1_000_000;
    const lastSyncs = new LastSyncs(60_000, () => now);
    await lastSyncs.record(s.internals.db, u.agentLyon.id, u.agentLyon.device.id);
    expect(await at()).not.toBe(old);
    await s.internals.db.query('UPDATE devices SET last_sync_at = $3 WHERE user_id = $1 AND id = $2', [
      u.agentLyon.id,
      u.agentLyon.device.id,
      old,
    ]);
    now += 59_000;
    await lastSyncs.record(s.internals.db, u.agentLyon.id, u.agentLyon.device.id);
    expect(await at()).toBe(old);
    now += 2_000;
    await lastSyncs.record(s.internals.db, u.agentLyon.id, u.agentLyon.device.id);
    expect(await at()).not.toBe(old);
  });
});

describe('account list: search, filters, sort, pages', () => {
  it('searches by name, address and collectivité, ignoring case, accents and hyphens', async () => {
    const ids = async (q: string) => mine(await list('daect', { etat: 'tous', q })).map((a) => a.id);
    expect(await ids(`valerie demande ${TAG.toLowerCase()}`)).toEqual([req.verified.id]);
    expect(await ids(req.unverified.email.toUpperCase())).toEqual([req.unverified.id]);
    const sb = await ids('saint brieuc');
    expect(sb).toEqual(expect.arrayContaining([u.agentSb.id, u.agentOff.id, req.unverified.id]));
    expect(sb).not.toContain(u.agentLyon.id);
    expect(await ids('commune:69123')).toEqual(expect.arrayContaining([u.agentLyon.id, req.refused.id]));
    // The requested collectivité has no row yet: found by its official name, written without accents.
    const plain = fresh.nom
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/-/g, ' ');
    expect(await ids(plain)).toContain(req.verified.id);
    // LIKE's wildcards are plain characters in a search.
    expect(await ids('%')).toEqual([]);
  });

  it('filters by state and by role', async () => {
    const st = async (etat: string) => mine(await list('daect', { etat, q: TAG })).map((a) => a.id);
    expect(await st('email_a_verifier')).toEqual([req.unverified.id]);
    expect(await st('a_approuver')).toEqual([req.verified.id]);
    expect(await st('refuse')).toEqual([req.refused.id]);
    const sgars = mine(await list('daect', { etat: 'tous', role: 'sgar', q: TAG }));
    expect(sgars.map((a) => a.id).sort()).toEqual([u.sgar.id, u.sgar2.id, u.sgarAura.id].sort());
    const bad = await list('daect', { etat: 'inconnu' });
    expect(bad.status).toBe(400);
  });

  it('pages with a total, sorted, pages never overlapping', async () => {
    const all = await list('daect', { etat: 'tous', q: TAG, tri: 'nom' });
    expect(all.body.total).toBe(10);
    const names = all.body.accounts.map((a) => a.nom);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'fr', { sensitivity: 'base' })));
    const seen: string[] = [];
    for (let offset = 0; offset < 10; offset += 4) {
      const page = await list('daect', { etat: 'tous', q: TAG, tri: 'nom', offset, limit: 4 });
      expect(page.body).toMatchObject({ total: 10, offset, limit: 4 });
      expect(page.body.accounts.length).toBe(Math.min(4, 10 - offset));
      seen.push(...page.body.accounts.map((a) => a.id));
    }
    expect(seen).toEqual(all.body.accounts.map((a) => a.id));
    const desc = await list('daect', { etat: 'tous', q: TAG, tri: 'nom', ordre: 'desc' });
    expect(desc.body.accounts.map((a) => a.id)).toEqual([...seen].reverse());
    const byCreation = await list('daect', { etat: 'tous', q: TAG, tri: 'creation', ordre: 'desc' });
    expect(byCreation.body.accounts[0]!.id).toBe(req.refused.id); // the last one made
    expect((await list('daect', { limit: 201 })).status).toBe(400);
  });
});

describe('disabling and re-enabling', () => {
  it('disabling ends the account’s sessions at once; re-enabling lets it log in again', async () => {
    const target = u.agentOff;
    const token = target.device.session.accessToken;
    expect((await api(s.url, '/api/v1/me', { token })).status).toBe(200);
    const off = await api<{ message: string }>(s.url, `/api/v1/accounts/${target.id}/disable`, {
      token: u.sgar.device.session.accessToken,
      body: { reason: 'Départ de la collectivité' },
    });
    expect(off.status).toBe(200);
    expect(off.body.message).toContain('est désactivé');
    // The very next request with the old access token is refused, and its refresh token too.
    const next = await api<ErrorBody>(s.url, '/api/v1/sync', {
      token,
      body: { v: 1, cursor: '0', changes: [] },
    });
    expect(next.status).toBe(401);
    const refreshed = await api<ErrorBody>(s.url, '/api/v1/auth/refresh', {
      body: { refreshToken: target.device.session.refreshToken },
    });
    expect(refreshed.status).toBe(401);
    expect(refreshed.body.code).toBe('ACCOUNT_DISABLED');
    const login = () =>
      api<ErrorBody>(s.url, '/api/v1/auth/login', {
        body: {
          email: target.email,
          password: target.password,
          device: { id: newId(), name: 'Poste', publicKey: devicePublicKey() },
        },
      });
    expect((await login()).body.code).toBe('ACCOUNT_DISABLED');
    const listed = byId(await list('sgar', { etat: 'desactive', q: TAG }), target.id)!;
    expect(listed).toMatchObject({
      etat: 'desactive',
      disabledReason: 'Départ de la collectivité',
      actions: ['reactiver'],
    });

    const on = await api<{ message: string }>(s.url, `/api/v1/accounts/${target.id}/enable`, {
      token: u.sgar.device.session.accessToken,
      body: {},
    });
    expect(on.status).toBe(200);
    expect(on.body.message).toContain('est réactivé');
    expect((await login()).status).toBe(200);
    expect(byId(await list('sgar', { etat: 'tous', q: TAG }), target.id)).toMatchObject({
      etat: 'approuve',
      actions: ['desactiver'],
    });
    // The old token stays refused: re-enabling opens new sessions, it does not revive the ended ones.
    expect((await api(s.url, '/api/v1/me', { token })).status).toBe(401);
  });
});
