// Snapshots (`.atlas-instantane`, src-shared/files/snapshot.ts) on the device.
//
// Import: a snapshot of this device's own scope brings its copy up to the snapshot's cursor with no
// network, through the path of a pull (applyResponse): pages of pulled records, pending local changes
// never overwritten, the scope's conflicts as after a sync, records the snapshot lacks removed as pulled
// tombstones would be; then cursor and `since` move to the snapshot's cursor. Two passes over the file:
// the first reads and checks every line (scope of each record, and for a snapshot an SGAR or the DAECT
// made, the certificate's région and the header's collectivité), the second applies. A refused file
// changes nothing.
//
// Production: an SGAR's or the DAECT's device writes a collectivité's snapshot from its own synced copy —
// the server versions of the records (never its pending edits: db/base.ts), the national records, the
// collectivité's open conflicts — at its `since` (where its copy is complete), signed with the device key
// and carrying the certificate the server gave this device.
//
// Download: the server's snapshot of a scope (online), saved as a file to carry.
import type { Endpoint, EndpointInput, EndpointOutput } from '../../src-shared/api/endpoint';
import { syncEndpoints } from '../../src-shared/api/sync';
import { ed25519Signer, type FileHeader } from '../../src-shared/files/container';
import {
  certificateBody,
  deviceCertificate,
  openSnapshot,
  snapshotKeyFor,
  writeSnapshot,
  type CertificateBody,
  type DeviceCertificate,
  type SnapshotLine,
} from '../../src-shared/files/snapshot';
import { regionNom } from '../../src-shared/reference/regions';
import { ENTITY_NAMES, entityDef, scopeField, scopeOf, type EntityName } from '../../src-shared/registry';
import {
  MAX_PULL_LIMIT,
  PROTOCOL_VERSION,
  type Conflict,
  type PulledRecord,
  type SyncResponse,
} from '../../src-shared/sync/protocol';
import { readMetas } from '../db/base';
import { getDb, type AtlasDb, type MetaRow } from '../db/database';
import { call, MESSAGES, SyncError } from '../api/http';
import { applyResponse, FIRST_PULL_KEY, type ImportTracker } from './apply';
import { isEmptyCopy } from './engine';
import { getSession, type SessionManager } from './session';
import { SnapshotError } from './snapshotError';
import { pinServerKey, trustedServerKeys } from './trustedKeys';

export { SnapshotError } from './snapshotError';

/** Records applied per transaction: a pull's largest page (MAX_PULL_LIMIT), as a first sync catches up. */
export const SNAPSHOT_PAGE = MAX_PULL_LIMIT;

export interface SnapshotProgress {
  /** check: the first pass (every line read and checked); apply: records written into the copy. */
  phase: 'check' | 'apply' | 'write';
  done: number;
  total: number;
}

export interface SnapshotImportSummary {
  /** imported: the copy moved to the snapshot's cursor; up_to_date: the copy already stood there. */
  status: 'imported' | 'up_to_date';
  scopeLabel: string;
  producedBy: string;
  signer: 'server' | 'device';
  cursor: number;
  createdAt: string;
  /** Records in the file. */
  records: number;
  /** Records of this copy the snapshot lacks (deleted on the server before its cursor), removed. */
  removed: number;
  /** Open conflicts on this device after the import. */
  conflicts: number;
  /** Pending local changes, kept (still to send). */
  pendingKept: number;
}

/** The scope of a device: its collectivité (agent), its région (SGAR), the nation (DAECT). */
export type DeviceScope =
  { role: 'agent'; collectiviteId: string } | { role: 'sgar'; region: string } | { role: 'daect' };

const SCOPE_WORD: Record<FileHeader['scope']['type'], string> = {
  collectivite: 'd’une collectivité',
  region: 'd’une région',
  national: 'national',
};

function scopeMatches(scope: DeviceScope, h: FileHeader): boolean {
  if (scope.role === 'agent') return h.scope.type === 'collectivite' && h.scope.id === scope.collectiviteId;
  if (scope.role === 'sgar') return h.scope.type === 'region' && h.scope.id === scope.region;
  return h.scope.type === 'national';
}

