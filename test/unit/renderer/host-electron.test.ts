// The renderer's Electron host over a preload stand-in wired to the real IPC router: what the UI
// calls reaches the main-process handlers validated, and coded failures come back as HostError.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createBackup } from '../../../src-main/backup';
import { createIpcRouter, IpcFailure, type IpcHandlers } from '../../../src-main/ipc';
import { createElectronHost, HostError } from '../../../src-renderer/host/electron';
import { MAX_FILE_BYTES, type AtlasHostApi, type UpdateState } from '../../../src-shared/ipc/contract';

function wire(handlers: Partial<IpcHandlers>) {
  const frame = { url: 'app://atlas/index.html' };
  const route = createIpcRouter({ handlers: handlers as IpcHandlers, log: vi.fn(), isKnownSender: () => true });
  const listeners = new Set<(s: UpdateState) => void>();
  const api: AtlasHostApi = {
    invoke: (channel, request) =>
      route({ sender: { id: 1, mainFrame: frame }, senderFrame: frame }, channel, request ?? null) as never,
    on: (_event, l) => {
      listeners.add(l as (s: UpdateState) => void);
      return () => listeners.delete(l as (s: UpdateState) => void);
    },
  };
  return { host: createElectronHost(api), emit: (s: UpdateState) => listeners.forEach((l) => l(s)) };
}

describe('Electron host bridge', () => {
  it('keeps the backup of pending changes on disk through main (backup:*), per account', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'atlas-host-backup-'));
    const backup = createBackup({ userDataDir: dir, log: vi.fn() });
    const { host } = wire({ 'backup:read': backup.read, 'backup:write': backup.write, 'backup:clear': backup.clear });
    const account = '3f1c2b7e-9a4d-4e2a-8b1f-2c3d4e5f6a7b';
    const bytes = new Uint8Array([0x41, 0x54, 0x4c, 0x41, 0x53, 0x48, 0x4c, 0x01, 7, 8, 9]);
    expect(await host.backup.read(account)).toBeNull();
    await host.backup.write(account, bytes);
    expect(readFileSync(path.join(dir, 'sauvegarde', `${account}.atlas-modifs`))).toEqual(Buffer.from(bytes));
    expect(await host.backup.read(account)).toEqual(bytes);
    await expect(host.backup.write(account, new TextEncoder().encode('pas un paquet'))).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
    await host.backup.clear(account);
    expect(await host.backup.read(account)).toBeNull();
  });

  it('reaches the handlers through the validated router', async () => {
    const store = new Map<string, string>();
    const { host } = wire({
      'app:version': () => '0.3.1',
      'secrets:set': ({ key, value }) => (store.set(key, value), null),
      'secrets:get': ({ key }) => store.get(key) ?? null,
      'files:save': ({ suggestedName }) => ({ saved: true, path: `/home/agent/${suggestedName}` }),
      'settings:getServerUrl': () => 'https://cncd.example.fr',
    });
    expect(host.kind).toBe('electron');
    expect(await host.appVersion()).toBe('0.3.1');
    await host.secrets.set('refreshToken', 'rt');
    expect(await host.secrets.get('refreshToken')).toBe('rt');
    expect(await host.files.save('export.csv', 'a;b', [{ name: 'CSV', extensions: ['csv'] }])).toEqual({
      saved: true,
      path: '/home/agent/export.csv',
    });
    expect(await host.settings.getServerUrl()).toBe('https://cncd.example.fr');
  });

  it('a Blob (an export built from chunks) crosses as its bytes; one over the IPC limit is refused before it crosses', async () => {
    const got: unknown[] = [];
    const { host } = wire({
      'files:save': ({ content }) => (got.push(content), { saved: true }),
    });
    const blob = new Blob(['\uFEFFa;b\r\n', 'é;"x"\r\n']);
    expect(await host.files.save('export.csv', blob)).toEqual({ saved: true });
    expect(got[0]).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(got[0] as Uint8Array)).toBe('\uFEFFa;b\r\né;"x"\r\n');
    const huge = new Blob([new Uint8Array(MAX_FILE_BYTES + 1)]);
    await expect(host.files.save('national.json', huge)).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining('trop volumineux'),
    });
    expect(got).toHaveLength(1);
  });

  it('rejects unknown secret names before they cross, and invalid settings with a French message', async () => {
    const { host } = wire({ 'settings:setServerUrl': () => null });
    await expect(host.secrets.get('password')).rejects.toBeInstanceOf(HostError);
    await expect(host.settings.setServerUrl('ftp://x')).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining('Adresse de serveur invalide'),
    });
  });

  it('reports edits and surfaces EDITS_UNSAVED from installNow', async () => {
    const setEditState = vi.fn(() => null);
    const { host, emit } = wire({
      'app:setEditState': setEditState,
      'updates:installNow': () => {
        throw new IpcFailure('EDITS_UNSAVED', 'Enregistrez ou annulez la saisie en cours.');
      },
    });
    await host.updates.reportEditState?.(true);
    expect(setEditState).toHaveBeenCalledWith({ unsavedEdits: true });
    await expect(host.updates.installNow()).rejects.toMatchObject({ code: 'EDITS_UNSAVED' });
    const seen: UpdateState[] = [];
    const off = host.updates.onState((s) => seen.push(s));
    emit({ state: 'ready', version: '0.2.0' });
    off();
    emit({ state: 'idle' });
    expect(seen).toEqual([{ state: 'ready', version: '0.2.0' }]);
  });
});
