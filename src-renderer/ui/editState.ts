// Which forms are being edited right now, app-wide. The update notice reads it before "install now",
// and the host is told on every change so a downloaded update never restarts the app mid-edit.
import { getHost } from '../host';

const dirtyForms = new Set<string>();
const listeners = new Set<() => void>();
let reported: boolean | null = null;

function report(): void {
  const dirty = dirtyForms.size > 0;
  if (dirty === reported) return;
  reported = dirty;
  // Best effort: the web host has no updates (no reportEditState); an IPC failure must not break typing.
  void getHost()
    .updates.reportEditState?.(dirty)
    .catch(() => undefined);
  listeners.forEach((l) => l());
}

/** A form (by its draft key) is dirty or clean again. */
export function setFormDirty(key: string, dirty: boolean): void {
  if (dirty) dirtyForms.add(key);
  else dirtyForms.delete(key);
  report();
}

export function hasUnsavedEdits(): boolean {
  return dirtyForms.size > 0;
}

export function subscribeEditState(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