function otherScope(scope: DeviceScope, h: FileHeader): SnapshotError {
  const mine =
    scope.role === 'agent'
      ? 'l’instantané de votre collectivité'
      : scope.role === 'sgar'
        ? `l’instantané de votre région (${regionNom(scope.region)})`
        : 'l’instantané national';
  const theirs = h.scope.type === 'region' ? `de la région ${regionNom(h.scope.id)}` : (SCOPE_WORD[h.scope.type] ?? '');
  return new SnapshotError(
    'SNAPSHOT_OTHER_SCOPE',
    `Ce fichier est l’instantané ${theirs}, qui n’est pas celui de ce poste : il n’a pas été importé. Ce poste n’importe que ${mine}.`,
  );
}

const outOfScope = () =>
  new SnapshotError(
    'SNAPSHOT_OUT_OF_SCOPE',
    'Ce fichier contient des données hors du périmètre qu’il annonce : il n’a pas été importé.',
  );

const keyOf = (entity: string, id: string) => `${entity}|${id}`;

/** What the first pass learnt: the file's records (keys), its conflicts, its meta line. */
interface Checked {
  keys: Set<string>;
  records: number;
  conflicts: Conflict[];
  scopeLabel: string;
  producedBy: string;
}

/**
 * Pass 1: every line read (hash and signature were checked when the file was opened) and each record
 * checked against the header's scope — and, for a snapshot a device signed, against its certificate.
 */
async function checkLines(
  h: FileHeader,
  lines: () => AsyncGenerator<SnapshotLine>,
  cert: CertificateBody | null,
  progress: (done: number, total: number) => void,
): Promise<Checked> {
  const keys = new Set<string>();
  const conflicts: Conflict[] = [];
  const regionOf = new Map<string, string | null>();
  const scopes = new Set<string>();
  let total = 0;
  let records = 0;
  let scopeLabel = '';
  let producedBy = '';
  for await (const l of lines()) {
    if (l.type === 'meta') {
      total = l.count;
      scopeLabel = l.scopeLabel;
      producedBy = l.producedBy;
      continue;
    }
    if (l.type === 'conflict') {
      conflicts.push(l.conflict);
      continue;
    }
    const r = l.record;
    records++;
    if (records % 500 === 0) progress(records, total);
    // A key may come twice (a record that left the scope and came back): the newest revision wins, as in a pull.
    keys.add(keyOf(r.entity, r.id));
    if (entityDef(r.entity).scope === 'national') continue;
    if (r.deleted) {
      // A tombstone's scope cannot be checked: only the server's own snapshots may carry one.
      if (cert) throw outOfScope();
      continue;
    }
    const c = scopeOf(r.entity, { ...r.fields, id: r.id });
    if (typeof c !== 'string') throw outOfScope();
    scopes.add(c);
    if (r.entity === 'collectivite') regionOf.set(r.id, (r.fields?.region as string | null | undefined) ?? null);
  }
  progress(records, total);
  // Every record within the header's scope: one collectivité, or the collectivités of one région.
  for (const c of scopes) {
    if (h.scope.type === 'collectivite' && c !== h.scope.id) throw outOfScope();
    if (h.scope.type === 'region' && (!regionOf.has(c) || regionOf.get(c) !== h.scope.id)) throw outOfScope();
  }
  if (cert) {
    // A device's snapshot: one collectivité, present, and within the certificate's région (an SGAR's).
    const id = h.scope.id ?? '';
    if (!regionOf.has(id)) throw outOfScope();
    if (cert.role === 'sgar' && regionOf.get(id) !== cert.region) throw outOfScope();
    for (const c of conflicts) if (!keys.has(keyOf(c.entity, c.record))) throw outOfScope();
  }
  return { keys, records, conflicts, scopeLabel, producedBy };
}

/** Runs `fn` holding the sync engine's lock of this copy: no sync cycle interleaves with an import. */
async function withSyncLock<T>(db: AtlasDb, fn: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : (navigator as Navigator & { locks?: LockManager }).locks;
  if (!locks) return fn();
  return locks.request(`atlas-sync:${db.name}`, fn) as Promise<T>;
}

