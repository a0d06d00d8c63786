// The renderer under the desktop app's Content-Security-Policy, checked in Chromium where Electron
// is not available: the built app is served by the test server, its CSP header replaced by the one
// the app:// handler sends; logging in and walking the main screens must raise no CSP violation.
import { expect, test } from '@playwright/test';
import { contentSecurityPolicy } from '../../src-main/protocol';
import { createUser, startServer, type TestServerProcess } from './support';

let server: TestServerProcess;

test.beforeAll(async () => {
  server = await startServer();
});

test.afterAll(async () => {
  await server?.close();
});

test('le rendu respecte la CSP de l’application de bureau', async ({ page }) => {
  await page.route('**/*', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    if ((headers['content-type'] ?? '').includes('text/html'))
      headers['content-security-policy'] = contentSecurityPolicy(server.url);
    await route.fulfill({ response, headers });
  });
  await page.addInitScript(() => {
    (window as unknown as { __cspViolations: string[] }).__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __cspViolations: string[] }).__cspViolations.push(
        `${e.effectiveDirective} ${e.blockedURI}`,
      );
    });
  });
  const consoleCsp: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) consoleCsp.push(m.text());
  });

  const user = await createUser(server.control);
  await page.goto(`${server.url}/#/`);
  await page.getByLabel('Adresse électronique').fill(user.email);
  await page.getByLabel('Mot de passe').fill(user.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByTestId('etat-attente')).toHaveText('Tout est synchronisé', { timeout: 30_000 });
  // Every screen of the main navigation (the map loads its bundled world data, the forms their lists).
  for (const route of ['/contacts', '/reseaux', '/cooperations', '/actions', '/apd', '/carte', '/synchronisation']) {
    await page.evaluate((r) => {
      window.location.hash = `#${r}`;
    }, route);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await page.waitForLoadState('networkidle');
  }
  const violations = await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
  // zod 4 probes `new Function('')` once (in a try/catch) to pick its JIT parser, then falls back to
  // the plain one: a refused eval, nothing broken. `z.config({ jitless: true })` in the renderer
  // removes the probe; everything else must pass.
  expect(violations.filter((v) => v !== 'script-src eval')).toEqual([]);
  expect(consoleCsp.filter((m) => !/unsafe-eval/.test(m))).toEqual([]);
});
