// The browser host: files are downloaded and uploaded, secrets live in IndexedDB (a separate
// database from the offline copy, so a reset of one never touches the other), no updates (the server
// always serves the current app).
import type { Table } from 'dexie';
import { version as APP_VERSION } from '../../package.json';
import type { FileFilter, HostBridge, OpenedBytes, OpenedFile, SavedFile, UpdateState } from './bridge';

const SERVER_URL_KEY = 'atlas.serverUrl';

type Secrets = Table<{ key: string; value: string }, string>;

/**
 * The secrets table, opened on first use: Dexie loads then, not with the login form, which never
 * reads a secret before the user submits it (login weight, docs/architecture.md).
 */
function lazySecrets(indexedDB?: IDBFactory, keyRange?: typeof IDBKeyRange): () => Promise<Secrets> {
  let table: Promise<Secrets> | null = null;
  return () =>
    (table ??= import('dexie').then(({ Dexie }) => {
      const db = new Dexie('atlas-hors-ligne-secrets', indexedDB ? { indexedDB, IDBKeyRange: keyRange } : undefined);
      db.version(1).stores({ secrets: 'key' });
      return db.table<{ key: string; value: string }, string>('secrets');
    }));
}

function accept(filters?: FileFilter[]): string {
  return (filters ?? []).flatMap((f) => f.extensions.filter((e) => e !== '*').map((e) => `.${e}`)).join(',');
}

/** The browser's file picker (an input the page never shows); null when cancelled. */
function pickFile(filters?: FileFilter[]): Promise<File | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    const acc = accept(filters);
    if (acc) input.accept = acc;
    input.addEventListener('change', () => resolve(input.files?.[0] ?? null));
    input.addEventListener('cancel', () => resolve(null));
    input.click();
  });
}
/**
 * The backup folder in the Origin Private File System: a store of its own, which deleting the IndexedDB
 * database does not touch (clearing the site's data, or the browser profile, loses both). null where the
 * browser offers none (then there is no backup: the synchronisation screen's file is the way out).
 */
async function backupDir(): Promise<FileSystemDirectoryHandle | null> {
  if (typeof navigator === 'undefined' || typeof navigator.storage?.getDirectory !== 'function') return null;
  try {
    return await (await navigator.storage.getDirectory()).getDirectoryHandle('atlas-sauvegarde', { create: true });
  } catch {
    return null;
  }
}
const backupName = (account: string) => `${account.replace(/[^0-9a-f-]/gi, '')}.atlas-modifs`;

export interface WebHostOptions {
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
  /** Where the app was served from (default: the page's origin). */
  origin?: string;
}

export function createWebHost(opts: WebHostOptions = {}): HostBridge {
  const secrets = lazySecrets(opts.indexedDB, opts.IDBKeyRange);
  const storage = typeof localStorage === 'undefined' ? null : localStorage;
  const origin = () => opts.origin ?? (typeof location === 'undefined' ? 'http://127.0.0.1' : location.origin);
  const idle: UpdateState = { state: 'idle' };
  return {
    kind: 'web',
    appVersion: async () => APP_VERSION,
    secrets: {
      get: async (key) => (await (await secrets()).get(key))?.value ?? null,
      set: async (key, value) => {
        await (await secrets()).put({ key, value });
      },
      delete: async (key) => {
        await (await secrets()).delete(key);
      },
      // Browsers offer no OS keychain: anyone with this browser profile can read the secrets.
      info: async () => ({ backend: 'indexeddb', weak: true }),
    },
    files: {
      async save(suggestedName, content, filters): Promise<SavedFile> {
        const type = filters?.[0]?.extensions.includes('csv') ? 'text/csv;charset=utf-8' : 'application/octet-stream';
        // A Blob (a large export built from chunks) is downloaded as it is, never copied into one string.
        const blob =
          content instanceof Blob
            ? content
            : new Blob([typeof content === 'string' ? content : new Uint8Array(content)], { type });
        const url = URL.createObjectURL(blob);
        const a = document.createElement('a');
        a.href = url;
        a.download = suggestedName;
        a.rel = 'noopener';
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
        return { saved: true };
      },
      async open(filters): Promise<OpenedFile | null> {
        const file = await pickFile(filters);
        return file ? { name: file.name, content: await file.text() } : null;
      },
      async openBytes(filters): Promise<OpenedBytes | null> {
        const file = await pickFile(filters);
        return file ? { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) } : null;
      },
    },
    backup: {
      async read(account) {
        const dir = await backupDir();
        if (!dir) return null;
        try {
          const file = await (await dir.getFileHandle(backupName(account))).getFile();
          return new Uint8Array(await file.arrayBuffer());
        } catch (e) {
          if ((e as DOMException).name === 'NotFoundError') return null;
          throw e;
        }
      },
      async write(account, content) {
        const dir = await backupDir();
        if (!dir) return;
        const handle = await dir.getFileHandle(backupName(account), { create: true });
        // Browsers whose OPFS offers no writable stream outside a worker keep no backup.
        if (typeof handle.createWritable !== 'function') return;
        // A writable stream writes to a swap file, swapped in at close: the old backup stays whole until then.
        const writable = await handle.createWritable();
        await writable.write(content as Uint8Array<ArrayBuffer>);
        await writable.close();
      },
      async clear(account) {
        const dir = await backupDir();
        await dir?.removeEntry(backupName(account)).catch(() => undefined);
      },
    },
    settings: {
      getServerUrl: async () => storage?.getItem(SERVER_URL_KEY) ?? origin(),
      setServerUrl: async (url) => {
        const u = new URL(url);
        if (u.protocol !== 'https:' && u.protocol !== 'http:')
          throw new Error('Adresse de serveur invalide : indiquez une adresse commençant par https://.');
        storage?.setItem(SERVER_URL_KEY, u.origin);
      },
    },
    updates: {
      state: async () => idle,
      onState: () => () => {},
      check: async () => {},
      // A browser reload is the update: the server serves the current version.
      installNow: async () => {
        if (typeof location !== 'undefined') location.reload();
      },
    },
    openExternal: async (url) => {
      const u = new URL(url);
      if (u.protocol === 'https:' || u.protocol === 'http:' || u.protocol === 'mailto:')
        window.open(u.href, '_blank', 'noopener');
    },
  };
}
