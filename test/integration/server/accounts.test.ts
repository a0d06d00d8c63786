// Account lifecycle with real mail: request → verification link → approval → login; rotating refresh
// tokens and reuse detection; logout; password reset; same answers whether an e-mail exists or not;
// rate limits; the .eml default; the first-DAECT command.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/testServer';
import { TestDevice, api, devicePublicKey } from '../helpers/client';
import { decode, startSmtp, linkToken } from '../helpers/smtp';
import { newId } from '../../../src-shared/sync/ids';
import type { SessionResponse } from '../../../src-shared/api/auth';
import { createDaectAccount, runAccountsCli } from '../../../src-server/accounts-cli';
import { createServer } from '../../../src-server/app';
import { loadConfig } from '../../../src-server/config';

let s: TestServer;
let smtp: Awaited<ReturnType<typeof startSmtp>>;

beforeAll(async () => {
  smtp = await startSmtp();
  s = await startTestServer({ seed: 'small', smtpPort: smtp.port });
});
afterAll(async () => {
  await s?.close();
  await smtp?.close();
});

const device = () => ({ id: newId(), name: 'Poste de la mairie', publicKey: devicePublicKey() });
const login = (email: string, password: string) =>
  api<SessionResponse & { code?: string; message?: string }>(s.url, '/api/v1/auth/login', {
    body: { email, password, device: device() },
  });

