// The viewer without login in the real desktop app: « Ouvrir un instantané » on the login screen goes
// through the native open dialog (stubbed in main, the file really read by src-main/files.ts and carried
// by the files:openBytes IPC channel), the banner shows, closing deletes the viewer's temporary database
// and leaves the app's own as it was. Skipped where no Electron binary exists (this sandbox): the same
// path is covered by test/unit/main/files-open-bytes.test.ts (main) and test/e2e/visionneuse.spec.ts (the
// renderer against a stand-in main).
import { randomUUID, webcrypto } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { SERVER_KEY_PATH } from '../../src-shared/files/snapshot';
import {
  buildAndStartServer,
  createUser,
  electronPath,
  launchApp,
  SKIP_REASON,
  type TestServerProcess,
} from './support';

if (!electronPath) console.log(`test/electron/visionneuse: ${SKIP_REASON}`);
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
test.afterEach(async () => {
  await app?.close();
});

async function snapshotFile(): Promise<string> {
  const user = (await createUser(server.control)) as { email: string; password: string; collectiviteId: string };
  const pair = (await webcrypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const publicKey = Buffer.from(await webcrypto.subtle.exportKey('raw', pair.publicKey)).toString('base64');
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: user.email,
      password: user.password,
      device: { id: randomUUID(), name: 'Test visionneuse', publicKey },
    }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const r = await fetch(`${server.url}/api/v1/instantanes?perimetre=collectivite:${user.collectiviteId}`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  expect(r.status).toBe(200);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'atlas-instantane-')), 'collectivite.atlas-instantane');
  writeFileSync(file, new Uint8Array(await r.arrayBuffer()));
  return file;
}

const dbNames = (p: Page) => p.evaluate(async () => (await indexedDB.databases()).map((d) => d.name!));
/** The viewers' temporary databases (prefix + a random id). */
const viewerDbs = async (p: Page) => (await dbNames(p)).filter((n) => n.startsWith('atlas-visionneuse-'));

test('ouvre un instantané sans compte par la boîte de dialogue du système', async () => {
  const file = await snapshotFile();
  const key = await (await fetch(`${server.url}${SERVER_KEY_PATH}`)).json();
  ({ app, page } = await launchApp(server.url));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Connexion à l’Atlas hors ligne');
  // A release ships its server's key (resources/cles-serveur.json); this build trusts it once pinned.
  await page.evaluate((k) => localStorage.setItem('atlas.clesServeur', JSON.stringify([k])), key);
  await app.evaluate(({ dialog }, filePath) => {
    dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: [filePath] })) as typeof dialog.showOpenDialog;
  }, file);
  await expect.poll(() => dbNames(page)).toContain('atlas-hors-ligne');
  await page.getByRole('button', { name: 'Ouvrir un instantané' }).click();
  await expect(page.getByTestId('bandeau-instantane')).toContainText('signature vérifiée');
  expect(await viewerDbs(page)).toHaveLength(1);
  await page.getByRole('button', { name: 'Fermer l’instantané' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Connexion à l’Atlas hors ligne');
  await expect.poll(() => viewerDbs(page)).toEqual([]);
});
