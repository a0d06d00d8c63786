// Starts a real CNCD server for a test file: PGlite in memory, or a fresh PostgreSQL database
// (created and dropped here) when DATABASE_URL points at a PostgreSQL admin database.
import crypto from 'node:crypto';
import { createServer, type ServerHandle, type ServerInternals } from '../../../src-server/app';
import { loadConfig } from '../../../src-server/config';
import { seedSmall } from '../../../src-server/seed';
import type { DemoData } from '../../../src-server/seed/generate';
import { collectiviteId } from '../../../src-shared/sync/ids';
import { loadOfficialCollectivites } from '../../../src-server/reference/officialCollectivites';
import { createPgDatabase } from '../../support/server-process';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  collectiviteId: string | null;
}

export interface TestServer {
  url: string;
  close(): Promise<void>;
  createUser(opts: {
    role: 'agent' | 'sgar' | 'daect';
    collectiviteCode?: string;
    region?: string;
    email?: string;
    password?: string;
  }): Promise<TestUser>;
  /** Server internals (database, services) for tests that look behind the API. */
  internals: ServerInternals;
  /** The records of the `small` seed (empty arrays for `none`). */
  data: DemoData | null;
  handle: ServerHandle;
}

export interface StartOptions {
  seed?: 'none' | 'small';
  smtpPort?: number;
  serveApp?: boolean;
  /** Extra environment for loadConfig (e.g. AUTH_RATE_LIMIT). */
  env?: NodeJS.ProcessEnv;
}

let userCounter = 0;

export async function startTestServer(opts: StartOptions = {}): Promise<TestServer> {
  const adminUrl = process.env.DATABASE_URL || null;
  const pgDb = adminUrl ? await createPgDatabase(adminUrl, 'atlas_test') : null;
  const config = loadConfig({
    CNCD_DATA_DIR: ':memory:',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    AUTH_RATE_LIMIT: '1000',
    PORT: '0',
    SEED_DEMO: '0',
    ...(pgDb ? { DATABASE_URL: pgDb.url } : {}),
    ...(opts.smtpPort ? { SMTP_URL: `smtp://127.0.0.1:${opts.smtpPort}?ignoreTLS=true` } : {}),
    ...(opts.serveApp ? {} : { CNCD_APP_DIR: '/nonexistent-app-dir' }),
    ...opts.env,
  });
  const handle = await createServer(config);
  const internals = handle.app.cncd;
  let data: DemoData | null = null;
  if (opts.seed === 'small') data = await seedSmall(internals.db, internals.sync.revs);
  const url = await handle.listen({ port: 0, host: '127.0.0.1' });
  const index = new Map(loadOfficialCollectivites().map((c) => [c.code, c]));
  return {
    url,
    internals,
    data,
    handle,
    async close() {
      await handle.close();
      if (pgDb) await pgDb.drop();
    },
    async createUser(o) {
      const n = ++userCounter;
      const email = o.email ?? `${o.role}.${n}.${crypto.randomBytes(3).toString('hex')}@test.atlas.gouv.fr`;
      const password = o.password ?? `mot-de-passe-test-${n}`;
      let cid: string | null = null;
      let region: string | null = o.region ?? null;
      if (o.role === 'agent') {
        const code = o.collectiviteCode ?? 'commune:22278';
        cid = await internals.auth.ensureCollectivite(code);
        region = index.get(code)?.region ?? null;
      }
      if (o.role === 'sgar') region ??= '53';
      const id = await internals.auth.createUser({
        role: o.role,
        email,
        password,
        nom: `Utilisateur test ${n}`,
        collectiviteId: cid,
        region: o.role === 'sgar' ? region : null,
      });
      return {
        id,
        email,
        password,
        collectiviteId: cid ?? (o.collectiviteCode ? collectiviteId(o.collectiviteCode) : null),
      };
    },
  };
}
