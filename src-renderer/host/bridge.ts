// The renderer's only door to the platform. Two implementations: Electron (through the preload's
// typed API, see src-shared/ipc) and the browser (downloads, uploads, IndexedDB). Chosen in host/index.ts.

export interface SavedFile {
  saved: boolean;
  /** Where it went, when the platform tells (Electron); browsers download without telling. */
  path?: string;
}

export interface OpenedFile {
  name: string;
  /** Text content (CSV, JSON of change files). */
  content: string;
}

export interface OpenedBytes {
  name: string;
  bytes: Uint8Array;
}

export interface FileFilter {
  name: string;
  extensions: string[];
}

export type UpdateState =
  | { state: 'idle' }
  | { state: 'checking' }
  | { state: 'available'; version: string }
  | { state: 'downloading'; version: string; percent: number }
  | { state: 'ready'; version: string }
  | { state: 'error'; message: string };

export interface SecretStorageInfo {
  /** e.g. 'keychain', 'dpapi', 'gnome_libsecret', 'basic_text', 'indexeddb' */
  backend: string;
  /** True when secrets are not protected by the operating system (the settings screen says so). */
  weak: boolean;
}

export interface HostBridge {
  kind: 'electron' | 'web';
  appVersion(): Promise<string>;
  /** Secrets: the refresh token and the device's private key. */
  secrets: {
    get(key: string): Promise<string | null>;
    set(key: string, value: string): Promise<void>;
    delete(key: string): Promise<void>;
    info(): Promise<SecretStorageInfo>;
  };
  files: {
    /**
     * A Blob is how a large export arrives (built from chunks): the browser downloads it as is; the desktop
     * reads it into bytes for the IPC, up to MAX_FILE_BYTES (src-shared/ipc/contract.ts).
     */
    save(suggestedName: string, content: string | Uint8Array | Blob, filters?: FileFilter[]): Promise<SavedFile>;
    open(filters?: FileFilter[]): Promise<OpenedFile | null>;
    /** A file the person picks, as bytes (a snapshot to view); null when cancelled. */
    openBytes(filters?: FileFilter[]): Promise<OpenedBytes | null>;
  };
  /**
   * The backup of this device's pending changes, one signed packet per account (its user id), kept where
   * the loss of the offline copy (IndexedDB) does not reach: the app's data folder on the desktop, the
   * Origin Private File System in a browser (null/no-op where the browser has none). See sync/backup.ts.
   */
  backup: {
    read(account: string): Promise<Uint8Array | null>;
    write(account: string, content: Uint8Array): Promise<void>;
    clear(account: string): Promise<void>;
  };
  /** Server address setting (Electron: settings file; web: the page's own origin unless set). */
  settings: {
    getServerUrl(): Promise<string>;
    setServerUrl(url: string): Promise<void>;
  };
  updates: {
    state(): Promise<UpdateState>;
    onState(listener: (s: UpdateState) => void): () => void;
    check(): Promise<void>;
    /** Install now (quits and restarts). The caller first makes sure pending edits are saved. */
    installNow(): Promise<void>;
    /**
     * Tells the platform whether a form is being edited or a draft is unsaved, so a downloaded update
     * is installed neither on quit nor on request meanwhile (Electron; absent on the web).
     */
    reportEditState?(unsavedEdits: boolean): Promise<void>;
  };
  openExternal(url: string): Promise<void>;
}
