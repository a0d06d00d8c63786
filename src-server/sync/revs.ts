// Revisions: taken in blocks from the one global sequence, handed out in memory, and tracked while their
// transaction is open. A pull only reads up to the "watermark": below every revision still in flight,
// so a device never moves its cursor past a change that commits later (the classic sequence-gap trap).
// Valid for one server process writing the database (the deployment model: one CNCD server).
import type { Queryable } from '../db/driver';

const BLOCK = 500;
/** The next block is fetched in the background when fewer revisions than this are left. */
const LOW = 150;
/** Revisions remembered per scope for ScopeMarks.onlyOwn. */
const RECENT = 8;

export class RevAllocator {
  private pool: number[] = [];
  private refill: Promise<void> | null = null;
  private inflight = new Set<number>();
  private last = 0;
  /** Called before a bulk load (seed): scope marks can no longer be trusted below the new revisions. */
  onBulk?: () => void;

  constructor(private readonly db: Queryable) {}

  /** Highest revision handed out so far. */
  get lastRev(): number {
    return this.last;
  }

  async init(): Promise<void> {
    const rows = await this.db.query<{ v: number }>('SELECT last_value AS v, is_called FROM rev_seq');
    const r = rows[0] as { v: number; is_called?: boolean } | undefined;
    this.last = r && r.is_called ? Number(r.v) : 0;
  }

  private async fill(): Promise<void> {
    this.refill ??= (async () => {
      const rows = await this.db.query<{ r: number }>(
        `SELECT nextval('rev_seq') AS r FROM generate_series(1, ${BLOCK})`,
      );
      const fresh = rows.map((x) => Number(x.r)).sort((a, b) => a - b);
      this.pool.push(...fresh);
    })().finally(() => {
      this.refill = null;
    });
    await this.refill;
  }

  /**
   * Runs fn with one fresh revision (taken before fn opens its transaction: with PGlite's single
   * connection a query from inside a transaction would wait for itself). The revision stays
   * "in flight" until fn settles.
   */
  async track<T>(fn: (rev: number) => Promise<T>): Promise<T> {
    while (this.pool.length === 0) await this.fill();
    const r = this.pool.shift()!;
    // Fetch the next block before this one runs out: waiting for it held up every cycle at once (a
    // query queued behind the busy pool), a latency spike every few hundred changes.
    if (this.pool.length < LOW && !this.refill) this.fill().catch(() => undefined);
    this.inflight.add(r);
    if (r > this.last) this.last = r;
    try {
      return await fn(r);
    } finally {
      this.inflight.delete(r);
    }
  }

  /**
   * Runs fn with n fresh revisions, all in flight until fn settles: a batch of changes written in one
   * transaction (the Atlas import), taken before fn opens it as `track` does.
   */
  async trackMany<T>(n: number, fn: (revs: number[]) => Promise<T>): Promise<T> {
    const taken: number[] = [];
    while (taken.length < n) {
      while (this.pool.length === 0) await this.fill();
      const r = this.pool.shift()!;
      this.inflight.add(r);
      if (r > this.last) this.last = r;
      taken.push(r);
    }
    if (this.pool.length < LOW && !this.refill) this.fill().catch(() => undefined);
    try {
      return await fn(taken);
    } finally {
      for (const r of taken) this.inflight.delete(r);
    }
  }

  /**
   * Takes n revisions at once for a bulk load run while no sync is in flight (seed). The prefetched
   * pool is dropped: revisions handed out later must be higher than the ones loaded now.
   */
  async reserve(n: number): Promise<number[]> {
    if (n <= 0) return [];
    // a block fetched in the background must not land in the pool after the reserved revisions
    if (this.refill) await this.refill.catch(() => undefined);
    this.pool = [];
    this.onBulk?.();
    const rows = await this.db.query<{ r: number }>("SELECT nextval('rev_seq') AS r FROM generate_series(1, $1::int)", [
      n,
    ]);
    const out = rows.map((x) => Number(x.r)).sort((a, b) => a - b);
    this.last = Math.max(this.last, out[out.length - 1]!);
    return out;
  }

