// Starts, SIGKILLs and restarts the CNCD server as a child process (test/support/server-child.ts) on
// the same data: a PGlite folder, or a fresh PostgreSQL database when a DATABASE_URL is given.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { ChildUser } from './server-child';

const CHILD = path.join(path.dirname(new URL(import.meta.url).pathname), 'server-child.ts');

export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A fresh PostgreSQL database under the admin URL (dropped by `drop`). */
export async function createPgDatabase(
  adminUrl: string,
  prefix = 'atlas_chaos',
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: () => dropPgDatabase(adminUrl, name),
  };
}

/**
 * Drops a test database, ending the connections left on it. FORCE must be allowed to signal every
 * backend there, and an autovacuum worker runs as the superuser, which a test role without
 * pg_signal_backend may not signal (42501): then a plain DROP, which stops autovacuum itself, retried
 * while the database is still in use.
 */
export async function dropPgDatabase(adminUrl: string, name: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    try {
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      return;
    } catch (e) {
      if ((e as { code?: string }).code !== '42501') throw e;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name}`);
        return;
      } catch (e) {
        if ((e as { code?: string }).code !== '55006' || attempt >= 50) throw e;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  } finally {
    await c.end();
  }
}

export interface ServerProcessOptions {
  users: ChildUser[];
  /** PostgreSQL admin URL: a fresh database is made under it; without it, a PGlite folder in /tmp. */
  adminDatabaseUrl?: string | null;
  env?: NodeJS.ProcessEnv;
  /** Milliseconds to wait for READY (PGlite's first start with migrations is slow on busy cores). */
  startTimeoutMs?: number;
}

export class ServerProcess {
  readonly port: number;
  kills = 0;
  starts = 0;
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private log: string[] = [];

  private constructor(
    port: number,
    private readonly env: NodeJS.ProcessEnv,
    private readonly cleanup: () => Promise<void>,
    private readonly timeoutMs: number,
    /** Where the data lives: the PGlite folder or the PostgreSQL URL. */
    readonly data: { dataDir: string | null; databaseUrl: string | null },
  ) {
    this.port = port;
  }

  static async create(opts: ServerProcessOptions): Promise<ServerProcess> {
    const port = await freePort();
    const pgDb = opts.adminDatabaseUrl ? await createPgDatabase(opts.adminDatabaseUrl) : null;
    const dataDir = pgDb ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-chaos-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      CHAOS_USERS: JSON.stringify(opts.users),
      ...(pgDb ? { DATABASE_URL: pgDb.url, CNCD_DATA_DIR: '' } : { DATABASE_URL: '', CNCD_DATA_DIR: dataDir! }),
      ...opts.env,
    };
    const cleanup = async () => {
      if (pgDb) await pgDb.drop();
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    };
    return new ServerProcess(port, env, cleanup, opts.startTimeoutMs ?? 180_000, {
      dataDir,
      databaseUrl: pgDb?.url ?? null,
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  get running(): boolean {
    return this.child !== null;
  }
  get pid(): number | null {
    return this.child?.pid ?? null;
  }
  /** The last lines the child printed (for a failure message). */
  get lastLog(): string {
    return this.log.slice(-20).join('');
  }

  async start(): Promise<void> {
    if (this.child) throw new Error('server already running');
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.starts++;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    void this.exited.then(() => {
      if (this.child === child) this.child = null;
    });
    const keep = (b: Buffer) => {
      this.log.push(b.toString());
      if (this.log.length > 200) this.log.shift();
    };
    child.stderr!.on('data', keep);
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(
        () => reject(new Error(`server not ready after ${this.timeoutMs} ms\n${this.lastLog}`)),
        this.timeoutMs,
      );
      child.stdout!.on('data', (b: Buffer) => {
        keep(b);
        out += b.toString();
        if (out.includes('READY ')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`server exited (${code ?? signal}) before ready\n${this.lastLog}`));
      });
    });
  }

  /** SIGKILL: no graceful shutdown, transactions cut wherever they are. */
  async kill(): Promise<void> {
    const c = this.child;
    if (!c) return;
    this.kills++;
    c.kill('SIGKILL');
    await this.exited;
    this.child = null;
  }

  /** Graceful stop (SIGTERM). */
  async stop(): Promise<void> {
    const c = this.child;
    if (!c) return;
    c.kill('SIGTERM');
    await this.exited;
    this.child = null;
  }

  /** Stops the server and removes its data. */
  async dispose(): Promise<void> {
    await this.stop();
    await this.cleanup();
  }
}
