// What screens ask of the platform (the Electron shell or the browser, src-renderer/host/): saving a
// file, the server address setting, where secrets are kept, the desktop updates. Screens come here,
// never to host/ itself: one place says which of the host's powers the screens use.
import { getHost } from '../host';
import type { FileFilter, SavedFile, SecretStorageInfo, UpdateState } from '../host/bridge';
import { HostError } from '../host/electron';

export type { SecretStorageInfo, UpdateState } from '../host/bridge';

export function isDesktop(): boolean {
  return getHost().kind === 'electron';
}

/**
 * Saves a file the person names (desktop: a save dialog; browser: a download). A Blob (an export built
 * from chunks) is downloaded as is in the browser; the desktop takes it up to 50 MB (the IPC's limit).
 */
export function saveFile(
  suggestedName: string,
  content: string | Uint8Array | Blob,
  filters?: FileFilter[],
): Promise<SavedFile> {
  return getHost().files.save(suggestedName, content, filters);
}

export function getServerUrl(): Promise<string> {
  return getHost().settings.getServerUrl();
}

export function setServerUrl(url: string): Promise<void> {
  return getHost().settings.setServerUrl(url);
}

export function secretStorageInfo(): Promise<SecretStorageInfo> {
  return getHost().secrets.info();
}

/** The desktop's updates (the browser has none: the app updates itself on its next load). */
export const updates = {
  state: (): Promise<UpdateState> => getHost().updates.state(),
  onState: (listener: (s: UpdateState) => void): (() => void) => getHost().updates.onState(listener),
  installNow: (): Promise<void> => getHost().updates.installNow(),
};

/** The machine-readable code of a refusal by the desktop shell, if the error is one. */
export function hostErrorCode(e: unknown): string | undefined {
  return e instanceof HostError ? e.code : undefined;
}