describe('account lifecycle', () => {
  it('request → mail link → approval by an agent of the same collectivité → login', async () => {
    const email = 'nouvel.agent@mairie-saint-brieuc.fr';
    const password = 'un-mot-de-passe-solide';
    const req = await api<{ message: string }>(s.url, '/api/v1/accounts/request', {
      body: { email, nom: 'Nouvel Agent', fonction: 'Chargé de mission', collectiviteCode: 'commune:22278', password },
    });
    expect(req.status).toBe(202);
    const again = await api<{ message: string }>(s.url, '/api/v1/accounts/request', {
      body: { email, nom: 'Autre', fonction: 'X', collectiviteCode: 'commune:22278', password },
    });
    expect(again.status).toBe(202);
    expect(again.body).toEqual(req.body); // same answer whether the e-mail exists or not
    await s.internals.jobs.idle(); // the account is written after the answer (the server's job queue)

    const pendingLogin = await login(email, password);
    expect(pendingLogin.status).toBe(403);
    expect(pendingLogin.body.code).toBe('EMAIL_NOT_VERIFIED');

    const mail = await smtp.waitFor(email, /accounts\/verify/);
    const token = linkToken(mail.raw);
    // follow the link exactly as written in the mail
    const link = /https?:\/\/\S+\/api\/v1\/accounts\/verify\?token=[A-Za-z0-9_-]+/.exec(decode(mail.raw))![0];
    expect(link.startsWith(s.url)).toBe(true);
    const verify = await api<{ message: string }>('', link);
    expect(verify.status).toBe(200);
    expect(verify.body.message).toMatch(/confirmée/);
    const reuse = await api<{ code: string }>(s.url, `/api/v1/accounts/verify?token=${token}`);
    expect(reuse.status).toBe(400);

    const notApproved = await login(email, password);
    expect(notApproved.body.code).toBe('ACCOUNT_PENDING');

    // an agent of another collectivité neither sees nor approves it
    const other = await s.createUser({ role: 'agent', collectiviteCode: 'commune:69123' });
    const od = await new TestDevice(s.url).login(other.email, other.password);
    const list0 = await api<{ accounts: { email: string; id: string }[] }>(s.url, '/api/v1/accounts/pending', {
      token: od.session.accessToken,
    });
    expect(list0.body.accounts.map((a) => a.email)).not.toContain(email);

    const colleague = await s.createUser({ role: 'agent', collectiviteCode: 'commune:22278' });
    const cd = await new TestDevice(s.url).login(colleague.email, colleague.password);
    const list = await api<{ accounts: { email: string; id: string; emailVerified: boolean }[] }>(
      s.url,
      '/api/v1/accounts/pending',
      { token: cd.session.accessToken },
    );
    const pending = list.body.accounts.find((a) => a.email === email)!;
    expect(pending.emailVerified).toBe(true);
    const forbidden = await api<{ code: string }>(s.url, `/api/v1/accounts/${pending.id}/approve`, {
      method: 'POST',
      token: od.session.accessToken,
    });
    expect(forbidden.status).toBe(404);
    const ok = await api(s.url, `/api/v1/accounts/${pending.id}/approve`, {
      method: 'POST',
      token: cd.session.accessToken,
    });
    expect(ok.status).toBe(200);
    // One sentence, the account named once, no "validé … validé".
    const said = (ok.body as { message: string }).message;
    expect(said).toMatch(/^Compte de .+ \(.+@.+\) validé : son titulaire a été prévenu par courriel\.$/);
    expect(said.match(/validé/g)).toHaveLength(1);
    await smtp.waitFor(email, /validé/);

    const r = await login(email, password);
    expect(r.status).toBe(200);
    expect(r.body.user).toMatchObject({ email, role: 'agent', collectiviteNom: 'Saint-Brieuc', region: '53' });
  });

  it('lets the SGAR of the région and the DAECT approve, not the SGAR of another région', async () => {
    const email = 'agent.rennes@rennes.fr';
    await api(s.url, '/api/v1/accounts/request', {
      body: {
        email,
        nom: 'Agent Rennes',
        fonction: 'Agent',
        collectiviteCode: 'commune:35238',
        password: 'mot-de-passe-rennes',
      },
    });
    await api(s.url, `/api/v1/accounts/verify?token=${linkToken((await smtp.waitFor(email)).raw)}`);
    const sgar84 = await new TestDevice(s.url).login(...(await creds('sgar', '84')));
    const sgar53 = await new TestDevice(s.url).login(...(await creds('sgar', '53')));
    const l84 = await api<{ accounts: { email: string; id: string }[] }>(s.url, '/api/v1/accounts/pending', {
      token: sgar84.session.accessToken,
    });
    expect(l84.body.accounts.map((a) => a.email)).not.toContain(email);
    const l53 = await api<{ accounts: { email: string; id: string }[] }>(s.url, '/api/v1/accounts/pending', {
      token: sgar53.session.accessToken,
    });
    const id = l53.body.accounts.find((a) => a.email === email)!.id;
    expect(
      (await api(s.url, `/api/v1/accounts/${id}/approve`, { method: 'POST', token: sgar84.session.accessToken }))
        .status,
    ).toBe(404);
    expect(
      (await api(s.url, `/api/v1/accounts/${id}/approve`, { method: 'POST', token: sgar53.session.accessToken }))
        .status,
    ).toBe(200);
    expect((await login(email, 'mot-de-passe-rennes')).status).toBe(200);
  });

  it('refuses an unknown collectivité code with a French message', async () => {
    const r = await api<{ code: string; message: string }>(s.url, '/api/v1/accounts/request', {
      body: {
        email: 'x@y.fr',
        nom: 'X',
        fonction: 'Y',
        collectiviteCode: 'commune:00000',
        password: 'mot-de-passe-long',
      },
    });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('UNKNOWN_COLLECTIVITE');
  });
});

async function creds(role: 'sgar' | 'daect' | 'agent', region?: string): Promise<[string, string]> {
  const u = await s.createUser({ role, region });
  return [u.email, u.password];
}

/** A confirmed account request (mail link followed), as its author leaves it: its id, from the pending list of `token`. */
async function confirmedRequest(
  email: string,
  opts: { nom: string; collectiviteCode: string; password: string },
  token: string,
): Promise<string> {
  const before = smtp.mails.filter((m) => m.to.includes(email)).length;
  const r = await api(s.url, '/api/v1/accounts/request', {
    body: {
      email,
      nom: opts.nom,
      fonction: 'Chargée de mission',
      collectiviteCode: opts.collectiviteCode,
      password: opts.password,
    },
  });
  expect(r.status).toBe(202);
  await s.internals.jobs.idle();
  const mail = smtp.mails.filter((m) => m.to.includes(email))[before];
  expect(mail, 'courriel de confirmation').toBeDefined();
  expect((await api(s.url, `/api/v1/accounts/verify?token=${linkToken(mail!.raw)}`)).status).toBe(200);
  const list = await api<{ accounts: { email: string; id: string }[] }>(s.url, '/api/v1/accounts/pending', { token });
  const found = list.body.accounts.find((a) => a.email === email);
  expect(found, 'demande dans la liste').toBeDefined();
  return found!.id;
}

