// Benchmark page: the device's snapshot import (src-renderer/sync/snapshot.ts) into Chromium's IndexedDB,
// driven from bench/support/snapshotImport.ts through `window.atlasSnapshotBench`.
import { AtlasDb, setDb } from '../../../src-renderer/db/database';
import { stripRevs } from '../../../src-renderer/db/base';
import { importSnapshot, type DeviceScope } from '../../../src-renderer/sync/snapshot';
import { openSnapshot, snapshotKeyFor, type ServerKey } from '../../../src-shared/files/snapshot';
import type { EntityName } from '../../../src-shared/registry';

export interface SnapshotRun {
  /** Fetching the file excluded: verification (hash, signature) and both passes of the import. */
  ms: number;
  /** One read of the lines alone, for the notes. */
  readMs: number;
  records: number;
  /** Live records of the file absent from the copy, or whose fields differ. */
  mismatches: string[];
  stored: number;
}

const canonical = (v: unknown) =>
  JSON.stringify(v ?? null, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x,
  );

async function run(url: string, scope: DeviceScope, trusted: ServerKey[]): Promise<SnapshotRun> {
  const name = `atlas-bench-snapshot-${scope.role}`;
  await new AtlasDb(name).delete();
  const db = new AtlasDb(name);
  setDb(db);
  const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
  const t0 = performance.now();
  const out = await importSnapshot(db, scope, bytes, { trusted });
  const ms = performance.now() - t0;
  // One read of the file's lines alone (decompress, parse, validate): what each of the two passes costs
  // before any IndexedDB work.
  const t1 = performance.now();
  for await (const _ of (await openSnapshot(bytes, snapshotKeyFor(trusted))).lines());
  const readMs = performance.now() - t1;
  // Every live record of the file arrived, field by field (outside the timing).
  const { lines } = await openSnapshot(bytes, snapshotKeyFor(trusted));
  const byEntity = new Map<EntityName, Map<string, Record<string, unknown>>>();
  for await (const l of lines()) {
    if (l.type !== 'record' || l.record.deleted) continue;
    let m = byEntity.get(l.record.entity);
    if (!m) byEntity.set(l.record.entity, (m = new Map()));
    m.set(l.record.id, l.record.fields ?? {});
  }
  const mismatches: string[] = [];
  let stored = 0;
  for (const [entity, recs] of byEntity) {
    const ids = [...recs.keys()];
    const got = await db.records(entity).bulkGet(ids);
    ids.forEach((id, i) => {
      const g = got[i];
      if (!g) return void mismatches.push(`${entity} ${id}: absent`);
      stored++;
      const rec = stripRevs(g);
      for (const [f, v] of Object.entries(recs.get(id)!))
        if (canonical(v) !== canonical(rec[f])) mismatches.push(`${entity} ${id}.${f}`);
    });
  }
  db.close();
  await new AtlasDb(name).delete();
  return { ms, readMs, records: out.records, mismatches: mismatches.slice(0, 20), stored };
}

declare global {
  interface Window {
    atlasSnapshotBench: { run: typeof run };
  }
}
window.atlasSnapshotBench = { run };
document.body.dataset.ready = 'true';
