// Login and session security (issue 12): per-account throttle with growing waits, X-Forwarded-For only
// from TRUST_PROXY, the refresh grace period, sessions ended at once (disable, logout, reuse, reset),
// newer reset links cancelling older ones, account requests creating no collectivité before approval,
// and forgot-password answering in the same time whether the address has an account or not.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/testServer';
import { TestDevice, api, devicePublicKey } from '../helpers/client';
import { linkToken, startSmtp } from '../helpers/smtp';
import { newId } from '../../../src-shared/sync/ids';
import { PROTOCOL_VERSION } from '../../../src-shared/sync/protocol';
import type { SessionResponse } from '../../../src-shared/api/auth';
import { runAccountsCli, setAccountDisabled } from '../../../src-server/accounts-cli';
import { parseTrustProxy } from '../../../src-server/config';

type ErrorBody = { code: string; message: string };
let s: TestServer;
let smtp: Awaited<ReturnType<typeof startSmtp>>;

beforeAll(async () => {
  smtp = await startSmtp();
  s = await startTestServer({ seed: 'small', smtpPort: smtp.port, env: { MAIL_PER_ADDRESS_PER_HOUR: '1000' } });
}, 120_000);
afterAll(async () => {
  await s?.close();
  await smtp?.close();
});

const device = () => ({ id: newId(), name: 'Poste de la mairie', publicKey: devicePublicKey() });
const loginAt = (url: string, email: string, password: string, dev = device(), headers: Record<string, string> = {}) =>
  api<SessionResponse & ErrorBody>(url, '/api/v1/auth/login', { body: { email, password, device: dev }, headers });
const refresh = (refreshToken: string) =>
  api<SessionResponse & ErrorBody>(s.url, '/api/v1/auth/refresh', { body: { refreshToken } });
const me = (token: string) => api<ErrorBody>(s.url, '/api/v1/me', { token });
const noopSync = (token: string) =>
  api<ErrorBody>(s.url, '/api/v1/sync', { token, body: { v: PROTOCOL_VERSION, cursor: '0', changes: [] } });

async function agent(): Promise<{ email: string; password: string; id: string; collectiviteId: string | null }> {
  return s.createUser({ role: 'agent', collectiviteCode: 'commune:22278' });
}

