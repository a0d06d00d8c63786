// The desktop host's « open a file as bytes » (files:openBytes, for the viewer of snapshots): the main
// process's handler behind the real IPC router (sender check, request and response validated against the
// contract), with a stand-in dialog. The Electron binary cannot run here: the renderer's side of the same
// channel runs in Chromium against the fake main of test/e2e/support/fakeElectron.ts (visionneuse.spec.ts).
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createFiles, type DialogLike } from '../../../src-main/files';
import { createIpcRouter, type IpcHandlers, type InvokeEventLike } from '../../../src-main/ipc';
import { MAX_FILE_BYTES } from '../../../src-shared/ipc/contract';

const dir = mkdtempSync(path.join(tmpdir(), 'atlas-open-bytes-'));
const WINDOW_ID = 3;
const mainFrame = { url: 'app://atlas/index.html' };
const good: InvokeEventLike = { sender: { id: WINDOW_ID, mainFrame }, senderFrame: mainFrame };

function router(openPath: string | null) {
  const dialog: DialogLike = {
    showSaveDialog: vi.fn(async () => ({ canceled: true })),
    showOpenDialog: vi.fn(async () =>
      openPath ? { canceled: false, filePaths: [openPath] } : { canceled: true, filePaths: [] },
    ),
  };
  const files = createFiles({ dialog, defaultDir: () => dir, log: vi.fn() });
  const route = createIpcRouter({
    handlers: { 'files:openBytes': (req) => files.openBytes(req) } as IpcHandlers,
    log: vi.fn(),
    isKnownSender: (id) => id === WINDOW_ID,
  });
  return { route, dialog };
}

describe('files:openBytes', () => {
  it('answers the picked file’s exact bytes through the contract', async () => {
    const src = path.join(dir, 'bretagne.atlas-instantane');
    // Not text: a BOM, a NUL and bytes above 0x7f come back untouched.
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, 0x41, 0x54, 0x00, 0xff, 0x80, 0x0a]);
    writeFileSync(src, bytes);
    const { route, dialog } = router(src);
    const filters = [{ name: 'Instantané de l’Atlas', extensions: ['atlas-instantane'] }];
    const res = await route(good, 'files:openBytes', { filters });
    expect(res).toMatchObject({ ok: true, value: { name: 'bretagne.atlas-instantane' } });
    const value = (res as { ok: true; value: { content: Uint8Array } }).value;
    expect(value.content).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(value.content).equals(Buffer.from(bytes))).toBe(true);
    expect(dialog.showOpenDialog).toHaveBeenCalledWith(expect.objectContaining({ filters }));
  });

  it('answers null when the dialog is cancelled', async () => {
    expect(await router(null).route(good, 'files:openBytes', {})).toEqual({ ok: true, value: null });
  });

  it('refuses a file above the limit before reading it', async () => {
    const src = path.join(dir, 'trop-gros.atlas-instantane');
    writeFileSync(src, '');
    truncateSync(src, MAX_FILE_BYTES + 1); // sparse: nothing is written
    expect(await router(src).route(good, 'files:openBytes', {})).toMatchObject({
      ok: false,
      error: { code: 'FAILED', message: expect.stringContaining('trop volumineux') },
    });
  });

  it('refuses a request outside the contract and a foreign sender', async () => {
    const { route, dialog } = router(path.join(dir, 'x'));
    expect(await route(good, 'files:openBytes', { path: '/etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST' },
    });
    expect(await route({ sender: { id: 99, mainFrame }, senderFrame: mainFrame }, 'files:openBytes', {})).toMatchObject(
      { ok: false, error: { code: 'FORBIDDEN_SENDER' } },
    );
    expect(dialog.showOpenDialog).not.toHaveBeenCalled();
  });
});
