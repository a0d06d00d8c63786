// A stand-in for the Electron main process in the browser: `window.atlasHost = { invoke, on }` as the
// sandboxed preload exposes it, so the app runs its real host/electron.ts code path against this fake.
// Tests drive it through `window.__fakeMain` (push update states, read what the renderer reported).
import type { Page } from '@playwright/test';
import type { UpdateState } from '../../../src-renderer/host/bridge';

export interface FakeMainOptions {
  secretsWeak: boolean;
  secretsBackend: string;
  /** Refuse installNow with EDITS_UNSAVED whatever the renderer reported (a form open in another window). */
  refuseInstall?: boolean;
}

export interface FakeMainLog {
  editStates: boolean[];
  installCalls: number;
  channels: string[];
  /** Addresses the renderer asked main to save (settings:setServerUrl). */
  serverUrls: string[];
}

declare global {
  interface Window {
    __fakeMain?: {
      emit(s: UpdateState): void;
      log: FakeMainLog;
      /** What the next open dialog answers with (files:openBytes): a file's name and bytes (base64). */
      nextFile?: { name: string; base64: string } | null;
    };
  }
}

/** Runs in the page before the app's scripts (serialised by Playwright: self-contained). */
function installFakeMain(opts: FakeMainOptions): void {
  const log: FakeMainLog = { editStates: [], installCalls: 0, channels: [], serverUrls: [] };
  let state: UpdateState = { state: 'idle' };
  let unsavedEdits = false;
  const listeners = new Set<(s: UpdateState) => void>();
  // Kept in sessionStorage so a reload keeps the session, as the real keychain would.
  const secrets = {
    get: (k: string) => sessionStorage.getItem(`fake-secret:${k}`) ?? undefined,
    set: (k: string, v: string) => sessionStorage.setItem(`fake-secret:${k}`, v),
    delete: (k: string) => sessionStorage.removeItem(`fake-secret:${k}`),
  };
  const backups = new Map<string, Uint8Array>();
  const ok = (value: unknown) => Promise.resolve({ ok: true, value });
  const fail = (code: string, message: string) => Promise.resolve({ ok: false, error: { code, message } });
  const handlers: Record<string, (req: never) => Promise<unknown>> = {
    'app:version': () => ok('1.3.0'),
    'secrets:get': (r: { key: string }) => ok(secrets.get(r.key) ?? null),
    'secrets:set': (r: { key: string; value: string }) => (secrets.set(r.key, r.value), ok(null)),
    'secrets:delete': (r: { key: string }) => (secrets.delete(r.key), ok(null)),
    'secrets:info': () => ok({ backend: opts.secretsBackend, weak: opts.secretsWeak }),
    'settings:getServerUrl': () => ok(log.serverUrls.at(-1) ?? location.origin),
    'settings:setServerUrl': (r: { url: string }) => (log.serverUrls.push(r.url), ok(null)),
    'updates:state': () => ok(state),
    'updates:check': () => ok(null),
    // Mirrors src-main/updater.ts: refused while the renderer reports unsaved edits.
    'updates:installNow': () => {
      if (unsavedEdits || opts.refuseInstall)
        return fail('EDITS_UNSAVED', 'Enregistrez ou annulez la saisie en cours avant d’installer la mise à jour.');
      log.installCalls++;
      return ok(null);
    },
    'app:setEditState': (r: { unsavedEdits: boolean }) => {
      unsavedEdits = r.unsavedEdits;
      log.editStates.push(r.unsavedEdits);
      return ok(null);
    },
    'shell:openExternal': () => ok(null),
    'files:save': () => ok({ saved: true, path: '/tmp/fichier.csv' }),
    'files:open': () => ok(null),
    // Mirrors src-main/files.ts: the picked file's bytes, or null (dialog cancelled).
    'files:openBytes': () => {
      const f = window.__fakeMain?.nextFile;
      if (!f) return ok(null);
      return ok({ name: f.name, content: Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0)) });
    },
    // The backup of pending changes (src-main/backup.ts), in memory here.
    'backup:read': (r: { account: string }) => ok(backups.get(r.account) ?? null),
    'backup:write': (r: { account: string; content: Uint8Array }) => (backups.set(r.account, r.content), ok(null)),
    'backup:clear': (r: { account: string }) => (backups.delete(r.account), ok(null)),
  };
  Object.defineProperty(window, 'atlasHost', {
    value: Object.freeze({
      invoke(channel: string, request: unknown) {
        log.channels.push(channel);
        const h = handlers[channel];
        return h ? h(request as never) : fail('UNKNOWN_CHANNEL', 'Opération inconnue.');
      },
      on(event: string, listener: (s: UpdateState) => void) {
        if (event !== 'updates:state-changed') return () => undefined;
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    }),
  });
  window.__fakeMain = {
    log,
    emit(s) {
      state = s;
      listeners.forEach((l) => l(s));
    },
  };
}

export async function useFakeElectron(page: Page, opts: Partial<FakeMainOptions> = {}): Promise<void> {
  await page.addInitScript(installFakeMain, { secretsWeak: false, secretsBackend: 'gnome_libsecret', ...opts });
}

export async function emitUpdate(page: Page, s: UpdateState): Promise<void> {
  await page.evaluate((st) => window.__fakeMain!.emit(st), s);
}

/** The file the next « open » dialog of the fake main picks (files:openBytes). */
export async function pickFileInDialog(page: Page, name: string, bytes: Uint8Array): Promise<void> {
  await page.evaluate((f) => (window.__fakeMain!.nextFile = f), {
    name,
    base64: Buffer.from(bytes).toString('base64'),
  });
}

export async function fakeMainLog(page: Page): Promise<FakeMainLog> {
  return page.evaluate(() => JSON.parse(JSON.stringify(window.__fakeMain!.log)) as FakeMainLog);
}
