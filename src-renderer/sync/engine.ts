// The sync engine: one request per cycle to POST /api/v1/sync (pending changes + cursor), looping
// while the server says `more`. Runs at start, when the network comes back (online event + a light
// probe), a few seconds after an edit, and periodically; backs off exponentially with jitter and says why.
import { differingBuckets, type ScopeDigest } from '../../src-shared/sync/digest';
import {
  DEFAULT_PULL_LIMIT,
  MAX_PULL_LIMIT,
  MAX_REPAIR_BUCKETS,
  PROTOCOL_VERSION,
  type SyncRequest,
  type SyncResponse,
} from '../../src-shared/sync/protocol';
import { getDb, onLocalWrite, type AtlasDb } from '../db/database';
import { applyResponse, freeze, hasSendable, nextHoldEnd, releaseHolds, type ImportTracker } from './apply';
import { applyRepair, deviceDigest } from './digest';
import { call } from '../api/http';
import { MESSAGES, SyncError, type FetchLike, type SentStats } from '../api/http';
import { syncEndpoints } from '../../src-shared/api/sync';
import { backoffDelay, probeServer, SYNC_HEADERS_TIMEOUT_MS, SYNC_IDLE_TIMEOUT_MS } from './reachability';
import { getSession, type SessionManager } from './session';

export interface RuntimeStatus {
  /** The server answered the last attempt (or, before any attempt, the browser says it is online). */
  online: boolean;
  syncing: boolean;
  /**
   * Progress of the pull in the current cycle (pages and records received); `total`, during a first
   * sync, the records received plus those the server says remain (SyncResponse.remaining), else null.
   */
  progress: { pages: number; pulled: number; more: boolean; total?: number | null } | null;
  /** French message of the last failure, null after a successful cycle. */
  lastError: string | null;
  lastErrorKind: SyncError['kind'] | null;
  /** When the next automatic attempt is due (ISO), during backoff. */
  nextRetryAt: string | null;
  /** The session must be renewed by logging in again. */
  sessionExpired: boolean;
  /** Set when the device clock is far from the server's (never used for ordering). */
  clockWarning: string | null;
}

export interface CycleReport {
  requests: number;
  sent: number;
  acknowledged: number;
  conflicts: number;
  rejected: number;
  pulled: number;
  quarantined: number;
  /** Request body bytes as sent (after compression) and response body characters. */
  requestBytes: number[];
  responseChars: number[];
  /** Milliseconds waiting for the server (request to parsed response) and applying responses locally. */
  networkMs: number;
  applyMs: number;
  /** The copy was checked against the server's digest in this cycle (null: not checked), and records repaired. */
  checked: 'match' | 'repaired' | null;
  repaired: number;
  /** Records of the copy the check covered. */
  checkedRecords: number;
}

export type CycleOutcome = { ok: true; report: CycleReport } | { ok: false; error: SyncError; report: CycleReport };

export interface EngineOptions {
  db?: AtlasDb;
  session?: SessionManager;
  fetch?: FetchLike;
  pullLimit?: number;
  /** Page size after the first page of a cycle (default: the protocol's maximum). */
  catchUpLimit?: number;
  /** Gzip request bodies larger than this (bytes of JSON). */
  compressAbove?: number;
  debounceMs?: number;
  periodMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  random?: () => number;
  /** How often the device checks its copy against the server's digest (ms; 0: every idle cycle). */
  digestEveryMs?: number;
}

/** A copy is checked at the first idle cycle after start, then every six hours. */
const DIGEST_EVERY_MS = 6 * 3600 * 1000;

const CLOCK_TOLERANCE_MS = 24 * 3600 * 1000;

export function clockWarningFor(serverTime: string, now = Date.now()): string | null {
  const t = Date.parse(serverTime);
  if (Number.isNaN(t)) return null;
  const skew = now - t;
  if (Math.abs(skew) < CLOCK_TOLERANCE_MS) return null;
  const days = Math.round(Math.abs(skew) / 86_400_000);
  const span =
    days >= 365
      ? `${Math.round(days / 365)} an${Math.round(days / 365) > 1 ? 's' : ''}`
      : `${days} jour${days > 1 ? 's' : ''}`;
  return `L’horloge de cet ordinateur ${skew > 0 ? 'avance' : 'retarde'} d’environ ${span}. La synchronisation n’en dépend pas, mais les dates affichées peuvent être fausses : faites corriger l’heure du poste.`;
}

