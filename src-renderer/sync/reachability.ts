// Reachability of the server, for the sync engine: how long to wait before the next attempt, and how
// long a request may stay silent. A link that swallows packets never fails by itself, so every wait
// has a limit; a long transfer is not cut while bytes keep coming (inactivity, not total time).
import { authEndpoints } from '../../src-shared/api/auth';
import { call } from '../api/http';
import type { FetchLike } from '../api/http';

/** A probe is one tiny GET: an answer that takes longer means the link is as good as dead. */
const PROBE_TIMEOUT_MS = 4_000;
/** A sync request: time allowed for the response to start, then between two pieces of its body. */
export const SYNC_HEADERS_TIMEOUT_MS = 30_000;
export const SYNC_IDLE_TIMEOUT_MS = 30_000;

const BACKOFF_BASE_MS = 2_000;
/** Capped near 30 s: when the server comes back, a device notices within about that much. */
export const BACKOFF_MAX_MS = 30_000;

export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
  random?: () => number;
}

/**
 * Wait before attempt `failures + 1` (failures ≥ 1): exponential from `baseMs`, capped at `maxMs`,
 * with "equal jitter" (between half and all of the step) so devices coming back together spread out.
 */
export function backoffDelay(failures: number, opts: BackoffOptions = {}): number {
  const base = opts.baseMs ?? BACKOFF_BASE_MS;
  const max = opts.maxMs ?? BACKOFF_MAX_MS;
  const step = Math.min(max, base * 2 ** Math.max(0, Math.min(failures - 1, 30)));
  return step / 2 + (opts.random ?? Math.random)() * (step / 2);
}

/** GET /api/health with a short timeout. Throws the request's SyncError when the server does not answer. */
export async function probeServer(fetchFn: FetchLike, serverUrl: string): Promise<void> {
  await call(
    authEndpoints.health,
    {},
    { serverUrl, fetch: fetchFn, timeoutMs: PROBE_TIMEOUT_MS, idleTimeoutMs: PROBE_TIMEOUT_MS },
  );
}

/** "Nouvelle tentative dans 12 s" / "dans 1 min 05 s" / "Nouvelle tentative imminente". */
export function retryLabel(nextRetryAt: string | null, now = Date.now()): string | null {
  if (!nextRetryAt) return null;
  const s = Math.ceil((Date.parse(nextRetryAt) - now) / 1000);
  if (!(s > 0)) return 'Nouvelle tentative imminente';
  if (s < 60) return `Nouvelle tentative dans ${s}\u00a0s`;
  return `Nouvelle tentative dans ${Math.floor(s / 60)}\u00a0min\u00a0${String(s % 60).padStart(2, '0')}\u00a0s`;
}
