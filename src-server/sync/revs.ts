// Revisions: taken in blocks from the one global sequence, handed out in memory, and tracked while their
// transaction is open. A pull only reads up to the "watermark": below every revision still in flight,
// so a device never moves its cursor past a change that commits later (the classic sequence-gap trap).
// Valid for one server process writing the database (the deployment model: one CNCD server).
import type { Queryable } from '../db/driver';

const BLOCK = 500;

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
      const rows = await this.db.query<{ r: number }>(`SELECT nextval('rev_seq') AS r FROM generate_series(1, ${BLOCK})`);
      const fresh = rows.map((x) => Number(x.r)).sort((a, b) => a - b);
      this.pool.push(...fresh);
    })().finally(() => { this.refill = null; });
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
    this.inflight.add(r);
    if (r > this.last) this.last = r;
    try {
      return await fn(r);
    } finally {
      this.inflight.delete(r);
    }
  }

  /**
   * Takes n revisions at once for a bulk load run while no sync is in flight (seed). The prefetched
   * pool is dropped: revisions handed out later must be higher than the ones loaded now.
   */
  async reserve(n: number): Promise<number[]> {
    if (n <= 0) return [];
    this.pool = [];
    this.onBulk?.();
    const rows = await this.db.query<{ r: number }>('SELECT nextval(\'rev_seq\') AS r FROM generate_series(1, $1::int)', [n]);
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

  /** Everything up to `rev` may have changed anywhere (start, bulk load). */
  raiseFloor(rev: number) {
    this.floor = Math.max(this.floor, rev);
  }

  touch(collectiviteId: string | null, region: string | null, rev: number) {
    const keys = collectiviteId === null ? ['n'] : [`c:${collectiviteId}`, ...(region ? [`r:${region}`] : [])];
    for (const k of keys) if ((this.marks.get(k) ?? 0) < rev) this.marks.set(k, rev);
  }

  private get(key: string): number {
    return Math.max(this.floor, this.marks.get(key) ?? 0);
  }

  /** Highest revision that may concern a scope (null = national: every write counts). */
  markOf(scope: { role: 'agent' | 'sgar' | 'daect'; collectiviteId: string | null; region: string | null }): number | null {
    if (scope.role === 'daect') return null;
    const own = scope.role === 'agent' ? this.get(`c:${scope.collectiviteId}`) : this.get(`r:${scope.region}`);
    return Math.max(own, this.get('n'));
  }
}