async function deviceCursor(db: AtlasDb): Promise<{ cursor: number; since: number }> {
  const cursor = Number((await db.syncState.get('cursor'))?.value ?? 0);
  const since = Number((await db.syncState.get('since'))?.value ?? cursor);
  return { cursor, since };
}

const OLDER =
  'Votre copie est plus récente que ce fichier : il n’a pas été importé. Demandez un instantané plus récent, ou synchronisez dès que le réseau le permet.';

/**
 * The keys of the records this copy holds as the server sent them (a server version that is no
 * tombstone, at or below `cursor`) and that `keep` lacks: what the server deleted before the cursor.
 */
async function missingFromSnapshot(db: AtlasDb, keep: Set<string>, cursor: number): Promise<PulledRecord[]> {
  const out: PulledRecord[] = [];
  for (const entity of ENTITY_NAMES) {
    const ids = new Set<string>();
    for await (const page of db.records(entity).pages()) for (const r of page) ids.add(r.id);
    for (const k of await db.meta.where('entity').equals(entity).primaryKeys()) ids.add(k[1]);
    const candidates = [...ids].filter((id) => !keep.has(keyOf(entity, id)));
    if (!candidates.length) continue;
    const metas = await readMetas(db, entity, candidates, new Set());
    candidates.forEach((id, i) => {
      const m = metas[i];
      if (m && !m.deleted && m.rev > 0 && m.rev <= cursor) out.push({ entity, id, rev: cursor, deleted: true });
    });
  }
  return out;
}

export interface ImportOptions {
  trusted?: ReturnType<typeof trustedServerKeys>;
  onProgress?: (p: SnapshotProgress) => void;
  pageSize?: number;
  now?: number;
}

/**
 * Imports a snapshot into `db`, the copy of a device of scope `scope`. Throws a FileError (unreadable,
 * tampered, unknown signer…) or a SnapshotError (another scope, older than the copy, data outside its
 * scope) before anything is written.
 */
export async function importSnapshot(
  db: AtlasDb,
  scope: DeviceScope,
  bytes: Uint8Array,
  opts: ImportOptions = {},
): Promise<SnapshotImportSummary> {
  let cert: CertificateBody | null = null;
  const { header: h, lines } = await openSnapshot(
    bytes,
    snapshotKeyFor(
      opts.trusted ?? trustedServerKeys(),
      (c) => {
        cert = c;
      },
      opts.now,
    ),
  );
  if (!scopeMatches(scope, h)) throw otherScope(scope, h);
  if (h.cursor === null)
    throw new SnapshotError('SNAPSHOT_NO_CURSOR', 'Ce fichier ne dit pas à quelle date il arrête les données.');
  const at = h.cursor;
  const mine = await deviceCursor(db);
  if (at < mine.cursor) throw new SnapshotError('SNAPSHOT_OLDER', OLDER);
  const progress = opts.onProgress ?? (() => undefined);
  const checked = await checkLines(h, lines, cert, (done, total) => progress({ phase: 'check', done, total }));
  const summary = async (status: SnapshotImportSummary['status'], removed: number) => ({
    status,
    scopeLabel: checked.scopeLabel,
    producedBy: checked.producedBy,
    signer: h.signer.type,
    cursor: at,
    createdAt: h.createdAt,
    records: checked.records,
    removed,
    conflicts: await db.conflicts.filter((c) => !c.resolved && !c.resolvingChangeId).count(),
    pendingKept: await db.outbox.count(),
  });
  if (at === mine.cursor && mine.since >= at) return summary('up_to_date', 0);

  return withSyncLock(db, async () => {
    // A sync may have run during the first pass.
    const now = await deviceCursor(db);
    if (at < now.cursor) throw new SnapshotError('SNAPSHOT_OLDER', OLDER);
    if (at === now.cursor && now.since >= at) return summary('up_to_date', 0);
    const fresh: ImportTracker | undefined =
      now.cursor === 0 && (await isEmptyCopy(db)) ? { written: new Set() } : undefined;
    const removedRecords = fresh ? [] : await missingFromSnapshot(db, checked.keys, at);
    // Conflicts this copy shows that the snapshot no longer has were resolved on the server before it.
    const inFile = new Set(checked.conflicts.map((c) => c.id));
    const settled = (await db.conflicts.toArray())
      .filter((c) => !c.resolved && !inFile.has(c.id) && c.rev <= at)
      .map(({ resolvingChangeId: _r, ...c }) => ({ ...c, resolved: true }));
    const cursor = String(at);
    const serverTime = h.createdAt;
    const page = (changes: PulledRecord[], last: boolean): SyncResponse => ({
      v: PROTOCOL_VERSION,
      results: [],
      changes,
      conflicts: last ? [...checked.conflicts, ...settled] : [],
      cursor,
      more: !last,
      ...(last ? { since: cursor } : {}),
      serverTime,
    });
    const size = opts.pageSize ?? SNAPSHOT_PAGE;
    let batch: PulledRecord[] = [];
    let done = 0;
    const total = checked.records;
    progress({ phase: 'apply', done, total });
    for await (const l of lines()) {
      if (l.type !== 'record') continue;
      batch.push(l.record);
      if (batch.length >= size) {
        await applyResponse(db, page(batch, false), fresh);
        done += batch.length;
        batch = [];
        progress({ phase: 'apply', done, total });
      }
    }
    await applyResponse(db, page([...batch, ...removedRecords], true), fresh);
    done += batch.length;
    progress({ phase: 'apply', done, total });
    if (!(await db.syncState.get(FIRST_PULL_KEY)))
      await db.syncState.put({ key: FIRST_PULL_KEY, value: new Date().toISOString() });
    return summary('imported', removedRecords.length);
  });
}

