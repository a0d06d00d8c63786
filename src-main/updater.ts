// Update flow around electron-updater: one feed fixed by the build, metadata verified with the
// release key (signedFeed.ts) before anything is downloaded; download in the background, announce
// to the renderer, install on quit or on request — never while the renderer reports unsaved edits.
// The updater object is injected, so Node tests drive the real classes.
import type { UpdateState } from '../src-shared/ipc/contract';
import { IpcFailure } from './ipc';
import { signedFeed, UPDATE_DOWNGRADE_ERROR, UPDATE_SIGNATURE_ERROR, type SignedFeedOptions } from './signedFeed';

export type { UpdateState };

/** The subset of electron-updater's AppUpdater this controller uses. */
export interface UpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  allowDowngrade: boolean;
  setFeedURL(options: SignedFeedOptions): void;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(event: 'checking-for-update', l: () => void): unknown;
  on(event: 'update-available', l: (info: { version: string }) => void): unknown;
  on(event: 'update-not-available', l: () => void): unknown;
  on(event: 'download-progress', l: (p: { percent: number }) => void): unknown;
  on(event: 'update-downloaded', l: (info: { version: string }) => void): unknown;
  on(event: 'error', l: (e: Error) => void): unknown;
}

/** Where updates come from and who must have signed them; fixed for the life of the process. */
export interface UpdateFeed {
  url: string;
  publicKeyPem: string;
}

export class UpdateController {
  private current: UpdateState = { state: 'idle' };
  private unsavedEdits = false;
  private readonly listeners = new Set<(s: UpdateState) => void>();

  constructor(
    private readonly updater: UpdaterLike,
    private readonly log: (m: string) => void,
    feed: UpdateFeed,
  ) {
    // Set once here and never again: the sync server the user may change is not the update source.
    updater.setFeedURL(signedFeed(feed.url, feed.publicKeyPem, log));
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
      this.failed(e, 'La mise à jour n’a pas pu être téléchargée. Nouvel essai plus tard.');
    });
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
      this.failed(e, 'Impossible de vérifier les mises à jour (serveur injoignable).');
    }
  }

  setEditState(unsavedEdits: boolean): void {
    this.unsavedEdits = unsavedEdits;
    this.syncInstallOnQuit();
  }

  /** Install now, on the user's request: refused while edits are unsaved. */
  installNow(): void {
    if (this.current.state !== 'ready')
      throw new IpcFailure('FAILED', 'Aucune mise à jour n’est prête à être installée.');
    if (this.unsavedEdits) {
      throw new IpcFailure(
        'EDITS_UNSAVED',
        'Enregistrez ou annulez la saisie en cours avant d’installer la mise à jour.',
      );
    }
    this.log(`installing update ${this.current.version} on request`);
    this.updater.quitAndInstall(false, true);
  }

  /** Whether quitting now would install the downloaded update. */
  installsOnQuit(): boolean {
    return this.updater.autoInstallOnAppQuit;
  }

  private failed(e: unknown, message: string): void {
    const code = errorCode(e);
    // No release published yet, or an older one (refused, logged): nothing for the user to do.
    if (code === 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND' || code === UPDATE_DOWNGRADE_ERROR)
      return this.set({ state: 'idle' });
    if (code === UPDATE_SIGNATURE_ERROR) {
      return this.set({
        state: 'error',
        message: 'Une mise à jour non signée par l’équipe de l’Atlas a été refusée. Elle n’a pas été installée.',
      });
    }
    this.set({ state: 'error', message });
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

function errorCode(e: unknown): unknown {
  return typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
}
