// Update flow around electron-updater (generic provider at <server>/updates/): download in the
// background, announce to the renderer, install on quit or on request — never while the renderer
// reports unsaved edits. The updater object is injected, so Node tests drive the real classes.
import type { UpdateState } from '../src-shared/ipc/contract';
import { IpcFailure } from './ipc';

export type { UpdateState };

/** The subset of electron-updater's AppUpdater this controller uses. */
export interface UpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  allowDowngrade: boolean;
  setFeedURL(options: { provider: 'generic'; url: string; channel?: string }): void;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(event: 'checking-for-update', l: () => void): unknown;
  on(event: 'update-available', l: (info: { version: string }) => void): unknown;
  on(event: 'update-not-available', l: () => void): unknown;
  on(event: 'download-progress', l: (p: { percent: number }) => void): unknown;
  on(event: 'update-downloaded', l: (info: { version: string }) => void): unknown;
  on(event: 'error', l: (e: Error) => void): unknown;
}

export function updatesFeedUrl(serverUrl: string): string {
  return `${serverUrl.replace(/\/+$/, '')}/updates/`;
}

export class UpdateController {
  private current: UpdateState = { state: 'idle' };
  private unsavedEdits = false;
  private readonly listeners = new Set<(s: UpdateState) => void>();

  constructor(
    private readonly updater: UpdaterLike,
    private readonly log: (m: string) => void,
  ) {
    updater.autoDownload = true;
    updater.allowDowngrade = false;
    // Set to true only once an update is ready and no edit is unsaved (see syncInstallOnQuit).
    updater.autoInstallOnAppQuit = false;
    updater.on('checking-for-update', () => this.set({ state: 'checking' }));
    updater.on('update-available', (info) => this.set({ state: 'available', version: info.version }));
    updater.on('update-not-available', () => this.set({ state: 'idle' }));
    updater.on('download-progress', (p) => {
      const version = 'version' in this.current ? this.current.version : '';
      this.set({ state: 'downloading', version, percent: Math.max(0, Math.min(100, Math.round(p.percent))) });
    });
    updater.on('update-downloaded', (info) => this.set({ state: 'ready', version: info.version }));
    updater.on('error', (e) => {
      this.log(`update error: ${firstLine(e)}`);
      // A server with no release published yet is not an error for the user.
      if (isNoFeed(e)) return this.set({ state: 'idle' });
      this.set({ state: 'error', message: 'La mise à jour n’a pas pu être téléchargée. Nouvel essai plus tard.' });
    });
  }

  setServer(serverUrl: string): void {
    this.updater.setFeedURL({ provider: 'generic', url: updatesFeedUrl(serverUrl) });
  }

  state(): UpdateState {
    return this.current;
  }

  onState(listener: (s: UpdateState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async check(): Promise<void> {
    // A download already finished stays ready; checking again would only re-download.
    if (this.current.state === 'ready' || this.current.state === 'downloading') return;
    try {
      await this.updater.checkForUpdates();
    } catch (e) {
      this.log(`update check failed: ${firstLine(e)}`);
      if (isNoFeed(e)) return this.set({ state: 'idle' });
      this.set({ state: 'error', message: 'Impossible de vérifier les mises à jour (serveur injoignable).' });
    }
  }

  setEditState(unsavedEdits: boolean): void {
    this.unsavedEdits = unsavedEdits;
    this.syncInstallOnQuit();
  }

  /** Install now, on the user's request: refused while edits are unsaved. */
  installNow(): void {
    if (this.current.state !== 'ready') throw new IpcFailure('FAILED', 'Aucune mise à jour n’est prête à être installée.');
    if (this.unsavedEdits) {
      throw new IpcFailure('EDITS_UNSAVED', 'Enregistrez ou annulez la saisie en cours avant d’installer la mise à jour.');
    }
    this.log(`installing update ${this.current.version} on request`);
    this.updater.quitAndInstall(false, true);
  }

  /** Whether quitting now would install the downloaded update. */
  installsOnQuit(): boolean {
    return this.updater.autoInstallOnAppQuit;
  }

  private syncInstallOnQuit(): void {
    this.updater.autoInstallOnAppQuit = this.current.state === 'ready' && !this.unsavedEdits;
  }

  private set(s: UpdateState): void {
    this.current = s;
    this.syncInstallOnQuit();
    for (const l of this.listeners) l(s);
  }
}

function firstLine(e: unknown): string {
  return e instanceof Error ? (e.message.split('\n')[0] ?? '').slice(0, 200) : 'error';
}

function isNoFeed(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND';
}
