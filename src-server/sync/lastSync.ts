// Last successful sync of each device, for the account list (DAECT, SGAR): written to `devices.last_sync_at`
// at most once a minute per device, so that the no-op cycles that answer without touching the database
// (docs/architecture.md, watermark) stay so between two writes. The list is thus right to the minute.
// In memory: one server process writes the database (like the token epochs).
import type { Queryable } from '../db/driver';

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