/** The scope of the logged-in device. */
export async function sessionScope(session: SessionManager = getSession()): Promise<DeviceScope> {
  const s = await session.current();
  if (!s) throw new SyncError('not_logged_in', 'Connectez-vous pour importer un instantané dans votre copie.');
  const u = s.user;
  if (u.role === 'agent' && u.collectiviteId) return { role: 'agent', collectiviteId: u.collectiviteId };
  if (u.role === 'sgar' && u.region) return { role: 'sgar', region: u.region };
  if (u.role === 'daect') return { role: 'daect' };
  throw new SnapshotError(
    'SNAPSHOT_NOT_ALLOWED',
    'Votre compte n’a pas de périmètre : aucun instantané ne s’y applique.',
  );
}

/** « Importer un instantané » on the logged-in device. */
export async function importSnapshotFile(
  bytes: Uint8Array,
  onProgress?: (p: SnapshotProgress) => void,
): Promise<SnapshotImportSummary> {
  return importSnapshot(getDb(), await sessionScope(), bytes, { onProgress });
}

// ── The device certificate ──────────────────────────────────────────────────────────────────────────

const CERT_KEY = 'deviceCertificate';
/** A certificate is renewed when less than this remains (the device may go offline for a campaign). */
const RENEW_BEFORE_MS = 60 * 24 * 3600 * 1000;

async function storedCertificate(db: AtlasDb): Promise<{ cert: DeviceCertificate; body: CertificateBody } | null> {
  const raw = deviceCertificate.safeParse((await db.syncState.get(CERT_KEY))?.value);
  if (!raw.success) return null;
  try {
    return { cert: raw.data, body: certificateBody.parse(JSON.parse(raw.data.body)) };
  } catch {
    return null;
  }
}

/**
 * A call of the server with the session's access token (refreshed once when it has lapsed), with a longer
 * wait for the answer's start than account calls: the server builds a région's or the nation's snapshot
 * before it answers.
 */
async function callLong<E extends Endpoint>(
  session: SessionManager,
  endpoint: E,
  input: EndpointInput<E>,
  timeoutMs: number,
): Promise<EndpointOutput<E>> {
  const s = await session.current();
  if (!s) throw new SyncError('not_logged_in', MESSAGES.notLoggedIn);
  const send = async (token: string) => call(endpoint, input, { serverUrl: s.serverUrl, token, timeoutMs });
  try {
    return await send(await session.token());
  } catch (e) {
    if (e instanceof SyncError && e.kind === 'token_expired') return send(await session.refresh());
    throw e;
  }
}

/** Fetches this device's certificate from the server and keeps it in the copy's sync state. */
export async function fetchCertificate(
  db: AtlasDb = getDb(),
  session: SessionManager = getSession(),
): Promise<DeviceCertificate> {
  const cert = await callLong(session, syncEndpoints.deviceCertificate, {}, 30_000);
  await db.syncState.put({ key: CERT_KEY, value: cert });
  return cert;
}