export class SyncEngine {
  private status: RuntimeStatus;
  private listeners = new Set<() => void>();
  private running: Promise<CycleOutcome> | null = null;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private timerAt = 0;
  private periodic: ReturnType<typeof setInterval> | null = null;
  private failures = 0;
  private started = false;
  private cleanups: (() => void)[] = [];

  constructor(private readonly opts: EngineOptions = {}) {
    this.status = {
      online: typeof navigator === 'undefined' ? true : navigator.onLine !== false,
      syncing: false,
      progress: null,
      lastError: null,
      lastErrorKind: null,
      nextRetryAt: null,
      sessionExpired: false,
      clockWarning: null,
    };
  }

  get db(): AtlasDb {
    return this.opts.db ?? getDb();
  }
  get session(): SessionManager {
    return this.opts.session ?? getSession();
  }
  private get fetchFn(): FetchLike {
    return this.opts.fetch ?? ((u, i) => fetch(u, i));
  }

  // --- status, for useSyncExternalStore -------------------------------------------------------------
  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
  getStatus = (): RuntimeStatus => this.status;
  private set(patch: Partial<RuntimeStatus>) {
    this.status = { ...this.status, ...patch };
    for (const l of this.listeners) l();
  }

  // --- triggers ---------------------------------------------------------------------------------------
  start(): void {
    if (this.started) return;
    this.started = true;
    this.cleanups.push(onLocalWrite(() => this.schedule(this.opts.debounceMs ?? 3_000)));
    this.cleanups.push(
      this.session.onChange(() => {
        void this.session.current().then((s) => {
          // A (new) login: sync now, whatever the last attempt said.
          if (
            s?.status === 'active' &&
            (this.status.sessionExpired ||
              this.status.lastErrorKind === 'not_logged_in' ||
              this.status.lastErrorKind === 'session')
          ) {
            this.set({ sessionExpired: false, lastError: null, lastErrorKind: null });
            this.failures = 0;
            this.schedule(0);
          }
        });
      }),
    );
    if (typeof window !== 'undefined' && typeof window.addEventListener === 'function') {
      const onOnline = () => {
        void this.probeThenSync();
      };
      const onOffline = () => this.set({ online: false });
      window.addEventListener('online', onOnline);
      window.addEventListener('offline', onOffline);
      this.cleanups.push(() => {
        window.removeEventListener('online', onOnline);
        window.removeEventListener('offline', onOffline);
      });
    }
    this.periodic = setInterval(() => {
      if (!this.status.nextRetryAt && !this.status.sessionExpired) this.schedule(0);
    }, this.opts.periodMs ?? 120_000);
    // A short probe first: on a dead link the status says "Hors ligne" within seconds, not after a
    // sync request's own timeout.
    void this.probeThenSync();
  }

  stop(): void {
    this.started = false;
    for (const c of this.cleanups.splice(0)) c();
    if (this.timer) clearTimeout(this.timer);
    if (this.periodic) clearInterval(this.periodic);
    this.timer = null;
    this.periodic = null;
  }

