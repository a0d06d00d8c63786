// The real desktop app under Playwright's _electron: start, security checks as Actual Budget's e2e
// does them, log in, edit offline, sync, CSV export through a stubbed save dialog.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type ElectronApplication, type Page } from '@playwright/test';
import {
  buildAndStartServer,
  createUser,
  electronPath,
  launchApp,
  SKIP_REASON,
  type TestServerProcess,
} from './support';

if (!electronPath) console.log(`test/electron: ${SKIP_REASON}`);
test.skip(!electronPath, SKIP_REASON);

let server: TestServerProcess;
let app: ElectronApplication;
let page: Page;

test.beforeAll(async () => {
  server = await buildAndStartServer();
});

test.afterAll(async () => {
  await server?.close();
});

test.beforeEach(async () => {
  ({ app, page } = await launchApp(server.url));
});

test.afterEach(async () => {
  await app?.close();
});

test('démarre sur app:// avec une seule fenêtre durcie', async () => {
  expect(page.url()).toMatch(/^app:\/\/atlas\//);
  expect(await page.title()).toMatch(/Atlas/);
  expect(app.windows()).toHaveLength(1);
  const exposed = await page.evaluate(() => ({
    require: typeof (window as unknown as { require?: unknown }).require,
    process: typeof (window as unknown as { process?: unknown }).process,
    host: Object.keys((window as unknown as { atlasHost: object }).atlasHost).sort(),
  }));
  expect(exposed).toEqual({ require: 'undefined', process: 'undefined', host: ['invoke', 'on'] });
  const prefs = await app.evaluate(({ BrowserWindow }) => {
    const wc = BrowserWindow.getAllWindows()[0]!.webContents as unknown as {
      getLastWebPreferences(): { contextIsolation?: boolean; sandbox?: boolean; nodeIntegration?: boolean } | null;
    };
    const p = wc.getLastWebPreferences();
    return { contextIsolation: p?.contextIsolation, sandbox: p?.sandbox, nodeIntegration: p?.nodeIntegration };
  });
  expect(prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false });
});

test('refuse navigation externe, window.open, javascript: et la sortie du dossier app://', async () => {
  const start = page.url();
  await page.evaluate(() => {
    window.location.href = 'https://example.org/';
  });
  await page.waitForTimeout(500);
  expect(page.url()).toBe(start);

  const opened = await page.evaluate(() => window.open('https://example.org/') === null);
  expect(opened).toBe(true);
  await page.evaluate(() => window.open('javascript:alert(1)'));
  await page.evaluate(() => window.open('file:///etc/passwd'));
  await page.waitForTimeout(300);
  expect(app.windows()).toHaveLength(1);

  const traversal = await page.evaluate(async () => (await fetch('app://atlas/..%2f..%2fpackage.json')).status);
  expect(traversal).toBe(403);

  const forged = await page.evaluate(() =>
    (window as unknown as { atlasHost: { invoke(c: string, r: unknown): Promise<unknown> } }).atlasHost.invoke(
      'secrets:get',
      { key: 'nimporte' },
    ),
  );
  expect(forged).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });

  const csp = await page.evaluate(async () =>
    (await fetch('app://atlas/index.html')).headers.get('content-security-policy'),
  );
  expect(csp).toContain(`connect-src 'self' ${new URL(server.url).origin}`);
});

test('connexion, saisie hors ligne, synchronisation et export CSV par la boîte de dialogue', async () => {
  const user = await createUser(server.control);
  await page.getByLabel('Adresse électronique').fill(user.email);
  await page.getByLabel('Mot de passe').fill(user.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByTestId('etat-attente')).toHaveText('Tout est synchronisé', { timeout: 30_000 });

  // Offline: the edit is saved locally and waits.
  await app.evaluate(({ BrowserWindow }) =>
    BrowserWindow.getAllWindows()[0]!.webContents.session.enableNetworkEmulation({ offline: true }),
  );
  await page.getByRole('link', { name: 'Élus et cadres' }).first().click();
  await page.getByRole('link', { name: 'Ajouter un élu ou un cadre' }).click();
  await page.getByLabel(/^Catégorie/).selectOption('elu');
  await page.getByLabel(/^Prénom/).fill('Anne');
  await page.getByLabel(/^Nom(\s|$)/).fill('Le Goff');
  await page.getByLabel(/^Titre \/ fonction/).fill('Adjointe aux relations internationales');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  const row = page.getByRole('row').filter({ hasText: 'Anne Le Goff' });
  await expect(row).toBeVisible();
  await expect(page.getByTestId('etat-attente')).not.toHaveText('Tout est synchronisé');

  // Back online: one sync and the server acknowledges.
  await app.evaluate(({ BrowserWindow }) =>
    BrowserWindow.getAllWindows()[0]!.webContents.session.disableNetworkEmulation(),
  );
  await page.getByRole('button', { name: 'Synchroniser maintenant' }).first().click();
  await expect(page.getByTestId('etat-attente')).toHaveText('Tout est synchronisé', { timeout: 30_000 });
  await expect(row.getByTestId('statut-enregistrement')).toHaveText('Synchronisé');

  // CSV export: the native dialog is stubbed in main, the file is really written.
  const target = path.join(mkdtempSync(path.join(tmpdir(), 'atlas-export-')), 'contacts.csv');
  await app.evaluate(({ dialog }, filePath) => {
    dialog.showSaveDialog = (async () => ({ canceled: false, filePath })) as typeof dialog.showSaveDialog;
  }, target);
  await page.getByRole('button', { name: /Exporter en CSV/ }).click();
  await expect.poll(() => existsSync(target)).toBe(true);
  expect(readFileSync(target, 'utf8')).toContain('Le Goff');
});
