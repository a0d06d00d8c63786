// The viewer's temporary copies (sync/viewer.ts) by name, apart from it: the start of the app deletes the
// copies closed viewers left without loading Dexie (the login form's weight is counted).
//
// Each viewer has its own database (prefix + random id) and holds a Web Lock of the same name while it
// shows it: another tab or window of the app, or a later viewer, deletes only the copies whose lock nobody
// holds. The browser frees a lock when its tab closes or crashes, so a copy left behind goes at the next
// clean-up; without Web Locks or `indexedDB.databases()` nothing can tell a copy in use, so none is deleted.

/**
 * FILE_EXTENSIONS.instantane without its dot, written here: the container's module stays out of the login
 * form's files (test/unit/renderer/viewer.test.ts checks they agree).
 */
export const INSTANTANE_EXTENSION = 'atlas-instantane';

/** The viewers' own IndexedDB databases: the app's (`atlas-hors-ligne`) is never opened by a viewer. */
export const VIEWER_DB_PREFIX = 'atlas-visionneuse-';
/** The one fixed name of earlier versions: a copy they left goes too. */
const LEGACY_VIEWER_DB_NAME = 'atlas-visionneuse';

export const isViewerDbName = (name: string): boolean =>
  name.startsWith(VIEWER_DB_PREFIX) || name === LEGACY_VIEWER_DB_NAME;

/** A new viewer's database name, used for its Web Lock as well (getRandomValues: secure context or not). */
export function newViewerDbName(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return VIEWER_DB_PREFIX + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const platformLocks = (): LockManager | undefined =>
  (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;

/**
 * Holds the lock named `name` until the returned function is called (or the tab goes). Resolves once the
 * lock is held, so a database created afterwards is never seen without its lock. No Web Locks: a no-op.
 */
export async function holdViewerLock(name: string, locks = platformLocks()): Promise<() => void> {
  if (!locks) return () => undefined;
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  await new Promise<void>((held) => {
    void locks
      .request(name, () => {
        held();
        return released;
      })
      .catch(() => held());
  });
  return release;
}

/**
 * Deletes the viewers' copies no viewer holds (left by a tab closed while it showed one). Databases are
 * listed before the locks are read: a copy listed was locked before it was created, so a free lock means
 * its viewer is gone.
 */
export async function discardLeftoverViews(
  factory: IDBFactory | undefined = globalThis.indexedDB,
  locks = platformLocks(),
): Promise<void> {
  try {
    if (!factory || typeof factory.databases !== 'function' || !locks) return;
    const names = (await factory.databases()).map((d) => d.name ?? '').filter(isViewerDbName);
    if (names.length === 0) return;
    const { held = [], pending = [] } = await locks.query();
    const inUse = new Set([...held, ...pending].map((l) => l.name));
    for (const name of names) if (!inUse.has(name)) factory.deleteDatabase(name);
  } catch {
    /* no IndexedDB (private mode of some browsers): nothing was left either */
  }
}
