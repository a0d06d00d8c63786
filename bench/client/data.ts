// The national demo data for the client benchmark: seeded once into a PGlite folder kept between
// runs (or into PostgreSQL when DATABASE_URL is set), then served by the real server.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer, type ServerHandle } from '../../src-server/app';
import { loadConfig, type ServerConfig } from '../../src-server/config';
import { isEmpty, seedNational } from '../../src-server/seed';

export const NATIONAL_DIR = process.env.BENCH_DATA_DIR ?? path.join(os.tmpdir(), 'atlas-bench-client-national');

export function benchConfig(): ServerConfig {
  const base = loadConfig({
    ...process.env,
    LOG_LEVEL: 'warn',
    SEED_DEMO: '0',
    AUTH_RATE_LIMIT: '10000',
    CNCD_DATA_DIR: NATIONAL_DIR,
    PORT: '0',
  });
  return { ...base, appDir: null };
}

/** Start the server on the national data, seeding it first if the folder (or database) is empty. */
export async function startNationalServer(
  log: (s: string) => void = console.error,
): Promise<{ handle: ServerHandle; url: string; seededNow: boolean }> {
  fs.mkdirSync(NATIONAL_DIR, { recursive: true });
  const handle = await createServer(benchConfig());
  const { db, sync, auth } = handle.app.cncd;
  let seededNow = false;
  if (await isEmpty(db)) {
    log(
      'Seeding the national demo data (once; kept in ' +
        (process.env.DATABASE_URL ? 'DATABASE_URL' : NATIONAL_DIR) +
        ')…',
    );
    const t0 = Date.now();
    await seedNational(db, sync.revs, auth);
    log(`seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    seededNow = true;
  }
  const url = await handle.listen({ port: 0, host: '127.0.0.1' });
  return { handle, url, seededNow };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const { handle, url } = await startNationalServer();
  console.log(`national data ready, server was at ${url}`);
  await handle.close();
}
