// The device's side of checking its copy (docs/architecture.md, "Checking a copy"): the digest of the
// server versions it holds, and the repair of buckets that differ from the server's. Pending changes
// are never touched: a repaired record is its new server version with this device's changes on top.
import { ENTITY_NAMES, type EntityName } from '../../src-shared/registry';
import { bucketOfRecord, canonicalJson, ScopeDigest } from '../../src-shared/sync/digest';
import type { PulledRecord } from '../../src-shared/sync/protocol';
import { embeddedMeta, rebaseMany, withValues } from '../db/base';
import type { AtlasDb, MetaRow } from '../db/database';

type ServerVersion = { entity: EntityName; id: string; fields: Record<string, unknown>; meta: MetaRow; row: boolean };

/** Every server version the device holds (a record row that carries its own, or a meta row), live ones only. */
async function serverVersions(db: AtlasDb, each: (v: ServerVersion) => void): Promise<void> {
  for (const entity of ENTITY_NAMES) {
    const rows = await db.records(entity).toArray();
    const metas = await db.meta.where('entity').equals(entity).toArray();
    const withMeta = new Set(metas.map((m) => m.id));
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const r of rows) {
      if (withMeta.has(r.id)) continue;
      const m = embeddedMeta(entity, r);
      if (m) each({ entity, id: r.id, fields: { ...m.fields, id: r.id }, meta: m, row: false });
    }
    for (const m0 of metas) {
      if (m0.deleted) continue;
      const m = m0.fields ? m0 : withValues(m0, byId.get(m0.id));
      each({ entity, id: m.id, fields: { ...m.fields, id: m.id }, meta: m, row: true });
    }
  }
}

/** The digest of the device's copy: the server's versions it holds, as the server digests its own. */
export async function deviceDigest(db: AtlasDb): Promise<ScopeDigest> {
  const digest = new ScopeDigest();
  await db.transaction('r', db.writeTables(), () => serverVersions(db, (v) => digest.add(v.entity, v.fields)));
  return digest;
}

/**
 * Replace the server versions of these buckets by the server's records (whole): records the server
 * has are set to its version, the device's others in those buckets are dropped. Returns how many
 * records changed.
 */
export async function applyRepair(db: AtlasDb, buckets: number[], records: PulledRecord[]): Promise<number> {
  const wanted = new Set(buckets);
  return db.transaction('rw', db.writeTables(), async () => {
    const metas = new Map<string, MetaRow | undefined>();
    const metaRows = new Set<string>();
    const keys: [EntityName, string][] = [];
    let changed = 0;
    const fresh = new Map(records.map((p) => [`${p.entity}|${p.id}`, p]));
    const held = new Map<string, MetaRow>();
    await serverVersions(db, (v) => {
      if (!wanted.has(bucketOfRecord(v.entity, v.fields))) return;
      const k = `${v.entity}|${v.id}`;
      if (v.row) metaRows.add(k);
      held.set(k, v.meta);
      if (fresh.has(k)) return;
      // The server has no live record of it: a missed delete, or a record that left the scope.
      metas.set(k, { ...v.meta, deleted: true, fields: {}, fieldRevs: {} });
      keys.push([v.entity, v.id]);
      changed++;
    });
    for (const [k, p] of fresh) {
      const fields = p.fields ?? {};
      const fieldRevs = Object.fromEntries(Object.keys(fields).map((f) => [f, p.fieldRevs?.[f] ?? p.rev]));
      const before = held.get(k);
      if (!before || canonicalJson(before.fields) !== canonicalJson(fields)) changed++;
      metas.set(k, { entity: p.entity, id: p.id, rev: p.rev, fieldRevs, fields, deleted: false });
      keys.push([p.entity, p.id]);
    }
    await rebaseMany(db, keys, metas, metaRows);
    return changed;
  });
}
