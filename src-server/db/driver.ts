// One query layer over both drivers: PostgreSQL (pg) when DATABASE_URL is set, PGlite otherwise.
// Plain parameterised SQL, the same on both; int8 comes back as a JS number on both.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import pg from 'pg';
import { lockDataDir } from './lock';

export type Row = Record<string, unknown>;

export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Db extends Queryable {
  kind: 'postgres' | 'pglite';
  /** Runs fn in a transaction (one connection); rolls back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs a multi-statement script (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

const int8 = (v: string) => {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
};

async function openPglite(dataDir: string | null): Promise<Db> {
  const release = dataDir ? lockDataDir(dataDir) : () => {};
  let db: PGlite;
  try {
    db = dataDir
      ? new PGlite(path.join(dataDir, 'pgdata'), { parsers: { [pgliteTypes.INT8]: int8 } })
      : new PGlite({ parsers: { [pgliteTypes.INT8]: int8 } });
    await db.waitReady;
  } catch (e) {
    release();
    throw e;
  }
  // PGlite is one connection: queries outside a transaction must wait for a running transaction.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = chain.then(fn, fn);
    chain = p.catch(() => undefined);
    return p;
  };
  return {
    kind: 'pglite',
    query: <T extends Row>(sql: string, params: unknown[] = []) =>
      serial(async () => (await db.query<T>(sql, params)).rows),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) =>
      serial(() =>
        db.transaction(async (tx) =>
          fn({
            query: async <R extends Row>(sql: string, params: unknown[] = []) => (await tx.query<R>(sql, params)).rows,
          }),
        ),
      ),
    exec: (sql) =>
      serial(async () => {
        await db.exec(sql);
      }),
    close: async () => {
      await chain.catch(() => undefined);
      await db.close();
      release();
    },
  };
}

async function openPostgres(url: string, poolSize = 10): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === 20 ? int8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  await pool.query('SELECT 1');
  // Named (server-side prepared) statements: the sync's hot queries are planned once per connection.
  const names = new Map<string, string>();
  const named = (sql: string) => {
    let n = names.get(sql);
    if (!n) {
      n = `s${names.size}`;
      if (names.size < 2_000) names.set(sql, n);
      else return undefined;
    }
    return n;
  };
  const run = (c: pg.Pool | pg.PoolClient, sql: string, params: unknown[]) =>
    c.query({ name: params.length && params.length <= 200 ? named(sql) : undefined, text: sql, values: params });
  return {
    kind: 'postgres',
    query: async <T extends Row>(sql: string, params: unknown[] = []) => (await run(pool, sql, params)).rows as T[],
    transaction: async <T>(fn: (tx: Queryable) => Promise<T>) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn({
          query: async <R extends Row>(sql: string, params: unknown[] = []) =>
            (await run(client, sql, params)).rows as R[],
        });
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    exec: async (sql) => {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Applies the SQL files of migrations/ not yet applied, in name order, each in a transaction. */
export async function migrate(db: Db): Promise<string[]> {
  await db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
  );
  const files = fs
    .readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const applied: string[] = [];
  for (const file of files) {
    const sql = fs.readFileSync(path.join(MIGRATIONS_DIR, file), 'utf8');
    const done = await db.transaction(async (tx) => {
      // Two servers starting on one PostgreSQL database: the second waits, then sees the migration done.
      if (db.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock(727274)');
      const rows = await tx.query('SELECT 1 FROM schema_migrations WHERE name = $1', [file]);
      if (rows.length) return false;
      for (const stmt of splitSql(sql)) await tx.query(stmt);
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
      return true;
    });
    if (done) applied.push(file);
  }
  return applied;
}

/** Splits a migration script into statements (no semicolons inside our literals or bodies). */
function splitSql(sql: string): string[] {
  return sql
    .split('\n')
    .filter((l) => !l.trim().startsWith('--'))
    .join('\n')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
}

export async function openDb(opts: {
  databaseUrl: string | null;
  dataDir: string | null;
  poolSize?: number;
}): Promise<Db> {
  const db = opts.databaseUrl ? await openPostgres(opts.databaseUrl, opts.poolSize) : await openPglite(opts.dataDir);
  try {
    await migrate(db);
  } catch (e) {
    await db.close();
    throw e;
  }
  return db;
}
