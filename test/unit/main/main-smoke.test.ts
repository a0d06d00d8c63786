// The bundled main process, built now by electron-vite, run in plain Node on a recording stand-in
// for `electron` (no binary here): proves main.ts wires every guard, the protocol, the validated IPC
// and the window as intended, and that the bundle starts without any node_modules.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { IPC_CHANNELS } from '../../../src-shared/ipc/contract';

const root = path.resolve(import.meta.dirname, '../../..');
const fixtures = path.join(import.meta.dirname, 'fixtures');

interface Report {
  cors: { filter: { urls: string[] }; statusLine?: string; allowOrigin?: string[] };
  badServerUrl: { ok: boolean; error?: { code: string; message: string } };
  sandbox: boolean;
  singleInstance: number;
  privileged: string[];
  protocol: string;
  ipcChannels: string[];
  windows: number;
  loaded: string;
  webPreferences: Record<string, unknown>;
  navigationListeners: number[];
  windowOpen: unknown;
  menu: string[];
  permissionHandlers: number;
  page: { status: number; csp: string };
  traversal: number;
  version: unknown;
  serverUrl: unknown;
  secretsInfo: unknown;
  forged: unknown;
  malformed: { ok: boolean; error?: { code: string; message: string } };
  update: unknown;
}

let report: Report;

beforeAll(() => {
  const outDir = mkdtempSync(path.join(tmpdir(), 'atlas-build-'));
  execFileSync(process.execPath, [path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--outDir', outDir], { cwd: root, stdio: 'pipe' });
  const stdout = execFileSync(
    process.execPath,
    ['--import', path.join(fixtures, 'hooks.mjs'), path.join(fixtures, 'run-main.mjs'), path.join(outDir, 'main', 'main.js')],
    {
      // Run from an empty folder: the bundle must not need the project's node_modules for its own code.
      cwd: outDir,
      env: { ...process.env, FAKE_USER_DATA: mkdtempSync(path.join(tmpdir(), 'atlas-ud-')), ATLAS_SERVER_URL: 'http://127.0.0.1:8080' },
      encoding: 'utf8',
    },
  );
  const line = stdout.split('\n').find((l) => l.startsWith('REPORT '));
  report = JSON.parse((line ?? 'REPORT {}').slice(7)) as Report;
}, 120_000);

describe('bundled main process on a stand-in electron', () => {
  it('turns the sandbox on, takes the single-instance lock, registers app:// as privileged', () => {
    expect(report.sandbox).toBe(true);
    expect(report.singleInstance).toBe(1);
    expect(report.privileged).toEqual(['app']);
    expect(report.protocol).toBe('app');
  });

  it('opens one hardened window on app://, with every guard', () => {
    expect(report.windows).toBe(1);
    expect(report.loaded).toBe('app://atlas/index.html');
    expect(report.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false });
    expect(String(report.webPreferences['preload'])).toMatch(/preload[\\/]index\.cjs$/);
    expect(report.navigationListeners).toEqual([1, 1, 1, 1]);
    expect(report.windowOpen).toEqual({ action: 'deny' });
    expect(report.permissionHandlers).toBeGreaterThanOrEqual(4);
    expect(report.menu).toEqual(['Fichier', 'Édition', 'Affichage', 'Fenêtre', 'Aide']);
  });

  it('serves the renderer with the CSP pointed at the configured server, refuses traversal', () => {
    expect(report.page.status).toBe(200);
    expect(report.page.csp).toContain("connect-src 'self' http://127.0.0.1:8080");
    expect(report.page.csp).not.toContain('unsafe-inline');
    expect(report.traversal).toBe(403);
  });

  it('handles every contract channel, validated, with French refusals', () => {
    expect(report.ipcChannels.filter((c) => c.startsWith('atlas:'))).toEqual(IPC_CHANNELS.map((c) => `atlas:${c}`).sort());
    expect(report.version).toEqual({ ok: true, value: '0.1.0' });
    expect(report.serverUrl).toEqual({ ok: true, value: 'http://127.0.0.1:8080' });
    expect(report.secretsInfo).toEqual({ ok: true, value: { backend: 'memory', weak: true } });
    expect(report.forged).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect(report.malformed).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(report.malformed.error?.message).toMatch(/invalide/i);
    expect(report.update).toEqual({ ok: true, value: { state: 'idle' } });
    expect(report.badServerUrl).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', message: expect.stringContaining('https://') } });
  });

  it('answers CORS for the configured server so app://atlas can call it', () => {
    expect(report.cors.filter.urls).toEqual(['http://*/*', 'https://*/*']);
    expect(report.cors.statusLine).toBe('HTTP/1.1 200 OK');
    expect(report.cors.allowOrigin).toEqual(['app://atlas']);
  });
});
