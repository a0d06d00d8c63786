// The backup of the device's pending changes: one signed packet per account (src-shared/files/packet.ts)
// in <userData>/sauvegarde/, so the changes outlive a lost offline copy (IndexedDB gone with a disk repair,
// a reinstall, a profile reset). The renderer writes it after each change and clears it when its outbox is
// empty; at login on a fresh copy it offers to send it. Written atomically (temp file, flushed, renamed): a
// crash mid-write leaves the previous backup whole. The contract (src-shared/ipc) has checked the account
// (a uuid: the file name cannot leave the folder), the size and the container's magic.
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { MAX_BACKUP_BYTES } from '../src-shared/ipc/contract';
import { IpcFailure } from './ipc';

export const BACKUP_DIR = 'sauvegarde';

export function createBackup(deps: { userDataDir: string; log: (m: string) => void }) {
  const dir = path.join(deps.userDataDir, BACKUP_DIR);
  const fileOf = (account: string) => path.join(dir, `${account}.atlas-modifs`);
  let tmpCount = 0;
  return {
    async read({ account }: { account: string }): Promise<Uint8Array<ArrayBuffer> | null> {
      const file = fileOf(account);
      try {
        const info = await stat(file);
        if (info.size > MAX_BACKUP_BYTES) {
          deps.log('backup too large: not read');
          return null;
        }
        return new Uint8Array(await readFile(file));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        deps.log('backup read failed');
        throw new IpcFailure('FAILED', 'La sauvegarde des modifications n’a pas pu être lue.');
      }
    },

    async write({ account, content }: { account: string; content: Uint8Array }): Promise<null> {
      const file = fileOf(account);
      const tmp = `${file}.${process.pid}.${++tmpCount}.tmp`;
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        const h = await open(tmp, 'w', 0o600);
        try {
          await h.writeFile(content);
          await h.sync();
        } finally {
          await h.close();
        }
        await rename(tmp, file);
      } catch {
        await rm(tmp, { force: true }).catch(() => undefined);
        deps.log('backup write failed');
        throw new IpcFailure('FAILED', 'La sauvegarde des modifications n’a pas pu être écrite.');
      }
      return null;
    },

    async clear({ account }: { account: string }): Promise<null> {
      await rm(fileOf(account), { force: true });
      return null;
    },
  };
}
