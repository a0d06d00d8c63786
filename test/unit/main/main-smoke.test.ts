// The bundled main process, built now by electron-vite, run in plain Node on a recording stand-in
// for `electron` (no binary here): proves main.ts wires every guard, the protocol, the validated IPC
// and the window as intended, and that the bundle starts without any node_modules.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import vm from 'node:vm';
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
  switches: Record<string, string>;
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
  changedServer: unknown;
  serverAfterChange: unknown;
  check: unknown;
  netRequests: string[];
  backup: { write: unknown; read: unknown; clear: unknown; after: unknown };
}

let report: Report;
let packaged: Report;
let outDir: string;

function runMain(env: Record<string, string>): Report {
  const stdout = execFileSync(
    process.execPath,
    [
      '--import',
      path.join(fixtures, 'hooks.mjs'),
      path.join(fixtures, 'run-main.mjs'),
      path.join(outDir, 'main', 'main.js'),
    ],
    {
      // Run from an empty folder: the bundle must not need the project's node_modules for its own code.
      cwd: outDir,
      env: {
        ...process.env,
        FAKE_USER_DATA: mkdtempSync(path.join(tmpdir(), 'atlas-ud-')),
        ATLAS_SERVER_URL: 'http://127.0.0.1:8080',
        ...env,
      },
      encoding: 'utf8',
    },
  );
  const line = stdout.split('\n').find((l) => l.startsWith('REPORT '));
  return JSON.parse((line ?? 'REPORT {}').slice(7)) as Report;
}

beforeAll(() => {
  outDir = mkdtempSync(path.join(tmpdir(), 'atlas-build-'));
  // The feed URL is the build's: set here as a release build would (ATLAS_UPDATES_URL).
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--outDir', outDir],
    {
      cwd: root,
      stdio: 'pipe',
      env: { ...process.env, ATLAS_UPDATES_URL: 'https://maj.atlas.example.fr/bureau' },
    },
  );
  report = runMain({});
  // An installed AppImage: APPIMAGE is what its runtime sets, and what electron-updater needs on Linux.
  packaged = runMain({ FAKE_PACKAGED: '1', APPIMAGE: path.join(outDir, 'Atlas-hors-ligne.AppImage') });
}, 180_000);

describe('bundled main process on a stand-in electron', () => {
  it('turns the sandbox on, takes the single-instance lock, registers app:// as privileged', () => {
    expect(report.sandbox).toBe(true);
    // French whatever the system's language (date fields JJ/MM/AAAA, Chromium's own messages).
    expect(report.switches).toEqual({ lang: 'fr-FR' });
    expect(report.singleInstance).toBe(1);
    expect(report.privileged).toEqual(['app']);
    expect(report.protocol).toBe('app');
  });

  it('opens one hardened window on app://, with every guard', () => {
    expect(report.windows).toBe(1);
    expect(report.loaded).toBe('app://atlas/index.html');
    expect(report.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
    });
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
    expect(report.ipcChannels.filter((c) => c.startsWith('atlas:'))).toEqual(
      IPC_CHANNELS.map((c) => `atlas:${c}`).sort(),
    );
    expect(report.version).toEqual({ ok: true, value: '0.1.0' });
    expect(report.serverUrl).toEqual({ ok: true, value: 'http://127.0.0.1:8080' });
    expect(report.secretsInfo).toEqual({ ok: true, value: { backend: 'memory', weak: true } });
    expect(report.forged).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect(report.malformed).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(report.malformed.error?.message).toMatch(/invalide/i);
    expect(report.update).toEqual({ ok: true, value: { state: 'idle' } });
    expect(report.badServerUrl).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST', message: expect.stringContaining('https://') },
    });
  });

  it('keeps the backup of pending changes in the data folder (backup:write, read, clear)', () => {
    expect(report.backup).toEqual({
      write: { ok: true, value: null },
      read: [0x41, 0x54, 0x4c, 0x41, 0x53, 0x48, 0x4c, 0x01, 1, 2, 3],
      clear: { ok: true, value: null },
      after: { ok: true, value: null },
    });
  });

  it('development build: ATLAS_SERVER_URL is honoured and the updater stays off', () => {
    expect(report.serverUrl).toEqual({ ok: true, value: 'http://127.0.0.1:8080' });
    expect(report.netRequests).toEqual([]);
  });

  it('packaged build: ATLAS_SERVER_URL is ignored; a new sync server leaves updates on the build’s feed', () => {
    expect(packaged.serverUrl).toEqual({ ok: true, value: 'https://atlas-cncd.diplomatie.gouv.fr' });
    expect(packaged.page.csp).not.toContain('127.0.0.1:8080');
    expect(packaged.changedServer).toEqual({ ok: true, value: null });
    expect(packaged.serverAfterChange).toEqual({ ok: true, value: 'https://recette.cncd.example.fr' });
    expect(packaged.check).toEqual({ ok: true, value: null });
    expect(packaged.netRequests.length).toBeGreaterThan(0);
    for (const u of packaged.netRequests)
      expect(u).toMatch(/^https:\/\/maj\.atlas\.example\.fr\/bureau\/latest-linux\.yml/);
    expect(packaged.netRequests.join(' ')).not.toContain('recette');
  });

  it('answers CORS for the configured server so app://atlas can call it', () => {
    expect(report.cors.filter.urls).toEqual(['http://*/*', 'https://*/*']);
    expect(report.cors.statusLine).toBe('HTTP/1.1 200 OK');
    expect(report.cors.allowOrigin).toEqual(['app://atlas']);
  });
});

