// Snapshots the server produces (.atlas-instantane, src-shared/files/snapshot.ts): every record of a scope
// exactly as a pull from cursor 0 sends it to a device of that scope — the same pull (pull.ts), paged, with
// an actor of the target scope, so the scope rules are written once (national entities such as campaigns
// and reference lists reach every scope, avis and attestations as in a pull, deletions and the scope's
// conflicts too: a device behind the snapshot's cursor learns them). Written as a stream: each page is
// encoded and compressed as it comes, the plain JSON of a région or of the nation is never held whole.
//
// Consistency: the pages are read in one read-only REPEATABLE READ transaction (PostgreSQL; PGlite has
// one connection, nothing else runs meanwhile). The cursor written in the header is the watermark read
// before the transaction: every revision at or below it is committed and seen. Records the transaction
// also sees above it (committed meanwhile) are included at their current state; the device pulls them
// again from the snapshot's cursor, which changes nothing.
import { REGION_NOMS } from '../../src-shared/reference/regions';
import { writeSnapshot, type SnapshotLine, type SnapshotScope } from '../../src-shared/files/snapshot';
import type { Role } from '../../src-shared/domain/roles';
import { MAX_PULL_LIMIT } from '../../src-shared/sync/protocol';
import type { Db, Queryable } from '../db/driver';
import { HttpError } from '../httpError';
import type { Actor } from './actor';
import { countRemaining, pull } from './pull';
import type { ServerSigningKey } from './serverKey';
import type { SyncService } from './service';

/** Who asks for a snapshot. */
export interface SnapshotRequester {
  role: Role;
  collectiviteId: string | null;
  region: string | null;
}

export interface ResolvedScope {
  scope: SnapshotScope;
  /** The pull's actor for that scope. */
  actor: Actor;
  /** For the viewer's banner: the collectivité's or the région's name, or « France entière ». */
  label: string;
  /** For the file name. */
  slug: string;
}

/** Pull pages of the largest size a device may ask for: fewer queries, still a bounded page in memory. */
const PAGE = MAX_PULL_LIMIT;
export const SERVER_PRODUCER = 'Serveur CNCD';

const forbidden = (what: string) =>
  new HttpError(403, 'FORBIDDEN', `Vous ne pouvez pas obtenir l’instantané ${what} : il est hors de votre périmètre.`);

/** Lower-case ASCII words joined by dashes, for file names: « Côtes-d’Armor » → « cotes-d-armor ». */
export function slugify(s: string): string {
  return (
    s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'atlas'
  );
}

/**
 * Checks that `who` may have the snapshot of `scope` (an agent: its collectivité; an SGAR: its région or
 * one of its collectivités; the DAECT: anything) and gives the pull's actor of that scope.
 */
export async function resolveScope(
  db: Queryable,
  who: SnapshotRequester,
  scope: SnapshotScope,
): Promise<ResolvedScope> {
  const actorBase = { userId: '00000000-0000-0000-0000-000000000000', deviceId: 'instantane', label: SERVER_PRODUCER };
  if (scope.type === 'national') {
    if (who.role !== 'daect') throw forbidden('national');
    return {
      scope,
      actor: { ...actorBase, role: 'daect', collectiviteId: null, region: null },
      label: 'France entière',
      slug: 'france',
    };
  }
  if (scope.type === 'region') {
    const code = scope.id ?? '';
    const nom = Object.prototype.hasOwnProperty.call(REGION_NOMS, code) ? REGION_NOMS[code]! : null;
    if (who.role === 'agent' || (who.role === 'sgar' && who.region !== code))
      throw forbidden(`de la région ${nom ?? code}`);
    if (!nom) throw new HttpError(404, 'NOT_FOUND', `Région inconnue : ${code}.`);
    return {
      scope,
      actor: { ...actorBase, role: 'sgar', collectiviteId: null, region: code },
      label: nom,
      slug: slugify(nom),
    };
  }
  const id = scope.id ?? '';
  if (who.role === 'agent' && who.collectiviteId !== id) throw forbidden('de cette collectivité');
  const [c] = await db.query<{ nom: string; scope_region: string | null }>(
    'SELECT "nom", scope_region FROM collectivite WHERE "id" = $1 AND NOT deleted',
    [id],
  );
  if (who.role === 'sgar' && (!c || c.scope_region !== who.region)) throw forbidden('de cette collectivité');
  if (!c) throw new HttpError(404, 'NOT_FOUND', 'Collectivité inconnue.');
  return {
    scope,
    actor: { ...actorBase, role: 'agent', collectiviteId: id, region: c.scope_region },
    label: c.nom,
    slug: slugify(c.nom),
  };
}

