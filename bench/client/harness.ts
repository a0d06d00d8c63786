// Benchmark harness page: the real client data layer and sync engine, on the browser's IndexedDB,
// driven from bench/client.ts through `window.atlasBench`.
import { AtlasDb, setDb } from '../../src-renderer/db/database';
import { createRepository } from '../../src-renderer/db/repository';
import { createWebHost } from '../../src-renderer/host/web';
import { applyResponse } from '../../src-renderer/sync/apply';
import { deviceDigest } from '../../src-renderer/sync/digest';
import { SyncEngine } from '../../src-renderer/sync/engine';
import { SessionManager } from '../../src-renderer/sync/session';
import { ENTITY_NAMES } from '../../src-shared/registry';
import type { PulledRecord, SyncResponse } from '../../src-shared/sync/protocol';

let db: AtlasDb | null = null;
let session: SessionManager | null = null;
let engine: SyncEngine | null = null;
const host = createWebHost();

async function fresh(name: string): Promise<void> {
  if (db) db.close();
  await new AtlasDb(name).delete();
  db = new AtlasDb(name);
  setDb(db);
  session = new SessionManager({ db, host });
  engine = new SyncEngine({ db, session });
}

async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  let total = 0;
  for (const n of ENTITY_NAMES) {
    out[n] = await db!.records(n).count();
    total += out[n];
  }
  out.total = total;
  // IndexedDB rows holding them (packs, and loose rows written after the import).
  out.packs = await db!.packs.count();
  out.loose = await db!.loose.count();
  return out;
}

/**
 * The floor under the national import: the packs the import just stored, written again with bare
 * IndexedDB (no Dexie, no sync logic) into a scratch database with the same store and index, in
 * transactions of about 5,000 records like the pull pages. What the storage layout costs in this browser.
 */
async function idbFloor(): Promise<{ ms: number; rows: number }> {
  const packs = await db!.packs.toArray();
  const name = 'atlas-bench-idb-floor';
  await new Promise((res) => {
    const d = indexedDB.deleteDatabase(name);
    d.onsuccess = d.onerror = res;
  });
  const idb = await new Promise<IDBDatabase>((res, rej) => {
    const o = indexedDB.open(name, 1);
    o.onupgradeneeded = () => {
      o.result
        .createObjectStore('packs', { keyPath: ['entity', 'bucket'] })
        .createIndex('ids', 'ids', { multiEntry: true });
    };
    o.onsuccess = () => res(o.result);
    o.onerror = () => rej(o.error);
  });
  const t0 = performance.now();
  for (let p = 0; p < packs.length;) {
    const tx = idb.transaction('packs', 'readwrite');
    for (let n = 0; p < packs.length && n < 5_000; p++) {
      tx.objectStore('packs').put(packs[p]);
      n += packs[p]!.ids.length;
    }
    await new Promise((res, rej) => {
      tx.oncomplete = res;
      tx.onerror = () => rej(tx.error);
    });
  }
  const ms = performance.now() - t0;
  idb.close();
  indexedDB.deleteDatabase(name);
  return { ms, rows: packs.length };
}

/**
 * Check the copy against the server's digest, after damaging `damage` records of distinct buckets (one
 * field each, behind the app's back): the time to digest the copy, the cycle's bytes and time, and
 * whether every damaged record came back as it was.
 */
async function digestCheck(damage: number) {
  const checker = new SyncEngine({ db: db!, session: session!, digestEveryMs: 0 });
  const fiches = await db!.records('ficheProjet').toArray();
  const seen = new Set<string>();
  const damaged = fiches
    .filter((f) => !seen.has(String(f.collectiviteId)) && seen.add(String(f.collectiviteId)))
    .slice(0, damage);
  await db!.transaction('rw', db!.writeTables(), async () => {
    for (const f of damaged) await db!.records('ficheProjet').put({ ...f, intitule: 'Abîmé' });
  });
  const d0 = performance.now();
  const digest = await deviceDigest(db!);
  const digestMs = performance.now() - d0;
  const t0 = performance.now();
  const out = await checker.syncNow();
  const ms = performance.now() - t0;
  if (!out.ok) throw new Error(`${out.error.kind}: ${out.error.message}`);
  const after = await db!.records('ficheProjet').bulkGet(damaged.map((f) => f.id));
  const intact = after.every((f, i) => f && f.intitule === damaged[i]!.intitule);
  return { digestMs, records: digest.records, ms, report: out.report, intact };
}

const api = {
  idbFloor,
  digestCheck,
  /** A new empty offline copy, then log in (online once). */
  async login(name: string, email: string, password: string) {
    await fresh(name);
    await session!.login({ serverUrl: location.origin, email, password, deviceName: 'Banc d’essai' });
  },
  /** One sync (as many requests as the engine needs), timed in the page. */
  async sync() {
    const t0 = performance.now();
    const out = await engine!.syncNow();
    const ms = performance.now() - t0;
    if (!out.ok) throw new Error(`${out.error.kind}: ${out.error.message}`);
    return { ms, report: out.report, counts: await counts() };
  },
  counts,
  /** Edit one field of one record (the edit cycle of the benchmark). */
  async editOneField() {
    const c = (await db!.records('contact').toArray())[0] ?? (await db!.records('collectivite').toArray())[0];
    if (!c) throw new Error('nothing to edit');
    const entity = 'fonction' in c ? 'contact' : 'collectivite';
    const repo = createRepository(db!);
    if (entity === 'contact') await repo.update('contact', c.id, { fonction: `Fonction ${Date.now() % 1000}` });
    else await repo.update('collectivite', c.id, { adresse: `Adresse ${Date.now() % 1000}` });
  },
  /** Apply 1,000 pulled changes (one field each, on records the device has) with `pending` local edits waiting. */
  async applyPulled(n: number, pending: number) {
    const repo = createRepository(db!);
    const fiches = (await db!.records('ficheProjet').toArray()).slice(0, n + pending);
    if (fiches.length < n) throw new Error(`only ${fiches.length} fiches`);
    for (const f of fiches.slice(0, pending))
      await repo.update('ficheProjet', f.id, { intitule: `${String(f.intitule).slice(0, 200)} (modifié)` });
    const cursor = Number((await db!.syncState.get('cursor'))?.value ?? 0);
    const changes: PulledRecord[] = fiches.slice(0, n).map((f, i) => ({
      entity: 'ficheProjet',
      id: f.id,
      rev: cursor + i + 1,
      fields: { intitule: `Intitulé tiré ${i}`, description: `Description tirée ${i}` },
    }));
    const res: SyncResponse = {
      v: 1,
      results: [],
      changes,
      conflicts: [],
      cursor: String(cursor + n),
      more: false,
      serverTime: new Date().toISOString(),
    };
    const t0 = performance.now();
    await applyResponse(db!, res);
    const ms = performance.now() - t0;
    const kept = await db!.records('ficheProjet').bulkGet(fiches.slice(0, pending).map((f) => f.id));
    const keptPending = kept.filter((f) => f && String(f.intitule).endsWith('(modifié)')).length;
    return { ms, keptPending, outbox: await db!.outbox.count() };
  },
};

declare global {
  interface Window {
    atlasBench: typeof api;
  }
}
window.atlasBench = api;
document.body.dataset.ready = 'true';