  /** Run a cycle after `delayMs`, unless one is already due sooner. During backoff, not before the retry time. */
  schedule(delayMs: number): void {
    if (!this.started) return;
    const retryAt = this.status.nextRetryAt ? Date.parse(this.status.nextRetryAt) : 0;
    const at = Math.max(Date.now() + delayMs, retryAt);
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        void this.syncNow();
      },
      Math.max(0, at - Date.now()),
    );
  }

  /**
   * Light probe of the server (GET /api/health, short timeout), then a cycle if it answers; if not,
   * the next probe is scheduled with the backoff.
   */
  async probeThenSync(): Promise<boolean> {
    const s = await this.session.current();
    if (!s) return false;
    try {
      await probeServer(this.fetchFn, s.serverUrl);
    } catch (e) {
      const error = e instanceof SyncError ? e : new SyncError('network', MESSAGES.network);
      this.set({ online: false, lastError: error.message, lastErrorKind: error.kind });
      this.scheduleRetry(error);
      return false;
    }
    this.failures = 0;
    this.set({ online: true, nextRetryAt: null });
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    await this.syncNow();
    return true;
  }

  /**
   * Check the copy against the server's digest now (a person asked): a cycle sends what is pending, then
   * an idle cycle carries the digest and repairs what differs. The report's `checked` says the verdict.
   */
  async checkCopy(): Promise<CycleOutcome> {
    for (let i = 0; i < 3; i++) {
      if (this.running) await this.running.catch(() => undefined);
      this.digestAt = 0;
      const out = await this.syncNow();
      if (!out.ok || out.report.checked) return out;
    }
    return this.syncNow();
  }

  /**
   * "Synchroniser maintenant": an attempt right now, whatever the backoff says (and the hold of deletes). While the server is
   * known to be unreachable, or a cycle is still waiting (perhaps on a dead link), a probe first: it
   * answers within seconds, not after a sync request's timeout.
   */
  async retryNow(): Promise<unknown> {
    // Asked in person: deletes still held for their undo are sent too.
    await releaseHolds(this.db).catch((e: unknown) => console.warn('Suppressions retenues non libérées', e));
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const reachable = this.status.online && this.status.lastErrorKind !== 'network' && !this.status.syncing;
    this.failures = Math.min(this.failures, 1);
    this.set({ nextRetryAt: null });
    return reachable ? this.syncNow() : this.probeThenSync();
  }

  /** Next automatic attempt after a retryable failure (probe for network failures), with the backoff. */
  private scheduleRetry(error: SyncError): string | null {
    if (!error.retryable) return null;
    this.failures++;
    const delay = backoffDelay(this.failures, {
      baseMs: this.opts.backoffBaseMs,
      maxMs: this.opts.backoffMaxMs,
      random: this.opts.random,
    });
    const nextRetryAt = new Date(Date.now() + delay).toISOString();
    this.set({ nextRetryAt });
    if (this.started) {
      if (this.timer) clearTimeout(this.timer);
      this.timerAt = Date.parse(nextRetryAt);
      this.timer = setTimeout(() => {
        this.timer = null;
        this.set({ nextRetryAt: null });
        void (error.kind === 'network' ? this.probeThenSync() : this.syncNow());
      }, delay);
    }
    return nextRetryAt;
  }

  /** Run a cycle now (or right after the running one). Never throws: the outcome says what happened. */
  syncNow(): Promise<CycleOutcome> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.cycle().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.schedule(0);
      }
    });
    return this.running;
  }

  private async cycle(): Promise<CycleOutcome> {
    const report: CycleReport = {
      requests: 0,
      sent: 0,
      acknowledged: 0,
      conflicts: 0,
      rejected: 0,
      pulled: 0,
      quarantined: 0,
      requestBytes: [],
      responseChars: [],
      networkMs: 0,
      applyMs: 0,
      checked: null,
      repaired: 0,
      checkedRecords: 0,
    };
    this.set({ syncing: true, progress: { pages: 0, pulled: 0, more: false } });
    try {
      // One cycle at a time per offline copy, even with the app open in several tabs.
      const locks =
        typeof navigator === 'undefined' ? undefined : (navigator as Navigator & { locks?: LockManager }).locks;
      if (locks) await locks.request(`atlas-sync:${this.db.name}`, () => this.runCycle(report));
      else await this.runCycle(report);
      this.failures = 0;
      const at = new Date().toISOString();
      await this.db.syncState.bulkPut([
        { key: 'lastSyncAt', value: at },
        { key: 'lastError', value: null },
      ]);
      this.set({
        syncing: false,
        online: true,
        lastError: report.quarantined ? this.status.lastError : null,
        lastErrorKind: report.quarantined ? 'local' : null,
        nextRetryAt: null,
        sessionExpired: false,
      });
      // A delete held for its undo is sent when its time is up, with no other edit needed to wake the engine.
      const held = await nextHoldEnd(this.db);
      if (held !== null) this.schedule(Math.max(0, held - Date.now()) + 100);
      return { ok: true, report };
    } catch (e) {
      const error =
        e instanceof SyncError
          ? e
          : new SyncError(
              'local',
              'Erreur inattendue pendant la synchronisation. Vos données restent sur ce poste ; nouvel essai automatique.',
            );
      if (!(e instanceof SyncError)) console.error('sync cycle failed', e);
      const message =
        error.kind === 'session'
          ? MESSAGES.sessionExpired
          : error.kind === 'not_logged_in'
            ? MESSAGES.notLoggedIn
            : error.message;
      await this.db.syncState
        .put({ key: 'lastError', value: { message, kind: error.kind, at: new Date().toISOString() } })
        .catch(() => undefined);
      this.set({
        syncing: false,
        lastError: message,
        lastErrorKind: error.kind,
        nextRetryAt: null,
        online: error.kind === 'network' ? false : this.status.online || error.kind !== 'not_json',
        sessionExpired: error.kind === 'session',
      });
      this.scheduleRetry(error);
      return { ok: false, error, report };
    } finally {
      this.set({ syncing: false });
    }
  }

  private async runCycle(report: CycleReport): Promise<void> {
    const s = await this.session.current();
    if (!s) throw new SyncError('not_logged_in', MESSAGES.notLoggedIn);
    if (s.status === 'expired') throw new SyncError('session', MESSAGES.sessionExpired);
    // Known to be offline: stop before freezing the outbox, so unsent deletes stay undoable and edits
    // keep coalescing; the `online` event (and the backoff's probe) start the next cycle.
    if (typeof navigator !== 'undefined' && navigator.onLine === false)
      throw new SyncError('network', MESSAGES.network);
    const db = this.db;
    // While a long pull pages through, the next page is requested as soon as a page arrives and is
    // applied meanwhile: network and IndexedDB work overlap. A prefetched page is used only if the
    // next request would have carried no change; otherwise it is dropped (pull requests change nothing).
    let prefetch: Promise<{ res: SyncResponse; ms: number }> | null = null;
    let mine: ScopeDigest | null = null;
    const pullLimit = this.opts.pullLimit ?? DEFAULT_PULL_LIMIT;
    const startCursor = String((await db.syncState.get('cursor'))?.value ?? '0');
    // A copy kept by an app from before `since` existed is taken as complete at its cursor, once.
    if ((await db.syncState.get('since')) === undefined) await db.syncState.put({ key: 'since', value: startCursor });
    const fresh: ImportTracker | undefined =
      startCursor === '0' && (await isEmptyCopy(db)) ? { written: new Set() } : undefined;
    // A first import builds the copy whole: no need to check it right after.
    if (fresh) this.digestAt = Date.now();
    try {
      for (let i = 0; i < 10_000; i++) {
        const frozen = await freeze(db);
        report.quarantined += frozen.quarantined;
        if (frozen.quarantined)
          this.set({
            lastError:
              'Une modification enregistrée sur ce poste est illisible et a été mise de côté (voir « Modifications refusées »).',
            lastErrorKind: 'local',
          });
        let res: SyncResponse;
        if (prefetch && !frozen.changes.length) {
          const got = await prefetch;
          res = got.res;
          report.networkMs += got.ms;
        } else {
          if (prefetch) await prefetch.catch(() => undefined);
          const { cursor, since } = await readCursors(db);
          // Nothing to send and the copy complete at its cursor: now and then, ask whether it equals the server's.
          mine =
            i === 0 && !frozen.changes.length && !fresh && cursor !== '0' && since === cursor && this.digestDue()
              ? await deviceDigest(db)
              : null;
          const got = await this.timedPost(
            s.serverUrl,
            {
              v: PROTOCOL_VERSION,
              cursor,
              since,
              changes: frozen.changes,
              limit: i === 0 ? pullLimit : this.catchUpLimit(),
              ...(mine ? { digest: mine.top() } : {}),
            },
            report,
          );
          res = got.res;
          report.networkMs += got.ms;
          report.sent += frozen.changes.length;
        }
        prefetch = null;
        report.requests++;
        if (res.more) {
          const { since } = await readCursors(db);
          prefetch = this.timedPost(
            s.serverUrl,
            { v: PROTOCOL_VERSION, cursor: res.cursor, since, changes: [], limit: this.catchUpLimit() },
            report,
          );
          prefetch.catch(() => undefined); // awaited (or dropped) on the next turn
        }
        const clockWarning = clockWarningFor(res.serverTime);
        if (clockWarning !== this.status.clockWarning) this.set({ clockWarning });
        const tApply = performance.now();
        const applied = await applyResponse(db, res, fresh);
        report.applyMs += performance.now() - tApply;
        report.acknowledged += applied.acknowledged;
        report.conflicts += applied.conflicts;
        report.rejected += applied.rejected;
        report.pulled += applied.pulled;
        if (mine && res.digest) {
          if (!res.digest.match && res.digest.buckets)
            await this.repair(s.serverUrl, differingBuckets(mine.buckets(), res.digest.buckets), report);
          report.checked = res.digest.match ? 'match' : 'repaired';
          report.checkedRecords = mine.records;
          this.digestAt = Date.now();
        }
        mine = null;
        const prev = this.status.progress ?? { pages: 0, pulled: 0, more: false };
        const pulled = prev.pulled + res.changes.length;
        const known = prev.total ?? null;
        this.set({
          online: true,
          progress: {
            pages: prev.pages + 1,
            pulled,
            more: res.more,
            total:
              res.remaining !== undefined ? pulled + res.remaining : known === null ? null : Math.max(known, pulled),
          },
        });
        if (!res.more && !(await hasSendable(db))) return;
        // Sent changes without a result would be resent forever: stop, the next cycle retries them.
        if (!res.more && frozen.changes.length && applied.acknowledged + applied.conflicts + applied.rejected === 0)
          return;
      }
    } finally {
      if (prefetch) await prefetch.catch(() => undefined);
    }
  }

  private digestAt = 0;
  private digestDue(): boolean {
    return Date.now() - this.digestAt >= (this.opts.digestEveryMs ?? DIGEST_EVERY_MS);
  }

  /** Ask again, whole, for the buckets whose digests differ from the server's, a few at a time. */
  private async repair(serverUrl: string, buckets: number[], report: CycleReport): Promise<void> {
    for (let i = 0; i < buckets.length; i += MAX_REPAIR_BUCKETS) {
      const { cursor, since } = await readCursors(this.db);
      const { res, ms } = await this.timedPost(
        serverUrl,
        { v: PROTOCOL_VERSION, cursor, since, changes: [], repair: buckets.slice(i, i + MAX_REPAIR_BUCKETS) },
        report,
      );
      report.networkMs += ms;
      report.requests++;
      await applyResponse(this.db, res);
      if (res.repair) report.repaired += await applyRepair(this.db, res.repair.buckets, res.repair.changes);
    }
  }

  /** Pages after the first one of a cycle: a device catching up takes bigger steps. */
  private catchUpLimit(): number {
    return Math.max(
      this.opts.pullLimit ?? DEFAULT_PULL_LIMIT,
      Math.min(MAX_PULL_LIMIT, this.opts.catchUpLimit ?? MAX_PULL_LIMIT),
    );
  }

  private async timedPost(
    serverUrl: string,
    body: SyncRequest,
    report: CycleReport,
  ): Promise<{ res: SyncResponse; ms: number }> {
    const t = performance.now();
    const res = await this.post(serverUrl, body, report);
    return { res, ms: performance.now() - t };
  }

  private async post(serverUrl: string, body: SyncRequest, report: CycleReport): Promise<SyncResponse> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.session.token();
      const stats: SentStats = { requestBytes: 0 };
      try {
        const res = await call(
          syncEndpoints.sync,
          { body },
          {
            serverUrl,
            fetch: this.fetchFn,
            token,
            compressAbove: this.opts.compressAbove ?? 1_024,
            timeoutMs: SYNC_HEADERS_TIMEOUT_MS,
            idleTimeoutMs: SYNC_IDLE_TIMEOUT_MS,
            stats,
          },
        );
        report.requestBytes.push(stats.requestBytes);
        report.responseChars.push(stats.responseChars ?? 0);
        return res;
      } catch (e) {
        if (e instanceof SyncError && e.kind === 'token_expired' && attempt === 0) {
          this.session.dropAccessToken();
          await this.session.refresh();
          continue;
        }
        if (e instanceof SyncError && e.kind === 'session') await this.session.expire();
        throw e;
      }
    }
  }
}

/** The pull cursor, and `since`: the cursor from which the copy is complete (SyncRequest.since). */
async function readCursors(db: AtlasDb): Promise<{ cursor: string; since: string }> {
  const cursor = String((await db.syncState.get('cursor'))?.value ?? '0');
  return { cursor, since: String((await db.syncState.get('since'))?.value ?? '0') };
}

/** No record and no server version at all (record rows carry their server version since schema v3). */
export async function isEmptyCopy(db: AtlasDb): Promise<boolean> {
  return !(await db.meta.count()) && !(await db.packs.count()) && !(await db.loose.count());
}

let defaultEngine: SyncEngine | null = null;
export function getSyncEngine(): SyncEngine {
  defaultEngine ??= new SyncEngine();
  return defaultEngine;
}

/** The app's engine. */
export const syncEngine = {
  start: () => getSyncEngine().start(),
  stop: () => getSyncEngine().stop(),
  syncNow: () => getSyncEngine().syncNow(),
  checkCopy: () => getSyncEngine().checkCopy(),
  /** The "Synchroniser maintenant" button: now, even during a backoff or a cycle. */
  retryNow: () => getSyncEngine().retryNow(),
};
