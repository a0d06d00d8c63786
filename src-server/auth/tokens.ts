// Short-lived access tokens: HMAC-SHA256 signed, checked without a database round trip.
import crypto from 'node:crypto';
import { z } from 'zod';
import { ROLES, type Role } from '../../src-shared/domain/roles';

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
  /** the account's token epoch when signed (absent in tokens of older servers: 0); see epochs.ts */
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
