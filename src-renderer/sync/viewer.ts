// The viewer without login (« Ouvrir un instantané »): a snapshot (.atlas-instantane) is checked — layout,
// hash, signature by a server key this app trusts, directly or through an SGAR's or the DAECT's device
// certificate — then its records go, through the same apply path as a pull (applyResponse), into a
// SEPARATE temporary copy: an IndexedDB database of its own (VIEWER_DB_PREFIX + a random id), never the
// app's. The viewer holds a Web Lock of that name while it shows it, so another tab or window of the app,
// or another viewer, never deletes it (sync/viewerName.ts). The screens read it while the viewer shows it
// (db/database.ts: setScreensDb); it is deleted when the viewer closes, and by the next clean-up (start of
// the app, opening of a snapshot) once its tab is gone. Nothing here needs an account or a network.
import { FileError, type FileHeader } from '../../src-shared/files/container';
import {
  openSnapshot,
  snapshotKeyFor,
  type CertificateBody,
  type ServerKey,
  type SnapshotMeta,
} from '../../src-shared/files/snapshot';
import type { Conflict, PulledRecord, SyncResponse } from '../../src-shared/sync/protocol';
import { AtlasDb, setScreensDb } from '../db/database';
import { applyResponse, type ImportTracker } from './apply';
import { trustedServerKeys } from './trustedKeys';
import { discardLeftoverViews, holdViewerLock, newViewerDbName } from './viewerName';

export { VIEWER_DB_PREFIX } from './viewerName';

/** Records applied per transaction: a région's snapshot goes in a few dozen pages, like a first pull. */
const PAGE = 2_000;

export interface ViewedSnapshot {
  header: FileHeader;
  meta: SnapshotMeta;
  /** Who signed, for the banner: the server, or the certified device's holder. */
  signedBy: string;
  /** The collectivités the snapshot holds, by name. */
  collectivites: { id: string; nom: string }[];
  /** Records read from the file. */
  records: number;
  db: AtlasDb;
  /** Deletes the temporary copy (closeSnapshotView). */
  discard(): Promise<void>;
}

export interface ViewerOptions {
  trusted?: readonly ServerKey[];
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
  /** The platform's Web Locks by default (none in Node: then no copy but this one's is ever deleted). */
  locks?: LockManager;
  now?: number;
}

const OUT_OF_SCOPE =
  'Ce fichier contient des données hors du périmètre qu’il annonce ou de celui de son signataire : il n’a pas été ouvert.';

/**
 * Checks a snapshot and fills the viewer's temporary copy with it. Throws a FileError (French message)
 * when the file is refused: then no temporary copy is left behind either.
 */
export async function openSnapshotView(bytes: Uint8Array, opts: ViewerOptions = {}): Promise<ViewedSnapshot> {
  let certificate: CertificateBody | null = null;
  const { header, lines } = await openSnapshot(
    bytes,
    snapshotKeyFor(
      opts.trusted ?? trustedServerKeys(),
      (c) => {
        certificate = c;
      },
      opts.now,
    ),
  );
  const cert = certificate as CertificateBody | null;
  const dexieOpts = opts.indexedDB ? { indexedDB: opts.indexedDB, IDBKeyRange: opts.IDBKeyRange } : undefined;
  // Copies other viewers left (their tab closed while they showed) go first; those still shown stay.
  await discardLeftoverViews(opts.indexedDB, opts.locks);
  const name = newViewerDbName();
  // Held before the database exists: a clean-up elsewhere never sees it unlocked.
  const release = await holdViewerLock(name, opts.locks);
  const db = new AtlasDb(name, dexieOpts);
  const discard = async () => {
    await db.delete().catch(() => undefined);
    release();
  };
  try {
    const fresh: ImportTracker = { written: new Set() };
    const cursor = String(header.cursor ?? 0);
    let meta: SnapshotMeta | null = null;
    let records: PulledRecord[] = [];
    let conflicts: Conflict[] = [];
    let count = 0;
    const collectivites: { id: string; nom: string; region: unknown }[] = [];
    const scopeId = header.scope.type === 'collectivite' ? header.scope.id : null;
    const flush = async (more: boolean) => {
      const page: SyncResponse = {
        v: 1,
        results: [],
        changes: records,
        conflicts,
        cursor,
        more,
        serverTime: header.createdAt,
      };
      records = [];
      conflicts = [];
      await applyResponse(db, page, fresh);
    };
    for await (const line of lines()) {
      if (line.type === 'meta') {
        meta = line;
        continue;
      }
      if (line.type === 'conflict') conflicts.push(line.conflict);
      else {
        const r = line.record;
        const f = r.fields ?? {};
        // A collectivité's snapshot holds that collectivité's records only (and the shared lists).
        if (scopeId && typeof f.collectiviteId === 'string' && f.collectiviteId !== scopeId)
          throw new FileError('FILE_INVALID_CONTENT', OUT_OF_SCOPE);
        if (r.entity === 'collectivite' && !r.deleted) {
          if (scopeId && r.id !== scopeId) throw new FileError('FILE_INVALID_CONTENT', OUT_OF_SCOPE);
          collectivites.push({ id: r.id, nom: typeof f.nom === 'string' ? f.nom : r.id, region: f.region });
        }
        records.push(r);
        count++;
      }
      if (records.length + conflicts.length >= PAGE) await flush(true);
    }
    // An SGAR's device may only certify a collectivité of its région.
    if (cert && cert.role === 'sgar' && collectivites.some((c) => c.region !== cert.region))
      throw new FileError('FILE_INVALID_CONTENT', OUT_OF_SCOPE);
    await flush(false);
    if (!meta) throw new FileError('FILE_INVALID_CONTENT');
    collectivites.sort((a, b) => a.nom.localeCompare(b.nom, 'fr'));
    return {
      header,
      meta,
      signedBy: cert ? `${cert.nom} (poste certifié par le serveur)` : 'le serveur CNCD',
      collectivites: collectivites.map(({ id, nom }) => ({ id, nom })),
      records: count,
      db,
      discard,
    };
  } catch (e) {
    await discard();
    throw e;
  }
}

/** Shows `view` to the screens (null: the app's own copy again). */
export function showSnapshotView(view: ViewedSnapshot | null): void {
  setScreensDb(view?.db ?? null);
}

/** Closes the viewer: the screens read the app's copy again and the temporary copy is deleted. */
export async function closeSnapshotView(view: ViewedSnapshot): Promise<void> {
  setScreensDb(null);
  await view.discard();
}
