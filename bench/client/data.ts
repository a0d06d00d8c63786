// The national demo data for the client benchmark: seeded once into a PGlite folder kept between
// runs (or into PostgreSQL when DATABASE_URL is set), then served by the real server.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer, type ServerHandle } from '../../src-server/app';
import { loadConfig, type ServerConfig } from '../../src-server/config';
import { isEmpty, seedNational } from '../../src-server/seed';

export const NATIONAL_DIR = process.env.BENCH_DATA_DIR ?? path.join(os.tmpdir(), 'atlas-bench-client-national');

/** The server's settings for a bench: its data in `dataDir`, the built app served from `appDir` or none. */
export function benchConfig(dataDir = NATIONAL_DIR, appDir: string | null = null): ServerConfig {
  const base = loadConfig({
    ...process.env,
    LOG_LEVEL: 'warn',
    SEED_DEMO: '0',
    AUTH_RATE_LIMIT: '10000',
    CNCD_DATA_DIR: dataDir,
    PORT: '0',
  });
  return { ...base, appDir: appDir && path.resolve(appDir) };
}

/**
 * Start the server on the national data, seeding it first if the folder (or database) is empty. A bench
 * that loads the app passes `appDir`; one that keeps its own copy (more data added by `prepare`, which
 * runs before the server listens), its own `dataDir`.
 */
export async function startNationalServer(
  log: (s: string) => void = console.error,
  opts: { dataDir?: string; appDir?: string; prepare?: (handle: ServerHandle) => Promise<void> } = {},
): Promise<{ handle: ServerHandle; url: string; seededNow: boolean }> {
  const dataDir = opts.dataDir ?? NATIONAL_DIR;
  fs.mkdirSync(dataDir, { recursive: true });
  const handle = await createServer(benchConfig(dataDir, opts.appDir ?? null));
  const { db, sync, auth } = handle.app.cncd;
  let seededNow = false;
  if (await isEmpty(db)) {
    log(
      'Seeding the national demo data (once; kept in ' + (process.env.DATABASE_URL ? 'DATABASE_URL' : dataDir) + ')…',
    );
    const t0 = Date.now();
    await seedNational(db, sync.revs, auth);
    log(`seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    seededNow = true;
  }
  await opts.prepare?.(handle);
  const url = await handle.listen({ port: 0, host: '127.0.0.1' });
  return { handle, url, seededNow };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const { handle, url } = await startNationalServer();
  console.log(`national data ready, server was at ${url}`);
  await handle.close();
}
