// The viewer's temporary copy (sync/viewer.ts) by name, apart from it: the start of the app deletes a copy
// a closed viewer left without loading Dexie (the login form's weight is counted).

/**
 * FILE_EXTENSIONS.instantane without its dot, written here: the container's module stays out of the login
 * form's files (test/unit/renderer/viewer.test.ts checks they agree).
 */
export const INSTANTANE_EXTENSION = 'atlas-instantane';

/** The viewer's own IndexedDB database: the app's (`atlas-hors-ligne`) is never opened by the viewer. */
export const VIEWER_DB_NAME = 'atlas-visionneuse';

/** At start: a temporary copy left by a viewer the app closed without « Fermer l’instantané » is deleted. */
export function discardLeftoverView(factory: IDBFactory | undefined = globalThis.indexedDB): void {
  try {
    factory?.deleteDatabase(VIEWER_DB_NAME);
  } catch {
    /* no IndexedDB (private mode of some browsers): nothing was left either */
  }
}
