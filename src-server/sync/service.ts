// One sync cycle: apply the pushed changes (each in its own transaction, in device sequence order,
// idempotent by change id), then pull a page of the scope. See docs/architecture.md.
import { ENTITY_ORDER, entityDef, type EntityName } from '../../src-shared/registry';
import {
  PROTOCOL_VERSION,
  type CreateChange,
  type Change,
  type ChangeResult,
  type SyncRequest,
  type SyncResponse,
  type UpdateChange,
} from '../../src-shared/sync/protocol';
import type { Db, Queryable, Row } from '../db/driver';
import type { Actor, Echo } from './actor';
import { ChangeApplier, mayTryOptimistic, Rejection, RegionCache } from './apply';
import { DigestCache } from './digest';
import { countRemaining, pull } from './pull';
import { RevAllocator, ScopeMarks } from './revs';
import { readGate, readGateAndRecord, writeReceipt, type GateRow } from './statements';
import { DEFAULT_PULL_LIMIT } from '../../src-shared/sync/protocol';
import { HttpError } from '../httpError';
import { ensureReferenceLists } from '../seed/referenceLists';

/** PostgreSQL errors a change can still hit after our checks (a race on a constraint): refusals, not 500s. */
function pgRejection(e: unknown): Rejection | null {
  const code = (e as { code?: string } | null)?.code;
  if (code === '23503') return new Rejection('PARENT_MISSING', 'Un enregistrement lié n’existe pas sur le serveur.');
  if (code === '23505') return new Rejection('ALREADY_EXISTS', 'Un enregistrement avec la même clé existe déjà.');
  // 23514/23502: constraints; class 22: data exceptions (bad text or JSON the schemas should have caught).
  if (code === '23514' || code === '23502' || code?.startsWith('22')) {
    return new Rejection('VALIDATION', 'Les valeurs envoyées ne respectent pas les règles de l’Atlas.');
  }
  return null;
}

