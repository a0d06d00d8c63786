import { describe, expect, it, vi } from 'vitest';
import {
  createIpcRouter,
  IpcFailure,
  registerIpc,
  type IpcHandlers,
  type InvokeEventLike,
} from '../../../src-main/ipc';
import { IPC_CHANNELS } from '../../../src-shared/ipc/contract';

const WINDOW_ID = 7;
const mainFrame = { url: 'app://atlas/index.html' };

function handlers(overrides: Partial<IpcHandlers> = {}): IpcHandlers {
  return {
    'app:version': () => '0.1.0',
    'secrets:get': () => 'tok',
    'secrets:set': () => null,
    'secrets:delete': () => null,
    'secrets:info': () => ({ backend: 'basic_text', weak: true }),
    'files:save': () => ({ saved: true, path: '/tmp/x.csv' }),
    'files:open': () => null,
    'files:openBytes': () => null,
    'backup:read': () => null,
    'backup:write': () => null,
    'backup:clear': () => null,
    'settings:getServerUrl': () => 'https://cncd.example.fr',
    'settings:setServerUrl': () => null,
    'updates:state': () => ({ state: 'idle' }),
    'updates:check': () => null,
    'updates:installNow': () => null,
    'app:setEditState': () => null,
    'shell:openExternal': () => null,
    ...overrides,
  };
}

function setup(overrides: Partial<IpcHandlers> = {}) {
  const log = vi.fn<(m: string) => void>();
  const route = createIpcRouter({ handlers: handlers(overrides), log, isKnownSender: (id) => id === WINDOW_ID });
  return { route, log };
}

const good: InvokeEventLike = { sender: { id: WINDOW_ID, mainFrame }, senderFrame: mainFrame };

describe('IPC router', () => {
  it('answers a valid request from the app window', async () => {
    const { route } = setup();
    expect(await route(good, 'app:version', null)).toEqual({ ok: true, value: '0.1.0' });
    expect(await route(good, 'secrets:get', { key: 'refreshToken' })).toEqual({ ok: true, value: 'tok' });
  });

  it('refuses unknown channels', async () => {
    const { route } = setup();
    expect(await route(good, 'fs:readFile', { path: '/etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_CHANNEL' },
    });
    expect(await route(good, '__proto__', null)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
  });

  it.each<[string, InvokeEventLike]>([
    ['another window', { sender: { id: 99, mainFrame }, senderFrame: mainFrame }],
    [
      'a sub-frame of the app',
      { sender: { id: WINDOW_ID, mainFrame }, senderFrame: { url: 'app://atlas/index.html', parent: mainFrame } },
    ],
    [
      'a sub-frame object that is not the main frame',
      { sender: { id: WINDOW_ID, mainFrame }, senderFrame: { url: 'app://atlas/index.html' } },
    ],
    [
      'a foreign origin in the main frame',
      {
        sender: { id: WINDOW_ID, mainFrame: { url: 'https://evil.example/' } },
        senderFrame: { url: 'https://evil.example/' },
      },
    ],
    ['a file:// page', { sender: { id: WINDOW_ID }, senderFrame: { url: 'file:///tmp/x.html' } }],
    ['a destroyed frame', { sender: { id: WINDOW_ID, mainFrame }, senderFrame: null }],
  ])('refuses a forged sender: %s', async (_name, event) => {
    const secrets = vi.fn(() => 'tok');
    const { route, log } = setup({ 'secrets:get': secrets });
    expect(await route(event, 'secrets:get', { key: 'refreshToken' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    });
    expect(secrets).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledWith(expect.stringContaining('ipc refused on secrets:get'));
  });

  it.each<[string, unknown]>([
    ['secrets:get', { key: 'password' }],
    ['secrets:get', { key: 'refreshToken', extra: 1 }],
    ['secrets:set', { key: 'refreshToken', value: 42 }],
    ['secrets:set', 'refreshToken'],
    ['settings:setServerUrl', { url: 'javascript:alert(1)' }],
    ['settings:setServerUrl', { url: 'https://user:pw@cncd.fr' }],
    ['files:save', { suggestedName: '../../.bashrc', content: 'x' }],
    ['files:save', { suggestedName: 'a.csv', content: { length: 3 } }],
    ['app:setEditState', { unsavedEdits: 'yes' }],
    ['app:version', { evil: true }],
  ])('refuses a malformed payload on %s', async (channel, payload) => {
    const spy = vi.fn();
    const { route } = setup(Object.fromEntries([[channel, spy]]) as Partial<IpcHandlers>);
    const r = await route(good, channel, payload);
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(spy).not.toHaveBeenCalled();
    if (!r.ok) expect(r.error.message.length).toBeGreaterThan(3);
  });

  it('validates responses too', async () => {
    const { route, log } = setup({ 'secrets:info': () => ({ backend: 'x', weak: 'no' }) as never });
    expect(await route(good, 'secrets:info', null)).toMatchObject({ ok: false, error: { code: 'FAILED' } });
    expect(log).toHaveBeenCalledWith(expect.stringContaining('invalid response'));
  });

  it('turns handler errors into coded results, never a throw', async () => {
    const { route } = setup({
      'updates:installNow': () => {
        throw new IpcFailure('EDITS_UNSAVED', 'Enregistrez d’abord.');
      },
      'updates:check': () => {
        throw new Error('boom /home/agent/secret');
      },
    });
    expect(await route(good, 'updates:installNow', null)).toEqual({
      ok: false,
      error: { code: 'EDITS_UNSAVED', message: 'Enregistrez d’abord.' },
    });
    const r = await route(good, 'updates:check', null);
    expect(r).toMatchObject({ ok: false, error: { code: 'FAILED' } });
    expect(JSON.stringify(r)).not.toContain('/home/agent');
  });

  it('accepts bytes for files:save', async () => {
    const { route } = setup();
    expect(
      await route(good, 'files:save', { suggestedName: 'export.csv', content: new Uint8Array([1, 2]) }),
    ).toMatchObject({ ok: true });
  });

  it('registers one Electron channel per contract channel', () => {
    const names: string[] = [];
    registerIpc(
      { handle: (c) => void names.push(c) },
      { handlers: handlers(), log: vi.fn(), isKnownSender: () => true },
    );
    expect(names.sort()).toEqual(IPC_CHANNELS.map((c) => `atlas:${c}`).sort());
  });
});
