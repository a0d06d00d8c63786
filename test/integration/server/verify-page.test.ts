// The e-mailed confirmation link opens in a browser: every outcome (confirmed, reused or expired,
// truncated, too many tries) is a French HTML page there, while API clients keep their JSON answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/testServer';
import { api } from '../helpers/client';
import { linkToken, startSmtp } from '../helpers/smtp';

let s: TestServer;
let smtp: Awaited<ReturnType<typeof startSmtp>>;

beforeAll(async () => {
  smtp = await startSmtp();
  // A small limit, so the "too many tries" page is reached quickly.
  s = await startTestServer({ seed: 'none', smtpPort: smtp.port, env: { AUTH_RATE_LIMIT: '12' } });
});
afterAll(async () => {
  await s?.close();
  await smtp?.close();
});

const BROWSER = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

async function requestLink(email: string): Promise<string> {
  const r = await api(s.url, '/api/v1/accounts/request', {
    body: {
      email,
      nom: 'Agent Test',
      fonction: 'Chargée de mission',
      collectiviteCode: 'commune:22278',
      password: 'un-mot-de-passe-solide',
    },
  });
  expect(r.status).toBe(202);
  return linkToken((await smtp.waitFor(email, /accounts\/verify/)).raw);
}

async function page(path: string) {
  const r = await api<string>(s.url, path, { headers: BROWSER });
  expect(r.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/);
  expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
  expect(r.body).toMatch(/^<!doctype html><html lang="fr">/);
  return r;
}

describe('confirmation link opened in a browser', () => {
  it('confirmed, then reused: two French pages, never raw JSON', async () => {
    const token = await requestLink('lien.reutilise@mairie-saint-brieuc.fr');
    const ok = await page(`/api/v1/accounts/verify?token=${token}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('<h1>Adresse confirmée</h1>');
    expect(ok.body).toContain('Votre adresse électronique est confirmée.');

    const reused = await page(`/api/v1/accounts/verify?token=${token}`);
    expect(reused.status).toBe(400);
    expect(reused.body).toContain('<h1>Lien de confirmation invalide</h1>');
    expect(reused.body).toContain('invalide, déjà utilisé ou expiré');
    expect(reused.body).toContain('vous n’avez rien à faire');
    expect(reused.body).toContain('href="/"');
    expect(reused.body).not.toContain('TOKEN_INVALID');
  });

  it('an unknown (or expired) token and a truncated link are French pages too', async () => {
    const unknown = await page('/api/v1/accounts/verify?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(unknown.status).toBe(400);
    expect(unknown.body).toContain('<h1>Lien de confirmation invalide</h1>');

    const truncated = await page('/api/v1/accounts/verify');
    expect(truncated.status).toBe(400);
    expect(truncated.body).toContain('<h1>Lien de confirmation incomplet</h1>');
    expect(truncated.body).not.toMatch(/"code"|querystring|Requête invalide/);
  });

  it('API clients still get JSON: success, reuse and a missing token', async () => {
    const token = await requestLink('client.api@mairie-saint-brieuc.fr');
    const ok = await api<{ ok: boolean; message: string }>(s.url, `/api/v1/accounts/verify?token=${token}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ ok: true, message: expect.stringMatching(/confirmée/) });
    const reuse = await api<{ code: string; message: string }>(s.url, `/api/v1/accounts/verify?token=${token}`, {
      headers: { accept: 'application/json' },
    });
    expect(reuse.status).toBe(400);
    expect(reuse.body.code).toBe('TOKEN_INVALID');
    const missing = await api<{ code: string }>(s.url, '/api/v1/accounts/verify');
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('VALIDATION');
  });

  it('too many tries: a French page asking to wait', async () => {
    let last: Awaited<ReturnType<typeof page>> | null = null;
    for (let i = 0; i < 15 && last?.status !== 429; i++)
      last = await page('/api/v1/accounts/verify?token=BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB');
    expect(last?.status).toBe(429);
    expect(last?.body).toContain('<h1>Trop de tentatives</h1>');
    expect(last?.body).toContain('réessayez dans quelques minutes');
  });
});

describe('the page is text, never markup from the request', () => {
  it('does not reflect the token or any query into the page', async () => {
    const r = await api<string>(s.url, '/api/v1/accounts/verify?token=%3Cscript%3Ealert(1)%3C%2Fscript%3E', {
      headers: BROWSER,
    });
    expect(r.body).not.toContain('<script>');
    expect(r.body).not.toContain('alert(1)');
  });
});
