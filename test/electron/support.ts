// Helpers of the Electron tests: find a real Electron binary (never download one), start the same
// test server as the browser tests, launch the app with its own profile folder.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from '@playwright/test';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** ELECTRON_PATH, else the installed package's binary when it exists. Never `require('electron')` (it downloads). */
export function findElectron(): string | null {
  const fromEnv = process.env['ELECTRON_PATH'];
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  const pkg = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const exe = path.join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(exe) ? exe : null;
}

export const electronPath = findElectron();
export const SKIP_REASON =
  'skipped: no Electron binary (set ELECTRON_PATH or install the electron package with its binary)';

export interface TestServerProcess {
  url: string;
  control: string;
  close(): Promise<void>;
}

/** The browser tests' server (test/e2e/support/server.ts): PGlite in memory, small seed, app served. */
export async function startServer(): Promise<TestServerProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'test/e2e/support/server.ts'],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const info = await new Promise<{ url: string; control: string }>((resolve, reject) => {
    let buf = '';
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const line = buf.split('\n').find((l) => l.trim().startsWith('{') && l.includes('"control"'));
      if (line) resolve(JSON.parse(line) as { url: string; control: string });
    });
    child.on('exit', (code) => reject(new Error(`test server exited (${code})`)));
  });
  return {
    ...info,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Builds the desktop app when out/main is missing, then starts the test server (each spec's beforeAll). */
export async function buildAndStartServer(): Promise<TestServerProcess> {
  if (!existsSync(path.join(root, 'out/main/main.js'))) {
    execFileSync(process.execPath, [path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
      cwd: root,
      stdio: 'inherit',
    });
  }
  return startServer();
}

export async function createUser(control: string): Promise<{ email: string; password: string }> {
  const r = await fetch(`${control}/users`, {
    method: 'POST',
    body: JSON.stringify({ role: 'agent', collectiviteCode: 'fresh' }),
  });
  if (!r.ok) throw new Error(`createUser: ${r.status}`);
  return (await r.json()) as { email: string; password: string };
}

export async function launchApp(
  serverUrl: string,
): Promise<{ app: ElectronApplication; page: Page; userData: string }> {
  if (!electronPath) throw new Error(SKIP_REASON);
  const userData = mkdtempSync(path.join(tmpdir(), 'atlas-electron-profile-'));
  const app = await _electron.launch({
    executablePath: electronPath,
    args: [root],
    cwd: root,
    env: { ...(process.env as Record<string, string>), ATLAS_SERVER_URL: serverUrl, ATLAS_USER_DATA_DIR: userData },
  });
  const page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
  return { app, page, userData };
}
