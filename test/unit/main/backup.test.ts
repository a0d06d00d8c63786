// The desktop host's backup of pending changes (src-main/backup.ts), through the validated IPC router
// as the renderer reaches it: one file per account in <userData>/sauvegarde, written atomically, read
// back byte for byte, cleared; anything that is not a packet, too large, or named by something other
// than an account id is refused before the handler runs. (The bundled main on the stand-in electron,
// main-smoke.test.ts, proves main.ts wires these channels to this module.)
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createBackup } from '../../../src-main/backup';
import { createIpcRouter, type IpcHandlers, type InvokeEventLike } from '../../../src-main/ipc';
import { MAX_BACKUP_BYTES } from '../../../src-shared/ipc/contract';

const frame = { url: 'app://atlas/index.html' };
const event: InvokeEventLike = { sender: { id: 1, mainFrame: frame }, senderFrame: frame };
const account = '3f1c2b7e-9a4d-4e2a-8b1f-2c3d4e5f6a7b';
const other = '0b6f9d2e-1c3a-4b5d-9e8f-7a6b5c4d3e2f';
/** A container's magic ("ATLASHL", format byte) and some body. */
const packet = (fill: number, size = 64) => {
  const b = new Uint8Array(size).fill(fill);
  b.set([0x41, 0x54, 0x4c, 0x41, 0x53, 0x48, 0x4c, 0x01]);
  return b;
};

function setup() {
  const dir = mkdtempSync(path.join(tmpdir(), 'atlas-backup-'));
  const log = vi.fn<(m: string) => void>();
  const backup = createBackup({ userDataDir: dir, log });
  const handlers = new Proxy({} as IpcHandlers, {
    get: (_t, c: string) =>
      c === 'backup:read'
        ? backup.read
        : c === 'backup:write'
          ? backup.write
          : c === 'backup:clear'
            ? backup.clear
            : () => {
                throw new Error(`unexpected ${c}`);
              },
  });
  const route = createIpcRouter({ handlers, log, isKnownSender: () => true });
  const ipc = (channel: string, payload: unknown) => route(event, channel, payload);
  return { dir, ipc, log, folder: path.join(dir, 'sauvegarde') };
}

describe('desktop backup of pending changes (IPC backup:*)', () => {
  it('writes one file per account, reads it back byte for byte, clears it', async () => {
    const { ipc, folder } = setup();
    expect(await ipc('backup:read', { account })).toEqual({ ok: true, value: null });
    expect(await ipc('backup:write', { account, content: packet(1) })).toEqual({ ok: true, value: null });
    expect(await ipc('backup:write', { account: other, content: packet(2) })).toEqual({ ok: true, value: null });
    const read = await ipc('backup:read', { account });
    expect(read.ok).toBe(true);
    expect(Buffer.from((read as { value: Uint8Array }).value)).toEqual(Buffer.from(packet(1)));
    expect(readdirSync(folder).sort()).toEqual([`${account}.atlas-modifs`, `${other}.atlas-modifs`].sort());

    // Replaced whole by the next write; no temp file left behind.
    await ipc('backup:write', { account, content: packet(3, 200) });
    expect(Buffer.from(readFileSync(path.join(folder, `${account}.atlas-modifs`)))).toEqual(
      Buffer.from(packet(3, 200)),
    );
    expect(readdirSync(folder).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    // Clearing one account's backup leaves the other's.
    expect(await ipc('backup:clear', { account })).toEqual({ ok: true, value: null });
    expect(await ipc('backup:read', { account })).toEqual({ ok: true, value: null });
    expect(existsSync(path.join(folder, `${other}.atlas-modifs`))).toBe(true);
    expect(await ipc('backup:clear', { account })).toEqual({ ok: true, value: null });
  });

  it('refuses, before the handler, what is not a packet, too large, or not an account id', async () => {
    const { ipc, folder } = setup();
    const text = new TextEncoder().encode('{"not":"a packet"}');
    for (const [payload, message] of [
      [{ account, content: text }, /paquet de modifications/],
      [{ account, content: 'ATLASHL text' }, /./],
      [{ account, content: packet(1, MAX_BACKUP_BYTES + 1) }, /trop volumineuse/],
      [{ account: '../../secrets', content: packet(1) }, /Compte invalide/],
      [{ account, content: packet(1), path: '/etc/passwd' }, /./],
    ] as const) {
      const r = await ipc('backup:write', payload);
      expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
      expect((r as { error: { message: string } }).error.message).toMatch(message);
    }
    expect(await ipc('backup:read', { account: '../secrets.json' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST' },
    });
    expect(existsSync(folder)).toBe(false);
  });

  it('a crash mid-write leaves the previous backup whole (temp file, then rename)', async () => {
    const { ipc, folder } = setup();
    await ipc('backup:write', { account, content: packet(5) });
    // A temp file a crashed write left: the backup read is still the previous whole one.
    writeFileSync(path.join(folder, `${account}.atlas-modifs.999.1.tmp`), packet(6).subarray(0, 10));
    const read = await ipc('backup:read', { account });
    expect(Buffer.from((read as { value: Uint8Array }).value)).toEqual(Buffer.from(packet(5)));
  });

  it('says in French when the folder cannot be written', async () => {
    const { dir, ipc } = setup();
    // A file where the folder should be.
    writeFileSync(path.join(dir, 'sauvegarde'), 'x');
    expect(await ipc('backup:write', { account, content: packet(1) })).toEqual({
      ok: false,
      error: { code: 'FAILED', message: 'La sauvegarde des modifications n’a pas pu être écrite.' },
    });
  });
});