describe('refusing an account request', () => {
  const refuse = (
    id: string,
    token: string,
    reason: unknown = 'Adresse personnelle : utilisez votre adresse de la mairie.',
  ) =>
    api<{ ok?: boolean; message: string; code?: string; details?: { field: string; message: string }[] }>(
      s.url,
      `/api/v1/accounts/${id}/refuse`,
      { token, body: { reason } },
    );

  it('the SGAR of the région refuses with a reason: mailed to the author, out of the pending list, no login, kept for the audit; not twice, nor from another région', async () => {
    const email = 'demandeur.refuse@rennes.fr';
    const password = 'mot-de-passe-du-refuse';
    const reason = 'Adresse personnelle : utilisez votre adresse de la mairie.';
    const sgarUser = await s.createUser({ role: 'sgar', region: '53' });
    const sgar53 = await new TestDevice(s.url).login(sgarUser.email, sgarUser.password);
    const sgar84 = await new TestDevice(s.url).login(...(await creds('sgar', '84')));
    const id = await confirmedRequest(
      email,
      { nom: 'Demandeur Refusé', collectiviteCode: 'commune:35238', password },
      sgar53.session.accessToken,
    );

    // Another région: the same answer as for an approval (nothing of this scope), nothing written.
    const foreign = await refuse(id, sgar84.session.accessToken);
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('NOT_FOUND');
    expect(
      (await api(s.url, `/api/v1/accounts/${id}/approve`, { method: 'POST', token: sgar84.session.accessToken }))
        .status,
    ).toBe(404);
    // The reason is required, 3 to 500 characters, without control characters.
    for (const bad of ['', '  a ', 'x'.repeat(501), 'Motif\u0007 caché', 42]) {
      const r = await refuse(id, sgar53.session.accessToken, bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(r.body.code).toBe('VALIDATION');
      expect(r.body.message).toMatch(/[a-zé]/);
    }
    const stillPending = await s.internals.db.query<{ refused_at: unknown }>(
      'SELECT refused_at FROM users WHERE id = $1',
      [id],
    );
    expect(stillPending[0]!.refused_at).toBeNull();

    const ok = await refuse(id, sgar53.session.accessToken, `  ${reason}  `);
    expect(ok.status).toBe(200);
    expect(ok.body.message).toBe(
      `Demande de Demandeur Refusé (${email}) refusée : son auteur a été prévenu par courriel.`,
    );

    // The mail, read from the SMTP server: the reason, who examined the request and whom else to ask.
    const mail = decode((await smtp.waitFor(email, /refusée/)).raw);
    expect(mail).toContain('Bonjour Demandeur Refusé,');
    expect(mail).toContain(`Motif : ${reason}`);
    expect(mail).toContain('pour Rennes, a été refusée');
    expect(mail).toContain(`${sgarUser.email}), SGAR de votre région, qui a examiné votre demande, ou à la DAECT.`);
    expect(mail).toContain('Vous pouvez faire une nouvelle demande avec la même adresse');

    // Out of the pending list; the row stays, with the reason, who and when, and an audit row.
    const list = await api<{ accounts: { id: string }[] }>(s.url, '/api/v1/accounts/pending', {
      token: sgar53.session.accessToken,
    });
    expect(list.body.accounts.map((a) => a.id)).not.toContain(id);
    const row = (
      await s.internals.db.query<{
        refused_reason: string;
        refused_by: string;
        refused_at: unknown;
        approved_at: unknown;
      }>('SELECT refused_reason, refused_by, refused_at, approved_at FROM users WHERE id = $1', [id])
    )[0]!;
    expect(row).toMatchObject({ refused_reason: reason, refused_by: sgarUser.id, approved_at: null });
    expect(row.refused_at).not.toBeNull();
    const audit = await s.internals.db.query<{ user_id: string; new_value: { motif: string; refuse: boolean } }>(
      `SELECT user_id, new_value FROM audit_log WHERE entity = 'compte' AND field = 'refus' AND record_id = $1`,
      [id],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ user_id: sgarUser.id, new_value: { refuse: true, motif: reason } });

    // The author cannot log in with it: a French message with the reason.
    const l = await login(email, password);
    expect(l.status).toBe(403);
    expect(l.body.code).toBe('ACCOUNT_REFUSED');
    expect(l.body.message).toContain(`Votre demande de compte a été refusée (motif : ${reason}).`);
    expect(l.body.message).toContain('nouvelle demande');
    // A wrong password says nothing of the refusal.
    expect((await login(email, 'pas-le-bon-mot-de-passe')).body.code).toBe('INVALID_CREDENTIALS');

    // Decided once: a second refusal, or an approval, is a 409; nothing changes.
    const again = await refuse(id, sgar53.session.accessToken, 'Un autre motif');
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ACCOUNT_REFUSED');
    const approve = await api<{ code: string }>(s.url, `/api/v1/accounts/${id}/approve`, {
      method: 'POST',
      token: sgar53.session.accessToken,
    });
    expect(approve.status).toBe(409);
    expect(approve.body.code).toBe('ACCOUNT_REFUSED');
    expect(
      (
        await s.internals.db.query<{ refused_reason: string }>('SELECT refused_reason FROM users WHERE id = $1', [id])
      )[0]!.refused_reason,
    ).toBe(reason);
    // No password reset for a refused request either.
    await api(s.url, '/api/v1/auth/password/forgot', { body: { email } });
    await s.internals.jobs.idle();
    expect(smtp.mails.filter((m) => m.to.includes(email) && /reinitialiser/.test(decode(m.raw)))).toHaveLength(0);
  });

  it('an agent of the same collectivité may refuse, not an agent of another; an approved account is no longer refused', async () => {
    const colleague = await s.createUser({ role: 'agent', collectiviteCode: 'commune:22278' });
    const cd = await new TestDevice(s.url).login(colleague.email, colleague.password);
    const other = await s.createUser({ role: 'agent', collectiviteCode: 'commune:69123' });
    const od = await new TestDevice(s.url).login(other.email, other.password);
    const email = 'refus.par.collegue@saint-brieuc.fr';
    const id = await confirmedRequest(
      email,
      { nom: 'Demande Saint-Brieuc', collectiviteCode: 'commune:22278', password: 'mot-de-passe-saint-brieuc' },
      cd.session.accessToken,
    );
    expect((await refuse(id, od.session.accessToken)).status).toBe(404);
    const ok = await refuse(id, cd.session.accessToken, 'Personne inconnue du service.');
    expect(ok.status).toBe(200);
    const mail = decode((await smtp.waitFor(email, /refusée/)).raw);
    expect(mail).toContain('Motif : Personne inconnue du service.');
    expect(mail).toContain(
      `${colleague.email}), agent de Saint-Brieuc, qui a examiné votre demande, ou au SGAR de votre région.`,
    );

    const approved = await s.createUser({ role: 'agent', collectiviteCode: 'commune:22278' });
    const r = await refuse(approved.id, cd.session.accessToken);
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('ACCOUNT_APPROVED');
  });

  it('the same address may ask again after a refusal: a new request, beside the refused one, validated, logs in', async () => {
    const daect = await new TestDevice(s.url).login(...(await creds('daect')));
    const email = 'redemande@lyon.fr';
    const first = await confirmedRequest(
      email,
      { nom: 'Première Demande', collectiviteCode: 'commune:69123', password: 'premier-mot-de-passe' },
      daect.session.accessToken,
    );
    expect(
      (await refuse(first, daect.session.accessToken, 'Collectivité erronée : choisissez la métropole.')).status,
    ).toBe(200);
    const mail = decode((await smtp.waitFor(email, /refusée/)).raw);
    expect(mail).toContain(
      'de la DAECT (Délégation pour l’action extérieure des collectivités territoriales), qui a examiné votre demande.',
    );

    const second = await confirmedRequest(
      email,
      { nom: 'Seconde Demande', collectiviteCode: 'commune:69123', password: 'second-mot-de-passe' },
      daect.session.accessToken,
    );
    expect(second).not.toBe(first);
    // While the new one waits, the login speaks of it, not of the refused one.
    expect((await login(email, 'second-mot-de-passe')).body.code).toBe('ACCOUNT_PENDING');
    expect(
      (await api(s.url, `/api/v1/accounts/${second}/approve`, { method: 'POST', token: daect.session.accessToken }))
        .status,
    ).toBe(200);
    const l = await login(email, 'second-mot-de-passe');
    expect(l.status).toBe(200);
    expect(l.body.user).toMatchObject({ email, id: second });
    // The refused request stays beside the new account, with its reason.
    const rows = await s.internals.db.query<{ id: string; refused_reason: string | null }>(
      'SELECT id, refused_reason FROM users WHERE email = $1 ORDER BY created_at',
      [email],
    );
    expect(rows).toEqual([
      { id: first, refused_reason: 'Collectivité erronée : choisissez la métropole.' },
      { id: second, refused_reason: null },
    ]);
  });
});

