// Builds the app, then starts one real server (PGlite, small seed) serving out/renderer for all tests.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const STATE_FILE = join(root, 'test-results', 'e2e-server.json');

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!process.env.E2E_SKIP_BUILD) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  mkdirSync(join(root, 'test-results', 'screenshots'), { recursive: true });
  const child: ChildProcess = spawn(join(root, 'node_modules', '.bin', 'tsx'), ['test/e2e/support/server.ts'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_ENV: 'test' },
  });
  const info = await new Promise<{ url: string; control: string }>((resolve, reject) => {
    let buf = '';
    // Two minutes: on a loaded machine the build's aftermath and PGlite's start can take over one.
    const timer = setTimeout(() => {
      child.kill('SIGTERM'); // not left running behind a failed run
      reject(new Error('Le serveur de test ne démarre pas (120 s).'));
    }, 120_000);
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const line = buf.split('\n').find((l) => l.startsWith('{"url"'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Le serveur de test s'est arrêté (code ${code}).`));
    });
  });
  writeFileSync(STATE_FILE, JSON.stringify(info));
  process.env.E2E_URL = info.url;
  process.env.E2E_CONTROL = info.control;
  return async () => {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  };
}