/**
 * After a sync, while online: pins the server's snapshot key (imports verify with it) and, on an SGAR's
 * or the DAECT's device, fetches its certificate when it has none or it ends within two months. Quiet:
 * a failure is tried again after the next sync.
 */
export async function refreshFileCredentials(
  db: AtlasDb = getDb(),
  session: SessionManager = getSession(),
): Promise<void> {
  const s = await session.current();
  if (!s || s.status !== 'active') return;
  await pinServerKey(s.serverUrl);
  if (s.user.role === 'agent') return;
  const key = await session.deviceKey();
  const have = await storedCertificate(db);
  const ok =
    have &&
    have.body.deviceId === key.deviceId &&
    have.body.userId === s.user.id &&
    have.body.publicKey === key.publicKey &&
    Date.parse(have.body.expiresAt) - Date.now() > RENEW_BEFORE_MS;
  if (!ok) await fetchCertificate(db, session);
}

/** The certificate to sign with: the stored one if it still holds, else one fetched now (online). */
async function certificateForSigning(db: AtlasDb, session: SessionManager, userId: string): Promise<DeviceCertificate> {
  const key = await session.deviceKey();
  const have = await storedCertificate(db);
  if (
    have &&
    have.body.deviceId === key.deviceId &&
    have.body.userId === userId &&
    have.body.publicKey === key.publicKey &&
    Date.parse(have.body.expiresAt) > Date.now()
  )
    return have.cert;
  try {
    return await fetchCertificate(db, session);
  } catch (e) {
    if (e instanceof SyncError && (e.kind === 'network' || e.kind === 'not_json'))
      throw new SnapshotError(
        'SNAPSHOT_NO_CERTIFICATE',
        'Ce poste n’a pas encore reçu du serveur le certificat qui permet de signer un instantané. Connectez-vous au réseau une fois (une synchronisation suffit), puis recommencez : le certificat sera gardé sur ce poste pour un an.',
      );
    throw e;
  }
}

// ── Producing a collectivité's snapshot from this device's copy ────────────────────────────────────

export interface ProducedSnapshot {
  bytes: Uint8Array;
  records: number;
  conflicts: number;
  cursor: number;
  createdAt: string;
  scopeLabel: string;
}

/** A server version as the pull from cursor 0 sends it. */
function pulledOf(m: MetaRow): PulledRecord {
  const fields = { ...m.fields };
  let fieldRevs: Record<string, number> | undefined;
  for (const [f, r] of Object.entries(m.fieldRevs)) if (f in fields && r !== m.rev) (fieldRevs ??= {})[f] = r;
  return { entity: m.entity, id: m.id, rev: m.rev, fields, ...(fieldRevs ? { fieldRevs } : {}) };
}

/** The server versions of every record of `entity` this copy holds, of collectivité `collectiviteId` (or all, national). */
async function serverVersions(db: AtlasDb, entity: EntityName, collectiviteId: string): Promise<MetaRow[]> {
  const field = scopeField(entity);
  const ids = new Set<string>();
  if (field === 'id') ids.add(collectiviteId);
  else if (field) for (const r of await db.records(entity).whereEquals(field, collectiviteId)) ids.add(r.id);
  else for await (const page of db.records(entity).pages()) for (const r of page) ids.add(r.id);
  // Records that depart from their server version (a pending delete hides them) keep it in a meta row.
  for (const m of await db.meta.where('entity').equals(entity).toArray())
    if (!field || (m.fields && scopeOf(entity, { ...m.fields, id: m.id }) === collectiviteId)) ids.add(m.id);
  const list = [...ids];
  const metas = await readMetas(db, entity, list, new Set());
  return metas.filter(
    (m): m is MetaRow =>
      !!m && !m.deleted && m.rev > 0 && (!field || scopeOf(entity, { ...m.fields, id: m.id }) === collectiviteId),
  );
}

/**
 * « Enregistrer un instantané de <collectivité> »: the collectivité's records as the server sent them to
 * this SGAR's or DAECT's device, at its `since`, signed by the device with its certificate.
 */