describe('sessions', () => {
  it('rotates refresh tokens and revokes the family when a rotated one is reused', async () => {
    const [email, password] = await creds('agent');
    const l = await login(email, password);
    const r1 = await api<SessionResponse>(s.url, '/api/v1/auth/refresh', {
      body: { refreshToken: l.body.refreshToken },
    });
    expect(r1.status).toBe(200);
    expect(r1.body.refreshToken).not.toBe(l.body.refreshToken);
    const me = await api<{ user: { email: string } }>(s.url, '/api/v1/me', { token: r1.body.accessToken });
    expect(me.body.user.email).toBe(email);
    // the successor is used, then the old token comes back (stolen or replayed): the whole family is revoked
    const r1b = await api<SessionResponse>(s.url, '/api/v1/auth/refresh', {
      body: { refreshToken: r1.body.refreshToken },
    });
    expect(r1b.status).toBe(200);
    const reuse = await api<{ code: string; message: string }>(s.url, '/api/v1/auth/refresh', {
      body: { refreshToken: l.body.refreshToken },
    });
    expect(reuse.status).toBe(401);
    expect(reuse.body.code).toBe('SESSION_REVOKED');
    const r2 = await api<{ code: string }>(s.url, '/api/v1/auth/refresh', {
      body: { refreshToken: r1b.body.refreshToken },
    });
    expect(r2.status).toBe(401);
    expect(r2.body.code).toBe('SESSION_REVOKED');
  });

  it('logs out (the refresh token stops working) and rejects expired or forged access tokens', async () => {
    const [email, password] = await creds('agent');
    const l = await login(email, password);
    expect((await api(s.url, '/api/v1/auth/logout', { body: { refreshToken: l.body.refreshToken } })).status).toBe(200);
    expect((await api(s.url, '/api/v1/auth/refresh', { body: { refreshToken: l.body.refreshToken } })).status).toBe(
      401,
    );
    const forged = l.body.accessToken.slice(0, -3) + 'AAA';
    const r = await api<{ code: string }>(s.url, '/api/v1/sync', {
      token: forged,
      body: { v: 1, cursor: '0', changes: [] },
    });
    expect(r.status).toBe(401);
    const [payload] = l.body.accessToken.split('.');
    const expired = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), exp: 1 }),
    ).toString('base64url');
    const r2 = await api<{ code: string }>(s.url, '/api/v1/sync', {
      token: `${expired}.${l.body.accessToken.split('.')[1]}`,
      body: { v: 1, cursor: '0', changes: [] },
    });
    expect(r2.status).toBe(401); // re-signed payloads fail the signature
  });

  it('gives the same answer for a wrong password and an unknown e-mail', async () => {
    const [email] = await creds('agent');
    const a = await login(email, 'mauvais-mot-de-passe');
    const b = await login('inconnu@nulle-part.fr', 'mauvais-mot-de-passe');
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    expect(a.body).toEqual(b.body);
    expect(a.body.message).toMatch(/incorrect/);
  });

  it('resets a forgotten password through the mailed link and closes the open sessions', async () => {
    const [email, password] = await creds('agent');
    const l = await login(email, password);
    const f1 = await api<{ message: string }>(s.url, '/api/v1/auth/password/forgot', { body: { email } });
    const f2 = await api<{ message: string }>(s.url, '/api/v1/auth/password/forgot', {
      body: { email: 'personne@nulle-part.fr' },
    });
    expect(f1.status).toBe(200);
    expect(f1.body).toEqual(f2.body);
    const mail = decode((await smtp.waitFor(email, /reinitialiser/)).raw);
    // The link opens the app's own screen (hash route), which loads from any server path.
    const token = /\/#\/mot-de-passe\/reinitialiser\?token=([A-Za-z0-9_-]+)/.exec(mail)?.[1];
    expect(token).toBeTruthy();
    const weak = await api<{ code: string }>(s.url, '/api/v1/auth/password/reset', {
      body: { token, password: 'court' },
    });
    expect(weak.status).toBe(400);
    const ok = await api(s.url, '/api/v1/auth/password/reset', { body: { token, password: 'nouveau-mot-de-passe' } });
    expect(ok.status).toBe(200);
    expect((await login(email, password)).status).toBe(401);
    expect((await login(email, 'nouveau-mot-de-passe')).status).toBe(200);
    expect((await api(s.url, '/api/v1/auth/refresh', { body: { refreshToken: l.body.refreshToken } })).status).toBe(
      401,
    );
    expect(
      (await api(s.url, '/api/v1/auth/password/reset', { body: { token, password: 'encore-un-autre-mdp' } })).status,
    ).toBe(400);
  });

  it('searches the official index of collectivités without an account', async () => {
    const r = await api<{ results: { code: string; nom: string }[] }>(
      s.url,
      '/api/v1/reference/collectivites?q=saint%20brieuc&limit=5',
    );
    expect(r.status).toBe(200);
    expect(r.body.results[0]).toMatchObject({ code: 'commune:22278', nom: 'Saint-Brieuc' });
  });
});