  /** Highest revision such that every revision at or below it is committed or abandoned. */
  watermark(): number {
    if (this.inflight.size === 0) return this.last;
    let min = Infinity;
    for (const r of this.inflight) if (r < min) min = r;
    return min - 1;
  }
}

/**
 * Per-scope high-water marks: the highest revision written (or being written) in each collectivité,
 * région and in the national scope. A device whose cursor is at or above its scope's mark has nothing
 * to pull, even while other scopes keep changing: no database query. Marks are set before commit
 * (conservative); scopes not written since start (or since a bulk load) use the floor.
 */
export class ScopeMarks {
  private floor = 0;
  private marks = new Map<string, number>();
  /** The last few revisions written in each scope, and the highest one no longer kept. */
  private recent = new Map<string, { revs: number[]; records: (string | null)[]; dropped: number }>();

  /** Everything up to `rev` may have changed anywhere (start, bulk load). */
  raiseFloor(rev: number) {
    this.floor = Math.max(this.floor, rev);
  }

  /** `record` ("entity:id"): the revision wrote that one record and no conflict row (null: unknown). */
  touch(collectiviteId: string | null, region: string | null, rev: number, record: string | null = null) {
    const keys = collectiviteId === null ? ['n'] : [`c:${collectiviteId}`, ...(region ? [`r:${region}`] : [])];
    for (const k of keys) {
      if ((this.marks.get(k) ?? 0) < rev) this.marks.set(k, rev);
      let r = this.recent.get(k);
      if (!r) this.recent.set(k, (r = { revs: [], records: [], dropped: 0 }));
      const at = r.revs.indexOf(rev);
      if (at >= 0) {
        if (r.records[at] !== record) r.records[at] = null;
        continue;
      }
      let i = r.revs.length;
      while (i > 0 && r.revs[i - 1]! > rev) i--;
      r.revs.splice(i, 0, rev);
      r.records.splice(i, 0, record);
      if (r.revs.length > RECENT) {
        r.dropped = Math.max(r.dropped, r.revs.shift()!);
        r.records.shift();
      }
    }
  }

  /**
   * True when the device's pull has nothing to send, known without a query: every revision that may
   * concern its scope in (cursor, watermark] is either `own` (its exact echoes of this cycle, which
   * the pull skips) or an earlier clean write of a record in `rewritten` (record → own echo revision:
   * that write's one row is now at the echo's revision). False when unsure (national scope,
   * revisions no longer remembered, a floor above the cursor).
   */
  onlyOwn(
    scope: { role: 'agent' | 'sgar' | 'daect'; collectiviteId: string | null; region: string | null },
    cursor: number,
    watermark: number,
    own: Set<number>,
    rewritten: Map<string, number>,
  ): boolean {
    if (scope.role === 'daect' || own.size === 0 || this.floor > cursor) return false;
    for (const k of [scope.role === 'agent' ? `c:${scope.collectiviteId}` : `r:${scope.region}`, 'n']) {
      const r = this.recent.get(k);
      if (!r) continue;
      if (r.dropped > cursor) return false;
      for (const [i, rev] of r.revs.entries()) {
        if (rev <= cursor || rev > watermark || own.has(rev)) continue;
        const rec = r.records[i];
        if (!rec || !((rewritten.get(rec) ?? 0) > rev)) return false;
      }
    }
    return true;
  }

  private get(key: string): number {
    return Math.max(this.floor, this.marks.get(key) ?? 0);
  }

  /** Highest revision that may concern a scope (null = national: every write counts). */
  markOf(scope: {
    role: 'agent' | 'sgar' | 'daect';
    collectiviteId: string | null;
    region: string | null;
  }): number | null {
    if (scope.role === 'daect') return null;
    const own = scope.role === 'agent' ? this.get(`c:${scope.collectiviteId}`) : this.get(`r:${scope.region}`);
    return Math.max(own, this.get('n'));
  }
}
