// Short-lived access tokens: HMAC-SHA256 signed, checked without a database round trip, and ended early
// through the account's token epoch (below).
import crypto from 'node:crypto';
import { z } from 'zod';
import { ROLES, type Role } from '../../src-shared/domain/roles';
import type { Queryable } from '../db/driver';

export interface AccessClaims {
  /** user id */
  sub: string;
  role: Role;
  /** collectivité id (agent) */
  cid: string | null;
  /** région code (sgar; informative for agents) */
  reg: string | null;
  /** device id */
  dev: string;
  /** expiry, seconds since epoch */
  exp: number;
  /** the account's token epoch when signed (absent in tokens of older servers: 0); see TokenEpochs */
  ep?: number;
}

/**
 * The claims as the server signs them. A signature proves who made a token, not that its content is
 * well formed (a leaked or mishandled secret, an older format): the claims are parsed like any input.
 * Loose: claims added later pass through.
 */
export const accessClaims = z.looseObject({
  sub: z.uuid(),
  role: z.enum(ROLES),
  cid: z.uuid().nullable(),
  reg: z
    .string()
    .regex(/^[0-9A-Za-z]{1,10}$/)
    .nullable(),
  dev: z.uuid(),
  exp: z.number().int().nonnegative(),
  lbl: z.string().max(200).optional(),
});

export class TokenError extends Error {
  constructor(readonly code: 'TOKEN_EXPIRED' | 'TOKEN_INVALID') {
    super(code === 'TOKEN_EXPIRED' ? 'Votre session a expiré : reconnexion nécessaire.' : 'Jeton d’accès invalide.');
  }
}

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export function signAccess(secret: Buffer, claims: AccessClaims): string {
  const payload = b64(JSON.stringify(claims));
  const sig = crypto.createHmac('sha256', secret).update(payload).digest('base64url');
  return `${payload}.${sig}`;
}

export function verifyAccess(secret: Buffer, token: string, now = Date.now()): AccessClaims {
  const dot = token.indexOf('.');
  if (dot <= 0 || token.length > 2_000) throw new TokenError('TOKEN_INVALID');
  const payload = token.slice(0, dot);
  const sig = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = crypto.createHmac('sha256', secret).update(payload).digest();
  if (sig.length !== expected.length || !crypto.timingSafeEqual(sig, expected)) throw new TokenError('TOKEN_INVALID');
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new TokenError('TOKEN_INVALID');
  }
  const parsed = accessClaims.safeParse(raw);
  if (!parsed.success) throw new TokenError('TOKEN_INVALID');
  const claims = parsed.data as AccessClaims & z.infer<typeof accessClaims>;
  if (claims.exp * 1000 <= now) throw new TokenError('TOKEN_EXPIRED');
  return claims;
}

/** Opaque random token (refresh, e-mail links) and the hash under which it is stored. */
export function randomToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}
export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

// Per-account token epochs: access tokens carry the epoch they were signed under (claim `ep`); ending
// every session of an account (disable, logout, reuse detection, password reset) bumps it, and any older
// token is refused on its next request. Checked in memory, without a database round trip: only accounts
// bumped within the access-token lifetime are kept (an older token has expired by itself anyway).
// One server process writes the database (docs/architecture.md); several would need to share bumps.

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
