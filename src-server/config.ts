// Server configuration from environment variables (documented in the README).
import net from 'node:net';
import path from 'node:path';

export interface ServerConfig {
  port: number;
  host: string;
  /** PGlite folder (embedded default); null = in memory (tests). Ignored when databaseUrl is set. */
  dataDir: string | null;
  /** postgres://… selects PostgreSQL. */
  databaseUrl: string | null;
  /** PostgreSQL connection pool size. */
  dbPoolSize?: number;
  publicUrl: string;
  /** False when PUBLIC_URL was not given: the URL the server listens on is used in mails. */
  publicUrlExplicit?: boolean;
  /** smtp://… ; without it mails are written as .eml files under <dataDir>/mail (or mailDir). */
  smtpUrl: string | null;
  mailDir: string | null;
  /** Also print one plain French line on the console for each mail written to a file (`npm start`, whose log level hides it). */
  mailToConsole?: boolean;
  mailFrom: string;
  /**
   * The server's Ed25519 signing key (snapshots, device certificates), PKCS#8 in base64
   * (ATLAS_SIGNING_KEY); generated and kept in the database (table server_signing_key) when not given.
   */
  signingKey?: string | null;
  /** HMAC secret of access tokens; generated and kept in the database (table server_meta, inside the PGlite data folder by default) when not given. */
  tokenSecret: string | null;
  accessTtlSeconds: number;
  refreshTtlDays: number;
  /** Folder of the built app (served with a SPA fallback when present). */
  appDir: string | null;
  /** Max request body, bytes (after decompression). */
  bodyLimit: number;
  logLevel: string;
  /** Rate limits (per IP, per minute) for login, reset and account requests. */
  authRateLimit: number;
  /** Rate limit (per IP, per minute) of the open-data API for re-users (/api/public/). */
  publicRateLimit: number;
  /** Seconds the open-data files may lag behind a synced edit while their next version is built. */
  openDataMaxStaleSeconds: number;
  /** Seed the demo data when the database is empty (npm run server). */
  seedDemoWhenEmpty: boolean;
  /** Addresses (IPs or CIDR ranges) of the reverse proxies whose X-Forwarded-For is believed; empty = none. */
  trustProxy: string[];
  /** Failed logins per account: free tries, then waits doubling from base up to max (seconds). */
  loginFreeTries: number;
  loginDelayBaseSeconds: number;
  loginDelayMaxSeconds: number;
  /** Mails (password reset, account request) per target address and hour. */
  mailPerAddressPerHour: number;
  /** A rotated refresh token presented again within this many seconds gets the same new pair. */
  refreshGraceSeconds: number;
}

/** `TRUST_PROXY=127.0.0.1,10.0.0.0/8`: each entry an IP address or a CIDR range (checked at start). */
export function parseTrustProxy(v: string | undefined): string[] {
  if (!v || !v.trim()) return [];
  return v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
    .map((entry) => {
      const [addr, bits, ...rest] = entry.split('/');
      const family = net.isIP(addr ?? '');
      const max = family === 4 ? 32 : 128;
      const okBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= max);
      if (!family || !okBits || rest.length)
        throw new Error(`TRUST_PROXY : « ${entry} » n’est ni une adresse IP ni une plage CIDR.`);
      return entry;
    });
}

function int(v: string | undefined, def: number): number {
  if (v === undefined || v === '') return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`Valeur entière attendue, reçu « ${v} ».`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = int(env.PORT, 8787);
  const host = env.HOST || '127.0.0.1';
  const databaseUrl = env.DATABASE_URL || null;
  const dataDir = env.CNCD_DATA_DIR === ':memory:' ? null : path.resolve(env.CNCD_DATA_DIR || './data/cncd');
  return {
    port,
    host,
    dataDir,
    databaseUrl,
    // Small on purpose: measured on 2 cores, 4 connections gave a far better p99 than 10 (less contention in PostgreSQL).
    dbPoolSize: int(env.DB_POOL_SIZE, 4),
    publicUrl: (env.PUBLIC_URL || `http://${host}:${port}`).replace(/\/+$/, ''),
    publicUrlExplicit: !!env.PUBLIC_URL,
    smtpUrl: env.SMTP_URL || null,
    mailDir: env.CNCD_MAIL_DIR || null,
    mailToConsole: env.CNCD_MAIL_CONSOLE === '1',
    mailFrom: env.MAIL_FROM || 'Atlas de la coopération décentralisée <ne-pas-repondre@atlas.gouv.fr>',
    tokenSecret: env.CNCD_TOKEN_SECRET || null,
    signingKey: env.ATLAS_SIGNING_KEY?.trim() || null,
    accessTtlSeconds: int(env.ACCESS_TOKEN_TTL, 15 * 60),
    refreshTtlDays: int(env.REFRESH_TOKEN_TTL_DAYS, 60),
    appDir: env.CNCD_APP_DIR ? path.resolve(env.CNCD_APP_DIR) : path.resolve('out/renderer'),
    bodyLimit: int(env.BODY_LIMIT, 8 * 1024 * 1024),
    logLevel: env.LOG_LEVEL || 'info',
    authRateLimit: int(env.AUTH_RATE_LIMIT, 10),
    publicRateLimit: int(env.PUBLIC_API_RATE_LIMIT, 600),
    openDataMaxStaleSeconds: int(env.OPEN_DATA_MAX_STALE_SECONDS, 30),
    seedDemoWhenEmpty: env.SEED_DEMO !== '0',
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    loginFreeTries: int(env.LOGIN_FREE_TRIES, 5),
    loginDelayBaseSeconds: int(env.LOGIN_DELAY_BASE_SECONDS, 30),
    loginDelayMaxSeconds: int(env.LOGIN_DELAY_MAX_SECONDS, 15 * 60),
    mailPerAddressPerHour: int(env.MAIL_PER_ADDRESS_PER_HOUR, 5),
    refreshGraceSeconds: int(env.REFRESH_GRACE_SECONDS, 30),
  };
}