describe('refresh grace period', () => {
  it('answers a repeated refresh within the grace with the same pair; after the grace, reuse revokes the family', async () => {
    const u = await agent();
    const l = await loginAt(s.url, u.email, u.password);
    const first = await refresh(l.body.refreshToken);
    expect(first.status).toBe(200);
    // The answer was lost: the device sends the same token again.
    const again = await refresh(l.body.refreshToken);
    expect(again.status).toBe(200);
    expect(again.body.refreshToken).toBe(first.body.refreshToken);
    expect(again.body.accessToken).toBe(first.body.accessToken);
    expect(again.body.user.email).toBe(u.email);
    expect((await me(again.body.accessToken)).status).toBe(200);
    // Raw tokens are never stored: only hashes and the sealed successor.
    const stored = JSON.stringify(
      await s.internals.db.query('SELECT * FROM refresh_tokens WHERE user_id = $1', [u.id]),
    );
    expect(stored).not.toContain(first.body.refreshToken);
    expect(stored).not.toContain(l.body.refreshToken);

    // 31 s later (moved back in the database rather than waited for), the same token is reuse.
    await s.internals.db.query(
      "UPDATE refresh_tokens SET rotated_at = rotated_at - interval '31 seconds' WHERE user_id = $1 AND rotated_at IS NOT NULL",
      [u.id],
    );
    const late = await refresh(l.body.refreshToken);
    expect(late.status).toBe(401);
    expect(late.body.code).toBe('SESSION_REVOKED');
    expect((await refresh(first.body.refreshToken)).body.code).toBe('SESSION_REVOKED');
    expect((await me(first.body.accessToken)).status).toBe(401); // the family's access tokens end too
  });

  it('two windows refreshing at once get the same pair', async () => {
    const u = await agent();
    const l = await loginAt(s.url, u.email, u.password);
    const [a, b] = await Promise.all([refresh(l.body.refreshToken), refresh(l.body.refreshToken)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.refreshToken).toBe(b.body.refreshToken);
    expect((await refresh(a.body.refreshToken)).status).toBe(200);
  });

  it('within the grace, a replay after the new pair was used is still reuse', async () => {
    const u = await agent();
    const l = await loginAt(s.url, u.email, u.password);
    const r1 = await refresh(l.body.refreshToken);
    expect((await refresh(r1.body.refreshToken)).status).toBe(200);
    const replay = await refresh(l.body.refreshToken);
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('SESSION_REVOKED');
  });
});

describe('ending every session of an account at once', () => {
  it('logout: the next request with the old access token is 401; another device of the account refreshes and goes on', async () => {
    const u = await agent();
    const a = await new TestDevice(s.url).login(u.email, u.password);
    const b = await new TestDevice(s.url).login(u.email, u.password);
    expect((await noopSync(a.session.accessToken)).status).toBe(200);
    expect((await api(s.url, '/api/v1/auth/logout', { body: { refreshToken: a.session.refreshToken } })).status).toBe(
      200,
    );
    const after = await noopSync(a.session.accessToken);
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('TOKEN_EXPIRED'); // a device refreshes; its refresh tells it the session is closed
    expect((await refresh(a.session.refreshToken)).status).toBe(401);
    expect((await me(b.session.accessToken)).status).toBe(401);
    const rb = await refresh(b.session.refreshToken);
    expect(rb.status).toBe(200);
    expect((await noopSync(rb.body.accessToken)).status).toBe(200);
  });

  it('reuse detection: the access token of the stolen family is refused at once', async () => {
    const u = await agent();
    const l = await loginAt(s.url, u.email, u.password);
    const r1 = await refresh(l.body.refreshToken);
    const r2 = await refresh(r1.body.refreshToken);
    expect((await noopSync(r2.body.accessToken)).status).toBe(200);
    expect((await refresh(l.body.refreshToken)).body.code).toBe('SESSION_REVOKED'); // replay of a token whose successor was used
    expect((await noopSync(r2.body.accessToken)).status).toBe(401);
  });

  it('password reset: open sessions and their access tokens end at once', async () => {
    const u = await agent();
    const d = await new TestDevice(s.url).login(u.email, u.password);
    await api(s.url, '/api/v1/auth/password/forgot', { body: { email: u.email } });
    const token = linkToken((await smtp.waitFor(u.email, /reinitialiser/)).raw);
    expect(
      (await api(s.url, '/api/v1/auth/password/reset', { body: { token, password: 'un-tout-nouveau-mot-de-passe' } }))
        .status,
    ).toBe(200);
    expect((await noopSync(d.session.accessToken)).status).toBe(401);
    expect((await refresh(d.session.refreshToken)).status).toBe(401);
    expect((await loginAt(s.url, u.email, 'un-tout-nouveau-mot-de-passe')).status).toBe(200);
  });

  it('the DAECT disables an account with a reason: its old access token cannot write, its refresh and login say why, the audit keeps the reason; re-enabling works', async () => {
    const u = await agent();
    const victim = await new TestDevice(s.url).login(u.email, u.password);
    const daectUser = await s.createUser({ role: 'daect' });
    const daect = await new TestDevice(s.url).login(daectUser.email, daectUser.password);
    const list = await api<{ accounts: { id: string; email: string; disabled: boolean }[] }>(
      s.url,
      `/api/v1/accounts?q=${encodeURIComponent(u.email)}`,
      { token: daect.session.accessToken },
    );
    expect(list.status).toBe(200);
    expect(list.body.accounts.find((a) => a.id === u.id)).toMatchObject({ disabled: false });

    const reason = 'Agent parti de la collectivité';
    const bad = await api<ErrorBody>(s.url, `/api/v1/accounts/${u.id}/disable`, {
      token: daect.session.accessToken,
      body: { reason: '' },
    });
    expect(bad.status).toBe(400);
    const off = await api<{ message: string }>(s.url, `/api/v1/accounts/${u.id}/disable`, {
      token: daect.session.accessToken,
      body: { reason },
    });
    expect(off.status).toBe(200);
    expect(off.body.message).toMatch(/désactivé/);

    // The old access token tries a real write: refused, nothing written.
    const record = newId();
    const write = await victim.sync([
      victim.change({
        entity: 'contact',
        op: 'create',
        record,
        fields: {
          collectiviteId: u.collectiviteId,
          categorie: 'elu',
          civilite: 'M.',
          prenom: 'Yann',
          nom: 'Désactivé',
          fonction: 'Maire',
          courriel: null,
          telephone: null,
        },
      }),
    ]);
    expect(write.status).toBe(401);
    expect(await s.internals.db.query('SELECT 1 FROM contact WHERE id = $1', [record])).toHaveLength(0);
    const r = await refresh(victim.session.refreshToken);
    expect(r.status).toBe(401);
    expect(r.body.code).toBe('ACCOUNT_DISABLED');
    expect(r.body.message).toContain(reason);
    const l = await loginAt(s.url, u.email, u.password);
    expect(l.status).toBe(403);
    expect(l.body.code).toBe('ACCOUNT_DISABLED');
    expect(
      await s.internals.db.query('SELECT 1 FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL', [u.id]),
    ).toHaveLength(0);
    const audit = await s.internals.db.query<{ user_id: string; new_value: { desactive: boolean; motif: string } }>(
      "SELECT user_id, new_value FROM audit_log WHERE entity = 'compte' AND record_id = $1 ORDER BY id",
      [u.id],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ user_id: daectUser.id, new_value: { desactive: true, motif: reason } });

    const on = await api(s.url, `/api/v1/accounts/${u.id}/enable`, {
      token: daect.session.accessToken,
      method: 'POST',
    });
    expect(on.status).toBe(200);
    const back = await loginAt(s.url, u.email, u.password);
    expect(back.status).toBe(200);
    expect((await noopSync(back.body.accessToken)).status).toBe(200);
    expect(
      await s.internals.db.query("SELECT 1 FROM audit_log WHERE entity = 'compte' AND record_id = $1", [u.id]),
    ).toHaveLength(2);
  });

  it('the SGAR manages the agents of its région only; an agent manages no one; nobody disables their own account', async () => {
    const u = await agent(); // Saint-Brieuc, Bretagne (53)
    const sgar53 = await s.createUser({ role: 'sgar', region: '53' });
    const sgar84 = await s.createUser({ role: 'sgar', region: '84' });
    const t53 = (await new TestDevice(s.url).login(sgar53.email, sgar53.password)).session.accessToken;
    const t84 = (await new TestDevice(s.url).login(sgar84.email, sgar84.password)).session.accessToken;
    const colleague = await agent();
    const tAgent = (await new TestDevice(s.url).login(colleague.email, colleague.password)).session.accessToken;
    const body = { reason: 'Compte compromis' };
    expect((await api(s.url, `/api/v1/accounts/${u.id}/disable`, { token: tAgent, body })).status).toBe(403);
    expect((await api(s.url, '/api/v1/accounts', { token: tAgent })).status).toBe(403);
    expect((await api(s.url, `/api/v1/accounts/${u.id}/disable`, { token: t84, body })).status).toBe(404);
    expect((await api(s.url, `/api/v1/accounts/${sgar84.id}/disable`, { token: t53, body })).status).toBe(404);
    const own = await api<ErrorBody>(s.url, `/api/v1/accounts/${sgar53.id}/disable`, { token: t53, body });
    expect(own.status).toBe(404); // an SGAR is not among the accounts it manages
    const list84 = await api<{ accounts: { id: string }[] }>(s.url, '/api/v1/accounts', { token: t84 });
    expect(list84.body.accounts.map((a) => a.id)).not.toContain(u.id);
    expect((await api(s.url, `/api/v1/accounts/${u.id}/disable`, { token: t53, body })).status).toBe(200);
    const daectUser = await s.createUser({ role: 'daect' });
    const td = (await new TestDevice(s.url).login(daectUser.email, daectUser.password)).session.accessToken;
    const self = await api<ErrorBody>(s.url, `/api/v1/accounts/${daectUser.id}/disable`, { token: td, body });
    expect(self.status).toBe(409);
    expect(self.body.code).toBe('OWN_ACCOUNT');
  });

  it('npm run account -- disable / enable, with the reason in the audit log', async () => {
    const u = await agent();
    const d = await new TestDevice(s.url).login(u.email, u.password);
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (l: string) => out.push(l), stderr: (l: string) => err.push(l), readStdin: async () => '' };
    expect(await runAccountsCli(['disable', '--email', u.email], {}, io)).toBe(64);
    expect(err.join('\n')).toMatch(/--reason est obligatoire[\s\S]*npm run account -- <commande>/);
    expect(await runAccountsCli(['supprimer', '--email', u.email], {}, io)).toBe(64);
    expect(await setAccountDisabled(s.internals, { email: u.email, disabled: true, reason: 'Poste volé' })).toMatch(
      /désactivé/,
    );
    expect((await noopSync(d.session.accessToken)).status).toBe(401);
    const audit = await s.internals.db.query<{ user_id: string | null; new_value: { motif: string; par: string } }>(
      "SELECT user_id, new_value FROM audit_log WHERE entity = 'compte' AND record_id = $1",
      [u.id],
    );
    expect(audit[0]).toMatchObject({
      user_id: null,
      new_value: { motif: 'Poste volé', par: 'ligne de commande du serveur' },
    });
    await expect(
      setAccountDisabled(s.internals, { email: 'personne@nulle-part.fr', disabled: true, reason: 'x' }),
    ).rejects.toThrow(/Aucun compte/);
    expect(await setAccountDisabled(s.internals, { email: u.email, disabled: false })).toMatch(/réactivé/);
    expect((await loginAt(s.url, u.email, u.password)).status).toBe(200);
  });
});

