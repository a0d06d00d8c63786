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