describe('rate limiting', () => {
  it('limits login attempts per address with a French 429', async () => {
    const limited = await startTestServer({ env: { AUTH_RATE_LIMIT: '3' } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await api<{ code: string; message: string }>(limited.url, '/api/v1/auth/login', {
          body: { email: 'a@b.fr', password: 'x', device: device() },
        });
        codes.push(r.status);
        if (r.status === 429) expect(r.body).toMatchObject({ code: 'RATE_LIMITED' });
      }
      expect(codes.slice(0, 3)).toEqual([401, 401, 401]);
      expect(codes.slice(3)).toEqual([429, 429]);
    } finally {
      await limited.close();
    }
  }, 120_000); // starts its own server: slow on a busy machine
});

describe('rate limiting of the other account endpoints', () => {
  // One counter per route and address: a burst on one endpoint never locks a person out of the others.
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({ env: { AUTH_RATE_LIMIT: '3' } });
  }, 120_000);
  afterAll(async () => {
    await limited?.close();
  });

  type Answer = { status: number; body: { code?: string; message?: string } };
  const burst = async (next: () => { path: string; body?: unknown }) => {
    const answers: Answer[] = [];
    for (let i = 0; i < 5; i++) {
      const { path: p, body } = next();
      answers.push(await api<Answer['body']>(limited.url, p, { body }));
    }
    return answers;
  };
  const expectLimited = (answers: Answer[], allowed: number) => {
    expect(answers.slice(0, 3).map((a) => a.status)).toEqual([allowed, allowed, allowed]);
    for (const a of answers.slice(3)) {
      expect(a.status).toBe(429);
      expect(a.body).toEqual({
        code: 'RATE_LIMITED',
        message: 'Trop de tentatives : réessayez dans quelques minutes.',
      });
    }
  };

  it('limits password reset requests (same answer for every address until the limit)', async () => {
    let n = 0;
    const answers = await burst(() => ({
      path: '/api/v1/auth/password/forgot',
      body: { email: `personne.${n++}@nulle-part.fr` },
    }));
    expectLimited(answers, 200);
    expect(new Set(answers.slice(0, 3).map((a) => a.body.message)).size).toBe(1);
  });

  it('limits attempts at setting a new password with a reset link', async () => {
    const answers = await burst(() => ({
      path: '/api/v1/auth/password/reset',
      body: { token: 'x'.repeat(43), password: 'un-nouveau-mot-de-passe' },
    }));
    expectLimited(answers, 400);
    expect(answers[0]!.body.code).toBe('TOKEN_INVALID');
  });

  it('limits account requests', async () => {
    let n = 0;
    const answers = await burst(() => ({
      path: '/api/v1/accounts/request',
      body: {
        email: `demandeur.${n++}@mairie.fr`,
        nom: 'Demandeur',
        fonction: 'Agent',
        collectiviteCode: 'commune:22278',
        password: 'mot-de-passe-assez-long',
      },
    }));
    expectLimited(answers, 202);
  });

  it('limits e-mail verification attempts (guessing tokens)', async () => {
    let n = 0;
    const answers = await burst(() => ({ path: `/api/v1/accounts/verify?token=${String(n++).padStart(43, 'y')}` }));
    expectLimited(answers, 400);
    expect(answers[0]!.body.code).toBe('TOKEN_INVALID');
  });
});