export async function buildCollectiviteSnapshot(
  db: AtlasDb,
  session: SessionManager,
  collectiviteId: string,
  onProgress?: (p: SnapshotProgress) => void,
  now = new Date(),
): Promise<ProducedSnapshot> {
  const s = await session.current();
  if (!s) throw new SyncError('not_logged_in', 'Connectez-vous pour enregistrer un instantané.');
  const u = s.user;
  if (u.role !== 'sgar' && u.role !== 'daect')
    throw new SnapshotError(
      'SNAPSHOT_NOT_ALLOWED',
      'Seuls les services de l’État (SGAR, DAECT) enregistrent l’instantané d’une collectivité.',
    );
  const since = Number((await db.syncState.get('since'))?.value ?? 0);
  if (!since)
    throw new SnapshotError(
      'SNAPSHOT_COPY_INCOMPLETE',
      'La copie de ce poste n’est pas encore complète : synchronisez (ou importez l’instantané de votre périmètre) avant d’enregistrer celui d’une collectivité.',
    );
  const [coll] = await readMetas(db, 'collectivite', [collectiviteId], new Set());
  if (!coll || coll.deleted || !coll.fields)
    throw new SnapshotError('SNAPSHOT_OUT_OF_SCOPE', 'Cette collectivité n’est pas dans la copie de ce poste.');
  if (u.role === 'sgar' && coll.fields.region !== u.region)
    throw new SnapshotError('SNAPSHOT_OUT_OF_SCOPE', 'Cette collectivité n’est pas dans votre région.');
  const certificate = await certificateForSigning(db, session, u.id);
  const key = await session.deviceKey();

  const records: PulledRecord[] = [];
  for (const e of ENTITY_NAMES) {
    for (const m of await serverVersions(db, e, collectiviteId)) records.push(pulledOf(m));
    onProgress?.({ phase: 'write', done: records.length, total: records.length });
  }
  const keys = new Set(records.map((r) => keyOf(r.entity, r.id)));
  const conflicts = (await db.conflicts.toArray())
    .filter((c) => !c.resolved && keys.has(keyOf(c.entity, c.record)))
    .map(({ resolvingChangeId: _r, ...c }) => c);
  const scopeLabel = String(coll.fields.nom ?? 'Collectivité');
  const createdAt = now.toISOString();
  const lines: SnapshotLine[] = [
    {
      type: 'meta',
      scopeLabel,
      producedBy: `${u.nom} (${u.role === 'sgar' ? `SGAR ${regionNom(u.region) ?? ''}`.trim() : 'DAECT'})`,
      count: records.length + conflicts.length,
    },
    ...records.map((record): SnapshotLine => ({ type: 'record', record })),
    ...conflicts.map((conflict): SnapshotLine => ({ type: 'conflict', conflict })),
  ];
  const bytes = await writeSnapshot(
    {
      scope: { type: 'collectivite', id: collectiviteId },
      signer: { type: 'device', deviceId: key.deviceId, userId: u.id, certificate },
      cursor: since,
      createdAt,
    },
    lines,
    ed25519Signer(key.privateKey),
  );
  onProgress?.({ phase: 'write', done: records.length, total: records.length });
  return { bytes, records: records.length, conflicts: conflicts.length, cursor: since, createdAt, scopeLabel };
}

/** This device's snapshot of a collectivité, for the synchronisation screen. */
export function buildOwnCollectiviteSnapshot(
  collectiviteId: string,
  onProgress?: (p: SnapshotProgress) => void,
): Promise<ProducedSnapshot> {
  return buildCollectiviteSnapshot(getDb(), getSession(), collectiviteId, onProgress);
}

// ── Downloading the server's snapshot ──────────────────────────────────────────────────────────────

/** What to download: `collectivite:<uuid>`, `region:<code>` or `national`. */
export type Perimetre = `collectivite:${string}` | `region:${string}` | 'national';

/** The server's snapshot of a scope (online), as the bytes of its file. */
export async function downloadSnapshot(perimetre: Perimetre): Promise<Uint8Array> {
  return callLong(getSession(), syncEndpoints.snapshot, { query: { perimetre } }, 180_000);
}