/** A change of a batch was refused: the batch was rolled back. */
export class BatchRejected extends Error {
  constructor(
    readonly index: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class SyncService {
  readonly revs: RevAllocator;
  readonly regions = new RegionCache();
  private readonly applier: ChangeApplier;
  private readonly deviceQueues = new Map<string, Promise<unknown>>();
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly db: Db) {
    this.revs = new RevAllocator(db);
    this.revs.onBulk = () => {
      this.bulkPending = true;
    };
    this.applier = new ChangeApplier(this.regions, this.marks);
  }

  readonly marks = new ScopeMarks();
  private readonly digests = new DigestCache();
  /** When each device last completed a cycle (the account list shows it). */
  readonly lastSyncs = new LastSyncs();
  private bulkPending = false;

  async init() {
    await this.revs.init();
    // A new database gets the reference lists' initial entries, before any device syncs.
    await ensureReferenceLists(this.db, this.revs);
    this.bulkPending = false;
    this.marks.raiseFloor(this.revs.lastRev);
  }

  /** Resolves when no sync cycle is running (graceful shutdown). */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  async sync(actor: Actor, req: SyncRequest): Promise<SyncResponse> {
    return this.queued(actor, () => this.cycle(actor, req));
  }

  /**
   * Changes of a packet file (packets.ts), applied as their author's device would have sent them: in
   * its queue, by the same path, without a pull (the carrier is not the author).
   */
  async applyCarried(actor: Actor, changes: readonly Change[]): Promise<ChangeResult[]> {
    return this.queued(actor, async () => (await this.applyChanges(actor, changes)).results);
  }

  /**
   * A batch of changes written all or nothing, in one transaction, by the same decisions as a device's
   * changes (rights, merge, validation, audit): the Atlas import (src-server/import-atlas). A refusal of any
   * change throws (BatchRejected) and nothing of the batch is written. No device receipts: the import keeps its
   * own ledger, written by `after` in the same transaction.
   */
  async applyBatch(
    actor: Actor,
    changes: readonly Change[],
    after?: (tx: Queryable, results: ChangeResult[]) => Promise<void>,
  ): Promise<ChangeResult[]> {
    this.inFlight++;
    try {
      return await this.revs.trackMany(changes.length, (revs) =>
        this.db.transaction(async (tx) => {
          const results: ChangeResult[] = new Array(changes.length);
          const fail = (i: number, e: unknown): never => {
            const rej = e instanceof Rejection ? e : pgRejection(e);
            if (rej) throw new BatchRejected(i, rej.code, rej.message);
            throw e;
          };
          // The DAECT's creations, parents first, one set-wise write per entity (ChangeApplier.createMany);
          // then every other change one by one, in sequence order.
          const creations = new Map<EntityName, number[]>();
          const others: number[] = [];
          changes.forEach((c, i) => {
            if (c.op === 'create' && actor.role === 'daect' && !entityDef(c.entity).unique) {
              const l = creations.get(c.entity);
              if (l) l.push(i);
              else creations.set(c.entity, [i]);
            } else others.push(i);
          });
          for (const entity of ENTITY_ORDER) {
            const at = creations.get(entity);
            if (!at) continue;
            try {
              const out = await this.applier.createMany(
                tx,
                actor,
                entity,
                at.map((i) => changes[i] as CreateChange),
                at.map((i) => revs[i]!),
              );
              out.forEach((r, k) => (results[at[k]!] = r));
            } catch (e) {
              fail(at[0]!, e);
            }
          }
          for (const i of others) {
            try {
              results[i] = (await this.applier.apply(tx, actor, changes[i]!, revs[i]!)).result;
            } catch (e) {
              fail(i, e);
            }
          }
          await after?.(tx, results);
          return results;
        }),
      );
    } finally {
      if (--this.inFlight === 0) for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  /** Runs `work` after the device's earlier cycles: its changes apply in sequence order. */
  private async queued<T>(actor: Actor, work: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      const key = `${actor.userId}:${actor.deviceId}`;
      const prev = this.deviceQueues.get(key) ?? Promise.resolve();
      const run = prev.then(work, work);
      const tail = run.catch(() => undefined);
      this.deviceQueues.set(key, tail);
      try {
        return await run;
      } finally {
        if (this.deviceQueues.get(key) === tail) this.deviceQueues.delete(key);
      }
    } finally {
      if (--this.inFlight === 0) for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  /** The push half of a cycle: each change in device sequence order. */
  private async applyChanges(
    actor: Actor,
    list: readonly Change[],
  ): Promise<{ results: ChangeResult[]; echoes: Map<string, Echo>; resolves: boolean }> {
    const results: ChangeResult[] = [];
    const echoes = new Map<string, Echo>();
    let resolves = false;
    const changes = [...list].sort((a, b) => a.seq - b.seq);
    for (const change of changes) {
      const out = await this.revs.track((rev) => this.applyOne(actor, change, rev));
      results.push(out.result);
      if (out.echo) echoes.set(`${out.echo.entity}:${out.echo.id}`, out.echo);
      // conflicts resolved by a change take its revision: the pull must send them
      if (change.op !== 'create' && change.resolves?.length) resolves = true;
    }
    return { results, echoes, resolves };
  }

  /**
   * One change, one transaction: device lock, idempotency and sequence checks, apply, remember the result.
   * A refusal rolls the whole transaction back (nothing of the change is written) and a second, small
   * transaction records the refusal: no savepoint round trips on the common path.
   */
  private async applyOne(actor: Actor, change: Change, rev: number): Promise<{ result: ChangeResult; echo?: Echo }> {
    type Early = { early: { result: ChangeResult } };
    const check = (d: GateRow | undefined): Early | null => {
      if (!d) throw new HttpError(401, 'DEVICE_UNKNOWN', 'Ce poste n’est pas enregistré : reconnectez-vous.');
      if (d.__dup) {
        if (d.__dup_user !== actor.userId) {
          return {
            early: {
              result: {
                id: change.id,
                status: 'rejected',
                code: 'SEQ_REPLAY',
                message: 'Cette modification a déjà été reçue d’un autre compte.',
              },
            },
          };
        }
        return { early: { result: { ...d.__dup, duplicate: true } } };
      }
      if (change.seq <= Number(d.__last_seq)) {
        return {
          early: {
            result: {
              id: change.id,
              status: 'rejected',
              code: 'SEQ_REPLAY',
              message: `Modification rejouée ou hors d’ordre (numéro ${change.seq}, déjà reçu jusqu’au ${d.__last_seq}) : elle n’a pas été appliquée.`,
            },
          },
        };
      }
      return null;
    };
    const gate = async (tx: Queryable): Promise<Early | null> => check(await readGate(tx, actor, change.id));
    // The device lock and the changed record's lock in one statement (device first, as in gate).
    const gateAndRow = async (
      tx: Queryable,
      lock = true,
    ): Promise<Early | { row: Row | undefined; lastSeq: number }> => {
      const r = await readGateAndRecord(tx, actor, change, lock);
      const early = check(r);
      if (early) return early;
      const { __last_seq: lastSeq, __dup: _d, __dup_user: _u, ...row } = r!;
      return { row: row.id === null || row.id === undefined ? undefined : row, lastSeq: Number(lastSeq) };
    };
    const remember = (tx: Queryable, result: ChangeResult) =>
      writeReceipt(tx, actor, { changeId: change.id, seq: change.seq, result });
    type Applied = { result: ChangeResult; echo?: Echo };
    // An edit that conflicts with nothing (the common case), without locks: the same read without
    // FOR UPDATE, then one statement that writes the record, its audit, its receipt and the device's
    // sequence only if nothing moved since the read. Two round trips and no transaction block. Null: this
    // path cannot take the change (a race, a conflict, a restore; or a database error of the attempt) and
    // nothing was written.
    const unlocked = async (edit: UpdateChange): Promise<Applied | null> => {
      try {
        const g = await gateAndRow(this.db, false);
        if ('early' in g) return g.early;
        if (!g.row) return null;
        return await this.applier.apply(
          this.db,
          actor,
          edit,
          rev,
          { row: g.row },
          { seq: change.seq, expect: { rev: Number(g.row.sync_rev), lastSeq: g.lastSeq } },
        );
      } catch (e) {
        // A database error of the unlocked attempt (e.g. a constraint raced): nothing was written.
        if (!(e instanceof Rejection) && !(e instanceof HttpError) && (e as { code?: string } | null)?.code)
          return null;
        throw e;
      }
    };
    const locked = (): Promise<Applied> =>
      this.db.transaction(async (tx) => {
        const g = await gateAndRow(tx);
        if ('early' in g) return g.early;
        const outcome = await this.applier.apply(tx, actor, change, rev, g, { seq: change.seq });
        if (!outcome.remembered) await remember(tx, outcome.result);
        return outcome;
      });
    let refusal: Rejection;
    try {
      // The one choice of path: unlocked when the change may take it and it does, else under locks.
      const fast = mayTryOptimistic(change) ? await unlocked(change) : null;
      return fast ?? (await locked());
    } catch (e) {
      const rej = e instanceof Rejection ? e : pgRejection(e);
      if (!rej) throw e;
      refusal = rej;
    }
    return this.db.transaction(async (tx) => {
      const g = await gate(tx);
      if (g) return g.early;
      const result: ChangeResult = { id: change.id, status: 'rejected', code: refusal.code, message: refusal.message };
      await remember(tx, result);
      return { result };
    });
  }

  private async cycle(actor: Actor, req: SyncRequest): Promise<SyncResponse> {
    const { results, echoes, resolves } = await this.applyChanges(actor, req.changes);
    let cursor = Number(req.cursor);
    // A cursor beyond every revision ever handed out comes from another database (restored backup,
    // reset server): the device starts over from 0 rather than never hearing of anything again.
    if (cursor > this.revs.lastRev) cursor = 0;
    // Where the device's copy is complete (it pages from `cursor`); never above the cursor.
    const since = cursor === 0 || req.since === undefined ? cursor : Math.min(Number(req.since), cursor);
    if (this.bulkPending) {
      // after a bulk load (seed), everything up to its last revision may concern any scope
      this.bulkPending = false;
      this.marks.raiseFloor(this.revs.lastRev);
    }
    const watermark = this.revs.watermark();
    // Revisions of this cycle the pull would skip (exact echoes that resolved no conflict): if nothing
    // else was written in the scope above the cursor, there is nothing to pull and no query to run.
    const own = new Set<number>();
    const rewritten = new Map<string, number>();
    if (!resolves) {
      for (const e of echoes.values()) {
        if (e.prevRev <= cursor && !e.partial) own.add(e.rev);
        else if (e.others !== undefined && e.others <= since) {
          // every field is this cycle's own or known to the device: the pull would skip the record
          own.add(e.rev);
          rewritten.set(`${e.entity}:${e.id}`, e.rev);
        }
      }
    }
    const page = this.marks.onlyOwn(actor, cursor, watermark, own, rewritten)
      ? { changes: [], conflicts: [], cursor: Math.max(cursor, watermark), more: false }
      : await pull(
          this.db,
          actor,
          cursor,
          req.limit ?? DEFAULT_PULL_LIMIT,
          watermark,
          echoes,
          this.marks.markOf(actor),
          since,
        );
    const res: SyncResponse = {
      v: PROTOCOL_VERSION,
      results,
      changes: page.changes,
      conflicts: page.conflicts,
      cursor: String(page.cursor),
      more: page.more,
      since: String(!page.more && (this.marks.markOf(actor) ?? this.revs.lastRev) <= page.cursor ? page.cursor : since),
      serverTime: new Date().toISOString(),
    };
    // A first sync (nothing known complete yet) is told how much remains, for the progress it shows.
    if (since === 0 && page.more) res.remaining = await countRemaining(this.db, actor, page.cursor, watermark);
    // A device checking its copy: compared only when it has nothing left to pull (its copy is at the
    // server's state), and only for a device whose copy is complete at its cursor.
    if (req.digest && !page.more && !page.changes.length && !page.conflicts.length && since === cursor) {
      const { digest } = await this.digests.of(this.db, actor, this.marks.markOf(actor), watermark);
      res.digest = digest.top() === req.digest ? { match: true } : { match: false, buckets: digest.buckets() };
    }
    if (req.repair?.length) {
      const buckets = [...new Set(req.repair)];
      res.repair = {
        buckets,
        changes: await this.digests.bucketRecords(this.db, actor, buckets, this.marks.markOf(actor), watermark),
      };
    }
    await this.lastSyncs.record(this.db, actor.userId, actor.deviceId);
    return res;
  }
}

/**
 * Last successful sync of each device, for the account list (DAECT, SGAR): written to `devices.last_sync_at`
 * at most once a minute per device, so that the no-op cycles that answer without touching the database stay
 * so between two writes; the list is right to the minute. In memory: one server process writes the database.
 */
export class LastSyncs {
  private written = new Map<string, number>();
  constructor(
    private readonly everyMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a completed cycle of this device; a failure to record never fails the sync. */
  async record(q: Queryable, userId: string, deviceId: string): Promise<void> {
    const key = `${userId}:${deviceId}`;
    const t = this.now();
    const last = this.written.get(key);
    if (last !== undefined && t - last < this.everyMs) return;
    this.written.set(key, t);
    try {
      await q.query('UPDATE devices SET last_sync_at = now() WHERE user_id = $1 AND id = $2', [userId, deviceId]);
    } catch {
      this.written.delete(key); // tried again on the next cycle
    }
  }
}