describe('embedded mail default (no SMTP_URL)', () => {
  let dataDir: string;
  let local: TestServer;
  // The data folder holds the mail even on PostgreSQL (DATABASE_URL set by the CI run).
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cncd-mail-'));
    local = await startTestServer({ env: { CNCD_DATA_DIR: dataDir } });
  }, 120_000);
  afterAll(async () => {
    vi.restoreAllMocks();
    await local?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes each message as an .eml file in the data folder, logs its path, and its link works', async () => {
    const logged: string[] = [];
    const info = local.handle.app.log.info.bind(local.handle.app.log);
    vi.spyOn(local.handle.app.log, 'info').mockImplementation(((m: unknown, ...rest: unknown[]) => {
      if (typeof m === 'string') logged.push(m);
      return (info as (...a: unknown[]) => void)(m, ...rest);
    }) as typeof info);
    const email = 'eml.demandeur@mairie-saint-brieuc.fr';
    const r = await api(local.url, '/api/v1/accounts/request', {
      body: {
        email,
        nom: 'Demandeur Eml',
        fonction: 'Agent',
        collectiviteCode: 'commune:22278',
        password: 'mot-de-passe-assez-long',
      },
    });
    expect(r.status).toBe(202);
    await local.internals.jobs.idle(); // the mail goes out after the answer
    const mailDir = path.join(dataDir, 'mail');
    const files = fs.readdirSync(mailDir).filter((f) => f.endsWith('.eml'));
    expect(files).toHaveLength(1);
    const file = path.join(mailDir, files[0]!);
    const raw = fs.readFileSync(file, 'utf8');
    expect(raw).toMatch(new RegExp(`^To: ${email}$`, 'm'));
    expect(raw).toMatch(/^Subject: /m);
    expect(logged.some((l) => l.includes(file) && l.includes(email))).toBe(true);
    const link = /https?:\/\/\S+\/api\/v1\/accounts\/verify\?token=[A-Za-z0-9_-]+/.exec(decode(raw))![0];
    const v = await api<{ message: string }>('', link);
    expect(v.status).toBe(200);
    expect(v.body.message).toMatch(/confirmée/);

    // A second message is a second file: nothing is overwritten.
    await api(local.url, '/api/v1/auth/password/forgot', { body: { email } });
    await local.internals.jobs.idle();
    expect(fs.readdirSync(mailDir).filter((f) => f.endsWith('.eml'))).toHaveLength(2);
  });
});

