// The viewer without login (« Ouvrir un instantané »), as the screens and the shell see it: pick a snapshot
// file on the platform, open it (checked, then copied into the viewer's own temporary database: see
// sync/viewer.ts), know whether one is shown, close it. Light on purpose: the login screen imports this
// module; the checking and Dexie load only when a file is opened.
import { useSyncExternalStore } from 'react';
import type { ViewedSnapshot } from '../sync/viewer';
import { getHost } from '../host';
import { navigate } from './router';
import { INSTANTANE_EXTENSION } from '../sync/viewerName';

export type { ViewedSnapshot } from '../sync/viewer';

let current: ViewedSnapshot | null = null;
const listeners = new Set<() => void>();
const set = (v: ViewedSnapshot | null) => {
  current = v;
  listeners.forEach((l) => l());
};

/** The snapshot the viewer shows, or null. */
export function useVisionneuse(): ViewedSnapshot | null {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => current,
  );
}

/** The person picks a snapshot (desktop: the open dialog; browser: a file input); null when cancelled. */
export async function choisirInstantane(): Promise<{ name: string; bytes: Uint8Array } | null> {
  return getHost().files.openBytes([{ name: 'Instantané de l’Atlas', extensions: [INSTANTANE_EXTENSION] }]);
}

/**
 * Opens a snapshot in the viewer. Throws the file's refusal (a FileError, French message): then nothing
 * is shown and nothing is left on this computer.
 */
export async function ouvrirInstantane(bytes: Uint8Array): Promise<void> {
  const viewer = await import('../sync/viewer');
  if (current) await fermerInstantane();
  const view = await viewer.openSnapshotView(bytes);
  viewer.showSnapshotView(view);
  // The snapshot opens on its home (its dashboard, or the chooser of a région's collectivités).
  navigate('/', { force: true });
  set(view);
}

/** « Fermer l’instantané »: its temporary copy is deleted and the app is back as it was. */
export async function fermerInstantane(): Promise<void> {
  const view = current;
  if (!view) return;
  const viewer = await import('../sync/viewer');
  set(null);
  await viewer.closeSnapshotView(view);
}
