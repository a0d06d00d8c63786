// A device of the chaos suite and the kill test: the renderer's real repository, session and sync
// engine in Node on its own fake IndexedDB, talking to the server through the link proxy. It can be
// killed (its in-memory engine dropped, mid-cycle or not) and reopened on the same IndexedDB, and it
// records every change result the server's answers carried.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { stripRevs } from '../../src-renderer/db/base';
import { AtlasDb, type LocalRecord } from '../../src-renderer/db/database';
import { createRepository } from '../../src-renderer/db/repository';
import { createWebHost } from '../../src-renderer/host/web';
import { SyncEngine, type EngineOptions } from '../../src-renderer/sync/engine';
import type { FetchLike } from '../../src-renderer/api/http';
import { SessionManager } from '../../src-renderer/sync/session';
import { ENTITY_NAMES, type EntityName } from '../../src-shared/registry';
import { syncResponse } from '../../src-shared/sync/protocol';

/** Every answer the server gave, by change id: a change applied twice shows two outcomes. */
export class ResultLog {
  readonly outcomes = new Map<string, Set<string>>();
  /** Change ids whose result reached a device (acknowledged). */
  readonly acknowledged = new Set<string>();
  readonly conflictIds = new Set<string>();
  duplicates = 0;
  rejected = 0;

  add(body: unknown): void {
    const parsed = syncResponse.safeParse(body);
    if (!parsed.success) return;
    for (const r of parsed.data.results) {
      this.acknowledged.add(r.id);
      if (r.duplicate) this.duplicates++;
      if (r.status === 'rejected' && !r.duplicate) this.rejected++;
      for (const c of r.conflicts ?? []) this.conflictIds.add(c);
      const s = this.outcomes.get(r.id) ?? new Set<string>();
      s.add(`${r.status}:${r.rev ?? ''}:${r.code ?? ''}`);
      this.outcomes.set(r.id, s);
    }
  }
}

export interface Account {
  email: string;
  password: string;
}

let counter = 0;

export class ChaosDevice {
  readonly name: string;
  private readonly factory = new IDBFactory();
  db!: AtlasDb;
  repo!: ReturnType<typeof createRepository>;
  session!: SessionManager;
  engine!: SyncEngine;
  kills = 0;

  constructor(
    private readonly serverUrl: string,
    readonly account: Account,
    readonly label: string,
    private readonly log: ResultLog,
    private readonly engineOpts: Partial<EngineOptions> = {},
  ) {
    this.name = `chaos-${++counter}`;
    this.open();
  }

  /** A fetch that reads the change results of every sync answer that arrives whole. */
  private readonly fetch: FetchLike = async (url, init) => {
    const res = await fetch(url, init);
    if (!url.endsWith('/api/v1/sync') || !res.ok) return res;
    // Read the body here: a connection cut mid-body fails this device's request, as it would the app's.
    const text = await res.text();
    try {
      this.log.add(JSON.parse(text));
    } catch {
      /* not JSON: the engine reports it */
    }
    return new Response(text, { status: res.status, headers: res.headers });
  };

  private open(): void {
    this.db = new AtlasDb(this.name, { indexedDB: this.factory, IDBKeyRange });
    const host = createWebHost({ indexedDB: this.factory, IDBKeyRange, origin: this.serverUrl });
    this.session = new SessionManager({ db: this.db, host, fetch: this.fetch });
    this.engine = new SyncEngine({
      db: this.db,
      session: this.session,
      fetch: this.fetch,
      random: () => 0.5,
      ...this.engineOpts,
    });
    this.repo = createRepository(this.db);
  }

  async login(): Promise<void> {
    await this.session.login({ serverUrl: this.serverUrl, email: this.account.email, password: this.account.password });
  }

  /**
   * The app is killed: its engine and database handle are dropped wherever the cycle is (the cycle's
   * promise is left to fail on the closed database), then the app starts again on the same IndexedDB.
   */
  kill(): void {
    this.kills++;
    this.db.close();
    this.open();
  }

  /** Every record of the offline copy as screens see it (server revisions stripped), by `entity:id`. */
  async records(): Promise<Map<string, LocalRecord & { entity: EntityName }>> {
    const out = new Map<string, LocalRecord & { entity: EntityName }>();
    for (const e of ENTITY_NAMES) {
      for (const r of await this.db.records(e).toArray()) out.set(`${e}:${r.id}`, { ...stripRevs(r), entity: e });
    }
    return out;
  }
}