describe('password reset links and account requests', () => {
  it('a newer reset link cancels the older ones', async () => {
    const u = await agent();
    const before = smtp.mails.length;
    await api(s.url, '/api/v1/auth/password/forgot', { body: { email: u.email } });
    await api(s.url, '/api/v1/auth/password/forgot', { body: { email: u.email } });
    await s.internals.jobs.idle();
    const tokens = smtp.mails
      .slice(before)
      .filter((m) => m.to.includes(u.email))
      .map((m) => linkToken(m.raw));
    expect(tokens).toHaveLength(2);
    const old = await api<ErrorBody>(s.url, '/api/v1/auth/password/reset', {
      body: { token: tokens[0], password: 'mot-de-passe-ancien-lien' },
    });
    expect(old.status).toBe(400);
    expect(old.body.code).toBe('TOKEN_INVALID');
    expect(
      (
        await api(s.url, '/api/v1/auth/password/reset', {
          body: { token: tokens[1], password: 'mot-de-passe-nouveau-lien' },
        })
      ).status,
    ).toBe(200);
  });

  it('an account request creates no collectivité until it is approved', async () => {
    const code = 'commune:29019'; // Brest: not in the small seed
    const cid = await s.internals.db.query<{ id: string }>('SELECT id FROM collectivite WHERE code = $1', [code]);
    expect(cid).toHaveLength(0);
    const count = async () =>
      Number((await s.internals.db.query<{ n: number }>('SELECT count(*)::int AS n FROM collectivite'))[0]!.n);
    const n0 = await count();
    const emails = [0, 1, 2].map((i) => `demandeur.${i}.${Date.now().toString(36)}@mairie-brest.fr`);
    for (const email of emails) {
      const r = await api(s.url, '/api/v1/accounts/request', {
        body: {
          email,
          nom: 'Demandeur Brest',
          fonction: 'Agent',
          collectiviteCode: code,
          password: 'mot-de-passe-assez-long',
        },
      });
      expect(r.status).toBe(202);
    }
    await s.internals.jobs.idle();
    expect(await count()).toBe(n0);
    // The request is listed for the DAECT with the register's name, then approved: now the row exists.
    await api(
      s.url,
      `/api/v1/accounts/verify?token=${linkToken((await smtp.waitFor(emails[0]!, /accounts\/verify/)).raw)}`,
    );
    const daectUser = await s.createUser({ role: 'daect' });
    const td = (await new TestDevice(s.url).login(daectUser.email, daectUser.password)).session.accessToken;
    const pending = await api<{
      accounts: { id: string; email: string; collectiviteNom: string | null; region: string | null }[];
    }>(s.url, '/api/v1/accounts/pending', { token: td });
    const p = pending.body.accounts.find((a) => a.email === emails[0])!;
    expect(p).toMatchObject({ collectiviteNom: 'Brest', region: '53' });
    // The SGAR of the région sees it too (the request carries its région without a collectivité row).
    const sgar = await s.createUser({ role: 'sgar', region: '53' });
    const ts = (await new TestDevice(s.url).login(sgar.email, sgar.password)).session.accessToken;
    const sp = await api<{ accounts: { email: string }[] }>(s.url, '/api/v1/accounts/pending', { token: ts });
    expect(sp.body.accounts.map((a) => a.email)).toContain(emails[0]);
    expect((await api(s.url, `/api/v1/accounts/${p.id}/approve`, { method: 'POST', token: td })).status).toBe(200);
    expect(await count()).toBe(n0 + 1);
    const l = await loginAt(s.url, emails[0]!, 'mot-de-passe-assez-long');
    expect(l.status).toBe(200);
    expect(l.body.user).toMatchObject({ collectiviteNom: 'Brest', region: '53' });
  });

  it('forgot-password answers in the same time for an existing and an unknown address (medians of 20)', async () => {
    const u = await agent();
    // The client runs in its own process, as a real one does: in this process the job that follows an
    // answer (PGlite's queries are synchronous work) would run before the answer is read and be timed.
    const client = spawn(
      process.execPath,
      [
        '-e',
        `
      const rl = require('node:readline').createInterface({ input: process.stdin });
      rl.on('line', async (email) => {
        const t = performance.now();
        const r = await fetch(${JSON.stringify(s.url)} + '/api/v1/auth/password/forgot', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });
        await r.arrayBuffer();
        process.stdout.write(r.status + ' ' + (performance.now() - t) + '\\n');
      });`,
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const lines = createInterface({ input: client.stdout! })[Symbol.asyncIterator]();
    const time = async (email: string) => {
      client.stdin!.write(`${email}\n`);
      const [status, ms] = String((await lines.next()).value).split(' ');
      expect(status).toBe('200');
      await s.internals.jobs.idle(); // the mail of this request leaves before the next one is timed
      return Number(ms);
    };
    const existing: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 3; i++) {
      await time(u.email);
      await time(`inconnu.${i}@nulle-part.fr`);
    } // warm-up
    for (let i = 0; i < 20; i++) {
      existing.push(await time(u.email));
      unknown.push(await time(`inconnu.${i}@nulle-part.fr`));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const [me1, mu] = [median(existing), median(unknown)];
    console.log(`forgot-password medians: existing ${me1.toFixed(1)} ms, unknown ${mu.toFixed(1)} ms`);
    client.kill();
    expect(Math.abs(me1 - mu)).toBeLessThan(Math.max(4, 0.5 * Math.min(me1, mu)));
  });
});

describe('throttling', () => {
  let proxied: TestServer; // behind a trusted proxy (127.0.0.1), 3 tries a minute per address, short waits
  let direct: TestServer; // the default: X-Forwarded-For ignored
  beforeAll(async () => {
    // One after the other: two servers starting at once are slow to boot on a busy machine.
    proxied = await startTestServer({
      seed: 'none',
      smtpPort: smtp.port,
      env: {
        TRUST_PROXY: '127.0.0.1',
        AUTH_RATE_LIMIT: '3',
        LOGIN_DELAY_BASE_SECONDS: '1',
        LOGIN_DELAY_MAX_SECONDS: '4',
        MAIL_PER_ADDRESS_PER_HOUR: '2',
      },
    });
    direct = await startTestServer({ seed: 'none', env: { AUTH_RATE_LIMIT: '3' } });
  }, 180_000);
  afterAll(async () => {
    await Promise.all([proxied?.close(), direct?.close()]);
  });

  let ip = 0;
  const freshIp = () => ({ 'x-forwarded-for': `203.0.113.${++ip}` });
  const badReset = (url: string, headers: Record<string, string>) =>
    api<ErrorBody>(url, '/api/v1/auth/password/reset', {
      body: { token: 'x'.repeat(43), password: 'un-nouveau-mot-de-passe' },
      headers,
    });

  it('ignores X-Forwarded-For by default: a new forged address per try does not escape the per-IP limit', async () => {
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await badReset(direct.url, freshIp()));
    expect(answers.map((r) => r.status)).toEqual([400, 400, 400, 429, 429]);
    expect(Number(answers[3]!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(answers[3]!.body).toEqual({
      code: 'RATE_LIMITED',
      message: 'Trop de tentatives : réessayez dans quelques minutes.',
    });
  });

  it('TRUST_PROXY takes IP addresses and CIDR ranges only', () => {
    expect(parseTrustProxy('127.0.0.1, 10.0.0.0/8,::1')).toEqual(['127.0.0.1', '10.0.0.0/8', '::1']);
    expect(parseTrustProxy(undefined)).toEqual([]);
    expect(() => parseTrustProxy('proxy.local')).toThrow(/TRUST_PROXY/);
    expect(() => parseTrustProxy('10.0.0.0/33')).toThrow(/TRUST_PROXY/);
  });

  it('honours X-Forwarded-For from a TRUST_PROXY address: one limit per client behind the proxy', async () => {
    const spread: number[] = [];
    for (let i = 0; i < 5; i++) spread.push((await badReset(proxied.url, freshIp())).status);
    expect(spread).toEqual([400, 400, 400, 400, 400]);
    const one = freshIp();
    const same: number[] = [];
    for (let i = 0; i < 5; i++) same.push((await badReset(proxied.url, one)).status);
    expect(same).toEqual([400, 400, 400, 429, 429]);
  });

  it('limits failed logins per account with doubling waits and Retry-After, alike for unknown and existing addresses, never for good', async () => {
    const real = await proxied.createUser({ role: 'daect' });
    const ghost = `personne.${Date.now().toString(36)}@nulle-part.fr`;
    // The attacker changes address on every try (behind the trusted proxy): only the account limit holds.
    const attempt = (email: string, password = 'mauvais-mot-de-passe', dev = device()) =>
      loginAt(proxied.url, email, password, dev, freshIp());
    for (let i = 0; i < 5; i++) {
      const [a, b] = [await attempt(real.email), await attempt(ghost)];
      expect([a.status, b.status]).toEqual([401, 401]);
      expect(a.body).toEqual(b.body);
    }
    const throttled = async (email: string) => {
      const r = await attempt(email, email === real.email ? real.password : 'x');
      expect(r.status).toBe(429);
      expect(r.body.code).toBe('RATE_LIMITED');
      expect(r.body.message).toMatch(
        /^Trop d’essais de mot de passe pour cette adresse : réessayez dans \d+\u00a0secondes?\.$/,
      );
      return { retryAfter: Number(r.headers.get('retry-after')), body: r.body };
    };
    // 5 free tries, then 1 s (even the right password waits).
    const [ta, tb] = [await throttled(real.email), await throttled(ghost)];
    expect(ta.retryAfter).toBe(1);
    expect(tb.retryAfter).toBe(1);
    expect(ta.body).toEqual(tb.body);
    // Each further failure doubles the wait: 2 s, then 4 s, capped at 4 s (LOGIN_DELAY_MAX_SECONDS).
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      await expect.poll(async () => (await attempt(real.email)).status, { timeout: 10_000, interval: 200 }).toBe(401);
      waits.push((await throttled(real.email)).retryAfter);
    }
    expect(waits).toEqual([2, 4, 4]);
    // Not locked out for good: once the wait is over, the right password gets in (and resets the count).
    await expect
      .poll(async () => (await attempt(real.email, real.password)).status, { timeout: 10_000, interval: 250 })
      .toBe(200);
    expect((await attempt(real.email)).status).toBe(401);
  }, 60_000);

  it('a device that already signed in to the account is not locked out by someone else’s failures', async () => {
    const real = await proxied.createUser({ role: 'daect' });
    const own = device();
    expect((await loginAt(proxied.url, real.email, real.password, own, freshIp())).status).toBe(200);
    for (let i = 0; i < 7; i++) await loginAt(proxied.url, real.email, 'mauvais-mot-de-passe', device(), freshIp());
    expect((await loginAt(proxied.url, real.email, real.password, device(), freshIp())).status).toBe(429);
    expect((await loginAt(proxied.url, real.email, real.password, own, freshIp())).status).toBe(200);
  });

  it('limits password-reset mails and account requests per target address (429 with Retry-After), alike for unknown and existing addresses', async () => {
    const real = await proxied.createUser({ role: 'daect' });
    for (const email of [real.email, `inconnu.${Date.now().toString(36)}@nulle-part.fr`]) {
      const forgot = () =>
        api<ErrorBody>(proxied.url, '/api/v1/auth/password/forgot', { body: { email }, headers: freshIp() });
      expect([(await forgot()).status, (await forgot()).status]).toEqual([200, 200]);
      const third = await forgot();
      expect(third.status).toBe(429);
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(3000);
      expect(third.body.message).toMatch(
        /^Trop de demandes de réinitialisation pour cette adresse : réessayez dans \d+\u00a0minutes\.$/,
      );
      const request = () =>
        api<ErrorBody>(proxied.url, '/api/v1/accounts/request', {
          body: {
            email,
            nom: 'Demandeur',
            fonction: 'Agent',
            collectiviteCode: 'commune:22278',
            password: 'mot-de-passe-assez-long',
          },
          headers: freshIp(),
        });
      expect([(await request()).status, (await request()).status, (await request()).status]).toEqual([202, 202, 429]);
    }
    await proxied.internals.jobs.idle();
  });
});
