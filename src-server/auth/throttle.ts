// Per-account and per-address limits, in memory (one server process writes the database, see
// docs/architecture.md). Keys are hashes of the normalised e-mail, whether an account exists or not,
// so a throttled answer never tells whether an address has an account.
import crypto from 'node:crypto';
import { HttpError } from '../httpError';

/** A 429 with the seconds to wait (sent as Retry-After by the error handler). */
export class ThrottledError extends HttpError {
  constructor(
    readonly retryAfterSeconds: number,
    what: string,
  ) {
    super(429, 'RATE_LIMITED', `${what} : réessayez ${inDelay(retryAfterSeconds)}.`);
  }
}

function inDelay(seconds: number): string {
  if (seconds < 60) return `dans ${seconds}\u00a0seconde${seconds > 1 ? 's' : ''}`;
  const minutes = Math.ceil(seconds / 60);
  return `dans ${minutes}\u00a0minute${minutes > 1 ? 's' : ''}`;
}

export const keyOf = (...parts: string[]) =>
  crypto.createHash('sha256').update(parts.join('\u0000')).digest('base64url');

type Clock = () => number;
const MAX_ENTRIES = 100_000;

/**
 * Failed logins of one key: `freeTries` failures cost nothing, then each further failure makes the
 * next try wait base, 2×base, 4×base… up to max. Tries during a wait are refused without counting,
 * so an attacker cannot push the wait beyond max; a success forgets the key.
 */
export class FailureThrottle {
  private entries = new Map<string, { failures: number; blockedUntil: number; last: number }>();
  constructor(private readonly o: { freeTries: number; baseMs: number; maxMs: number; now?: Clock }) {}
  private now() {
    return (this.o.now ?? Date.now)();
  }

  /** Milliseconds before the key may try again (0: now). */
  waitMs(key: string): number {
    const e = this.entries.get(key);
    if (!e) return 0;
    const now = this.now();
    // Forgotten a day after its last failure: old mistakes do not add up.
    if (now - e.last > 24 * 3600_000) {
      this.entries.delete(key);
      return 0;
    }
    return Math.max(0, e.blockedUntil - now);
  }

  fail(key: string): void {
    const now = this.now();
    const e = this.entries.get(key) ?? { failures: 0, blockedUntil: 0, last: now };
    e.failures++;
    e.last = now;
    if (e.failures >= this.o.freeTries) {
      e.blockedUntil = now + Math.min(this.o.maxMs, this.o.baseMs * 2 ** (e.failures - this.o.freeTries));
    }
    this.entries.delete(key);
    this.entries.set(key, e);
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
  }

  succeed(key: string): void {
    this.entries.delete(key);
  }
}

/** At most `max` events per key within `windowMs` (sliding window). */
export class WindowLimit {
  private entries = new Map<string, number[]>();
  constructor(private readonly o: { max: number; windowMs: number; now?: Clock }) {}

  /** Counts one event; returns the milliseconds to wait when over the limit (the event is then not counted). */
  take(key: string): number {
    const now = (this.o.now ?? Date.now)();
    const times = (this.entries.get(key) ?? []).filter((t) => now - t < this.o.windowMs);
    if (times.length >= this.o.max) {
      this.entries.set(key, times);
      return times[0]! + this.o.windowMs - now;
    }
    times.push(now);
    this.entries.delete(key);
    this.entries.set(key, times);
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    return 0;
  }
}

export const toSeconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
