// The real CNCD server, in-process on PGlite in memory, plus simulated devices (each its own
// IndexedDB, secret storage, session and engine) for the engine and property tests.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { AtlasDb } from '../../../src-renderer/db/database';
import { createRepository } from '../../../src-renderer/db/repository';
import { createWebHost } from '../../../src-renderer/host/web';
import { SyncEngine, type EngineOptions } from '../../../src-renderer/sync/engine';
import type { FetchLike } from '../../../src-renderer/api/http';
import { SessionManager } from '../../../src-renderer/sync/session';
import { startTestServer, type TestServer, type TestUser } from './testServer';

export type LocalServer = TestServer;

/** The real server (PGlite in memory, or a fresh PostgreSQL database when DATABASE_URL is set). */
export function startLocalServer(): Promise<LocalServer> {
  return startTestServer({ seed: 'none' });
}

/** The server and one agent of collectivité `code`: the set-up of most device test files. */
export async function startAgentServer(code: string): Promise<{ server: LocalServer; user: TestUser }> {
  const server = await startLocalServer();
  const user = await server.createUser({ role: 'agent', collectiviteCode: code });
  return { server, user };
}

/** A fetch that can be told to lose the response after the server handled the request, or to answer something else. */
export class Wire {
  /** Lose the next N responses (the request reached the server). */
  loseResponses = 0;
  /** Fail the next N requests before they leave (network down). */
  dropRequests = 0;
  /** Replace the next response. */
  fake: ((real: () => Promise<Response>) => Promise<Response>) | null = null;
  requests = 0;
  /** Sees every response that reaches the device. */
  observe: ((url: string, res: Response) => Promise<void>) | null = null;
  fetch: FetchLike = async (url, init) => {
    this.requests++;
    if (this.dropRequests > 0) {
      this.dropRequests--;
      throw new TypeError('fetch failed');
    }
    if (this.fake) {
      const f = this.fake;
      this.fake = null;
      return f(() => fetch(url, init));
    }
    const res = await fetch(url, init);
    if (this.loseResponses > 0 && url.endsWith('/api/v1/sync')) {
      this.loseResponses--;
      await res.arrayBuffer();
      throw new TypeError('network connection lost');
    }
    if (this.observe) await this.observe(url, res.clone());
    return res;
  };
}

export interface Device {
  name: string;
  db: AtlasDb;
  repo: ReturnType<typeof createRepository>;
  session: SessionManager;
  engine: SyncEngine;
  wire: Wire;
}

let devices = 0;
export function makeDevice(serverUrl: string, opts: Partial<EngineOptions> = {}): Device {
  const name = `device-${++devices}`;
  const factory = new IDBFactory();
  const db = new AtlasDb(name, { indexedDB: factory, IDBKeyRange });
  const host = createWebHost({ indexedDB: factory, IDBKeyRange, origin: serverUrl });
  const wire = new Wire();
  const session = new SessionManager({ db, host, fetch: wire.fetch });
  const engine = new SyncEngine({ db, session, fetch: wire.fetch, random: () => 0.5, ...opts });
  return { name, db, repo: createRepository(db), session, engine, wire };
}

/** A new device, logged in as `user` (no sync yet). */
export async function loginDevice(
  server: LocalServer,
  user: { email: string; password: string },
  opts: Partial<EngineOptions> = {},
): Promise<Device> {
  const d = makeDevice(server.url, opts);
  await d.session.login({ serverUrl: server.url, email: user.email, password: user.password });
  return d;
}

/** One sync that must succeed: its report. */
export async function syncOk(d: Device) {
  const out = await d.engine.syncNow();
  if (!out.ok) throw out.error;
  return out.report;
}