describe('bundled preload in a sandbox-like context', () => {
  // Sandboxed preloads get no Node: only require('electron'). Run the bundle in a bare vm context.
  function loadPreload() {
    const code = readFileSync(path.join(outDir, 'preload', 'index.cjs'), 'utf8');
    const required: string[] = [];
    const invoked: Array<[string, unknown]> = [];
    const listeners = new Map<string, (e: unknown, p: unknown) => void>();
    let exposed: { name: string; api: Record<string, (...a: unknown[]) => unknown> } | null = null;
    const electron = {
      contextBridge: {
        exposeInMainWorld: (name: string, api: Record<string, (...a: unknown[]) => unknown>) =>
          (exposed = { name, api }),
      },
      ipcRenderer: {
        invoke: (c: string, p: unknown) => (invoked.push([c, p]), Promise.resolve({ ok: true, value: null })),
        on: (c: string, l: (e: unknown, p: unknown) => void) => listeners.set(c, l),
        removeListener: (c: string) => listeners.delete(c),
      },
    };
    const module = { exports: {} };
    const context = vm.createContext({
      module,
      exports: module.exports,
      require: (id: string) => {
        required.push(id);
        if (id !== 'electron') throw new Error(`sandboxed preload cannot require ${id}`);
        return electron;
      },
    });
    vm.runInContext(code, context);
    return {
      required,
      invoked,
      listeners,
      exposed: exposed as unknown as { name: string; api: Record<string, (...a: unknown[]) => unknown> },
    };
  }

  it('requires only electron and exposes window.atlasHost = { invoke, on }', () => {
    const { required, exposed } = loadPreload();
    expect([...new Set(required)]).toEqual(['electron']);
    expect(exposed.name).toBe('atlasHost');
    expect(Object.keys(exposed.api).sort()).toEqual(['invoke', 'on']);
  });

  it('forwards contract channels only, and validates events from main', async () => {
    const { invoked, listeners, exposed } = loadPreload();
    await exposed.api['invoke']!('secrets:get', { key: 'refreshToken' });
    expect(invoked).toEqual([['atlas:secrets:get', { key: 'refreshToken' }]]);
    expect(await exposed.api['invoke']!('fs:read', { path: '/etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_CHANNEL' },
    });
    expect(invoked).toHaveLength(1);

    const seen: unknown[] = [];
    const off = exposed.api['on']!('updates:state-changed', (s: unknown) => seen.push(s)) as () => void;
    const deliver = listeners.get('atlas:updates:state-changed');
    deliver?.({}, { state: 'ready', version: '0.2.0' });
    deliver?.({}, { state: 'pwned', script: 'alert(1)' });
    expect(seen).toEqual([{ state: 'ready', version: '0.2.0' }]);
    off();
    expect(listeners.has('atlas:updates:state-changed')).toBe(false);
    const noop = exposed.api['on']!('anything:else', () => undefined) as () => void;
    expect(listeners.size).toBe(0);
    noop();
  });
});