/** Conflicts and (SGAR scope) records that left the région, as a pull from 0 sends them. */
async function countOthers(q: Queryable, actor: Actor, upTo: number): Promise<number> {
  const params: unknown[] = [upTo];
  let cond = '';
  if (actor.role === 'agent') {
    cond = ' AND collectivite_id = $2';
    params.push(actor.collectiviteId);
  } else if (actor.role === 'sgar') {
    cond = ' AND scope_region = $2';
    params.push(actor.region);
  }
  const [c] = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM conflicts WHERE rev > 0 AND rev <= $1${cond}`,
    params,
  );
  let n = Number(c?.n ?? 0);
  if (actor.role === 'sgar') {
    const [e] = await q.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM scope_exits WHERE rev > 0 AND rev <= $1 AND region = $2',
      [upTo, actor.region],
    );
    n += Number(e?.n ?? 0);
  }
  return n;
}

/** The lines of a snapshot: the meta line, then the pull's pages from 0 up to `upTo`. */
async function* snapshotLinesOf(
  q: Queryable,
  resolved: ResolvedScope,
  upTo: number,
  count: number,
): AsyncGenerator<SnapshotLine> {
  yield { type: 'meta', scopeLabel: resolved.label, producedBy: SERVER_PRODUCER, count };
  let cursor = 0;
  let sent = 0;
  for (;;) {
    const page = await pull(q, resolved.actor, cursor, PAGE, upTo, new Map(), null, 0);
    for (const record of page.changes) yield { type: 'record', record };
    for (const conflict of page.conflicts) yield { type: 'conflict', conflict };
    sent += page.changes.length + page.conflicts.length;
    if (!page.more || page.cursor <= cursor) break;
    cursor = page.cursor;
  }
  // Read in one consistent transaction, the count cannot differ; if it did, no invalid file goes out.
  if (sent !== count) throw new Error(`snapshot: ${sent} lines written, ${count} announced`);
}

export interface BuiltSnapshot {
  bytes: Uint8Array;
  cursor: number;
  /** Records and conflicts (the lines after the meta line). */
  count: number;
}

/** Builds and signs the snapshot of a resolved scope, at the server's current state. */
export async function buildSnapshot(
  db: Db,
  sync: SyncService,
  key: ServerSigningKey,
  resolved: ResolvedScope,
  now = new Date(),
): Promise<BuiltSnapshot> {
  // Read before the transaction's snapshot: every revision up to it is committed, hence seen below.
  const cursor = sync.revs.watermark();
  return db.transaction(async (tx) => {
    if (db.kind === 'postgres') await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    // The transaction's snapshot is taken by its first query; every revision visible to it is at or below
    // the highest one handed out once it is taken.
    await tx.query('SELECT 1');
    const upTo = Math.max(cursor, sync.revs.lastRev);
    const count = (await countRemaining(tx, resolved.actor, 0, upTo)) + (await countOthers(tx, resolved.actor, upTo));
    const bytes = await writeSnapshot(
      {
        scope: resolved.scope,
        signer: { type: 'server', keyId: key.keyId },
        cursor,
        createdAt: now.toISOString(),
      },
      snapshotLinesOf(tx, resolved, upTo, count),
      (data) => key.sign(data),
    );
    return { bytes, cursor, count };
  });
}

/** `atlas-bretagne-2026-12-03.atlas-instantane`. */
export function snapshotFileName(resolved: ResolvedScope, now = new Date()): string {
  return `atlas-${resolved.slug}-${now.toISOString().slice(0, 10)}.atlas-instantane`;
}
