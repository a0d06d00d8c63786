// Per-account token epochs: access tokens carry the epoch they were signed under (claim `ep`); ending
// every session of an account (disable, logout, reuse detection, password reset) bumps it, and any older
// token is refused on its next request. Checked in memory, without a database round trip: only accounts
// bumped within the access-token lifetime are kept (an older token has expired by itself anyway).
// One server process writes the database (docs/architecture.md); several would need to share bumps.
import type { Queryable } from '../db/driver';

export class TokenEpochs {
  private bumped = new Map<string, { epoch: number; until: number }>();
  constructor(
    private readonly accessTtlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Loads the recent bumps at start. */
  async load(q: Queryable): Promise<void> {
    const rows = await q.query<{ id: string; token_epoch: number; at: number }>(
      `SELECT id, token_epoch, (extract(epoch FROM token_epoch_at) * 1000)::float8 AS at FROM users
       WHERE token_epoch_at > now() - make_interval(secs => $1)`,
      [this.accessTtlSeconds],
    );
    for (const r of rows)
      this.bumped.set(r.id, { epoch: Number(r.token_epoch), until: Number(r.at) + this.accessTtlSeconds * 1000 });
  }

  /** True when a token of this account and epoch was signed before its sessions were ended. */
  revoked(userId: string, epoch: number | undefined): boolean {
    const b = this.bumped.get(userId);
    if (!b) return false;
    if (b.until < this.now()) {
      this.bumped.delete(userId);
      return false;
    }
    return (epoch ?? 0) < b.epoch;
  }

  /** Ends every access token of the account signed until now. Call outside (after) transactions. */
  async bump(q: Queryable, userId: string): Promise<number> {
    const rows = await q.query<{ token_epoch: number }>(
      'UPDATE users SET token_epoch = token_epoch + 1, token_epoch_at = now() WHERE id = $1 RETURNING token_epoch',
      [userId],
    );
    const epoch = Number(rows[0]?.token_epoch ?? 0);
    this.bumped.set(userId, { epoch, until: this.now() + this.accessTtlSeconds * 1000 });
    return epoch;
  }
}