describe('npm run account:daect (first DAECT account without the demo seed)', () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return {
      out,
      err,
      io: {
        stdout: (l: string) => out.push(l),
        stderr: (l: string) => err.push(l),
        readStdin: async () => 'mot-de-passe-de-la-daect\n',
      },
    };
  };

  it('creates an approved national account with the given password', async () => {
    const email = 'premiere.daect@diplomatie.gouv.fr';
    const r = await createDaectAccount(s.internals, {
      email,
      nom: 'Première DAECT',
      password: 'mot-de-passe-de-la-daect',
      publicUrl: s.url,
    });
    expect(r.link).toBeNull();
    const l = await login(email, 'mot-de-passe-de-la-daect');
    expect(l.status).toBe(200);
    expect(l.body.user).toMatchObject({ email, role: 'daect', collectiviteId: null, region: null });
    // Approved and national: it sees the requests of every collectivité.
    const pending = await api<{ accounts: unknown[] }>(s.url, '/api/v1/accounts/pending', {
      token: l.body.accessToken,
    });
    expect(pending.status).toBe(200);
    await expect(
      createDaectAccount(s.internals, { email: email.toUpperCase(), nom: 'Doublon', password: null, publicUrl: s.url }),
    ).rejects.toThrow(/existe déjà/);
    await expect(
      createDaectAccount(s.internals, {
        email: 'court@diplomatie.gouv.fr',
        nom: 'Court',
        password: 'court',
        publicUrl: s.url,
      }),
    ).rejects.toThrow(/au moins 12 caractères/);
    expect((await login('court@diplomatie.gouv.fr', 'court')).status).toBe(401); // nothing created
  });

  it('without a password, prints a one-time link that sets it', async () => {
    const email = 'daect.lien@diplomatie.gouv.fr';
    const r = await createDaectAccount(s.internals, {
      email,
      nom: 'DAECT Lien',
      password: null,
      publicUrl: `${s.url}/`,
    });
    const token = new RegExp(
      `^${s.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/#/mot-de-passe/reinitialiser\\?token=([A-Za-z0-9_-]+)$`,
    ).exec(r.link ?? '')?.[1];
    expect(token).toBeTruthy();
    expect(
      (await api(s.url, '/api/v1/auth/password/reset', { body: { token, password: 'mot-de-passe-choisi' } })).status,
    ).toBe(200);
    expect((await login(email, 'mot-de-passe-choisi')).body.user).toMatchObject({ role: 'daect' });
    expect(
      (await api(s.url, '/api/v1/auth/password/reset', { body: { token, password: 'encore-un-autre-mdp' } })).status,
    ).toBe(400); // one time
  });

  it('runs as a command on the server’s data folder, refuses bad arguments and a folder in use', async () => {
    const bad = io();
    expect(await runAccountsCli(['--name', 'Sans Adresse'], {}, bad.io)).toBe(64);
    expect(bad.err.join('\n')).toMatch(/--email est obligatoire[\s\S]*Usage : npm run account:daect/);
    const unknown = io();
    expect(await runAccountsCli(['--email', 'a@b.fr', '--name', 'X', '--role', 'agent'], {}, unknown.io)).toBe(64);

    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cncd-cli-'));
    // The command reads its database from the environment like the server (PGlite folder here).
    const env = { CNCD_DATA_DIR: dataDir, LOG_LEVEL: 'silent', PUBLIC_URL: 'https://atlas.example.gouv.fr' };
    try {
      const ok = io();
      expect(
        await runAccountsCli(
          ['--email', 'cli.daect@diplomatie.gouv.fr', '--name', 'DAECT Ligne de commande', '--password-stdin'],
          env,
          ok.io,
        ),
      ).toBe(0);
      expect(ok.out.join('\n')).toMatch(/Compte DAECT créé et validé : cli\.daect@diplomatie\.gouv\.fr/);
      const linked = io();
      expect(
        await runAccountsCli(['--email', 'cli.lien@diplomatie.gouv.fr', '--name', 'DAECT Lien'], env, linked.io),
      ).toBe(0);
      expect(linked.out.join('\n')).toMatch(
        /https:\/\/atlas\.example\.gouv\.fr\/#\/mot-de-passe\/reinitialiser\?token=[A-Za-z0-9_-]+/,
      );
      expect(fs.existsSync(path.join(dataDir, 'mail'))).toBe(false); // the link is printed, never mailed

      const server = await createServer(
        loadConfig({ ...env, PORT: '0', SEED_DEMO: '0', CNCD_APP_DIR: '/nonexistent-app-dir' }),
      );
      try {
        const url = await server.listen({ port: 0, host: '127.0.0.1' });
        const l = await api<SessionResponse>(url, '/api/v1/auth/login', {
          body: { email: 'cli.daect@diplomatie.gouv.fr', password: 'mot-de-passe-de-la-daect', device: device() },
        });
        expect(l.status).toBe(200);
        expect(l.body.user.role).toBe('daect');
        // No demo data came with it.
        expect(await server.app.cncd.db.query('SELECT 1 FROM users')).toHaveLength(2);
        // While the server holds the folder, the command refuses with the lock's message.
        const locked = io();
        expect(
          await runAccountsCli(
            ['--email', 'autre@diplomatie.gouv.fr', '--name', 'Autre', '--password-stdin'],
            env,
            locked.io,
          ),
        ).toBe(2);
        expect(locked.err.join('\n')).toMatch(/déjà utilisé par un autre serveur/);
      } finally {
        await server.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000); // opens PGlite on a folder three times
});
