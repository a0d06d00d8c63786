// Records are stored in packs: one IndexedDB row holds several records of one entity whose
// collectivités hash to the same bucket. In Chromium every IndexedDB request costs about 0.1 ms on top
// of its bytes, so a row per record put a floor of 6–9 s under the national import (64,000 records)
// on a 2-core machine. A bucket holds one or more packs (segments): the batches of a first import start
// segments of their own, so the import writes each record once, in a quarter of the requests. Reading
// or rewriting a pack costs all its bytes, so packs stay small (about 5 records each at national
// scale): 1,000 scattered pulled changes rewrite some 800 small packs, not a whole entity.
// A collectivité's records of one entity always sit in one bucket (its screens read one or two rows),
// and the multi-entry index `ids` finds the pack of any record.
//
// Invariant: a record's bucket follows from its scope (`collectiviteId`, the id of a collectivité, or
// none for national records), and a stored record's scope never changes (the server locks it, and the
// repository refuses to edit it).
import { Dexie, type Table } from 'dexie';
import { REGISTRY, scopeOf, type EntityName } from '../../src-shared/registry';
import { newId } from '../../src-shared/sync/ids';

/** A record as stored: the fields of its zod schema, `id` included (and `$rev`, `$revs`: see database.ts). */
export type LocalRecord = Record<string, unknown> & { id: string };

export interface PackRow {
  entity: EntityName;
  bucket: number;
  /** Segment of the bucket (UUIDv7: the newest sorts last). */
  seg: string;
  /** The ids of `rows` (indexed, multi-entry: finds the pack of any record). */
  ids: string[];
  rows: Record<string, LocalRecord>;
}

export type PackKey = [EntityName, number, string];

/** Buckets per entity: a few records per bucket at national scale; a commune's records of an entity share one. */
export const PACK_BUCKETS = 1024;

/** FNV-1a of the scope, folded into the buckets: stable across versions (packs are stored). */
export function bucketOfScope(scope: string | null | undefined): number {
  const s = scope ?? '';
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % PACK_BUCKETS;
}

/** The field that holds an entity's scope (null for national entities). */
export function scopeField(entity: EntityName): string | null {
  if (REGISTRY[entity].scope === 'national') return null;
  return entity === 'collectivite' ? 'id' : 'collectiviteId';
}

export function bucketOf(entity: EntityName, rec: Record<string, unknown>): number {
  const scope = scopeOf(entity, rec);
  return bucketOfScope(typeof scope === 'string' ? scope : null);
}

/** Other new records join their bucket's newest segment up to this many records; then a segment starts. */
const SEGMENT_MAX = 64;

const keyStr = (k: PackKey) => `${k[0]}|${k[1]}|${k[2]}`;
const keyOfPack = (p: PackRow): PackKey => [p.entity, p.bucket, p.seg];

/** New segments holding `recs` (of one bucket). */
function segments(entity: EntityName, bucket: number, recs: readonly LocalRecord[]): PackRow[] {
  const out: PackRow[] = [];
  for (let i = 0; i < recs.length; i += SEGMENT_MAX) {
    const p: PackRow = { entity, bucket, seg: newId(), ids: [], rows: {} };
    for (const r of recs.slice(i, i + SEGMENT_MAX)) p.rows[r.id] = r;
    p.ids = Object.keys(p.rows);
    out.push(p);
  }
  return out;
}

/**
 * Packs read or written in one read-write transaction, and where each record looked up is (null:
 * stored nowhere). Applying a pulled page reads records, then rewrites their packs: once each.
 */
interface TxCache {
  packs: Map<string, PackRow>;
  where: Map<string, PackKey | null>;
}
const caches = new WeakMap<IDBTransaction, TxCache>();

/**
 * The records of one entity, with the few table operations the app uses. Reads need no transaction;
 * writes read and rewrite packs, so they join the caller's read-write transaction (or open one).
 */
export class RecordStore {
  constructor(private readonly packs: Table<PackRow, PackKey>, readonly entity: EntityName) {}

  private tx<T>(fn: () => Promise<T>): Promise<T> {
    return this.packs.db.transaction('rw', this.packs, fn);
  }

  /** The cache of the current read-write transaction (all pack writes in it go through here). */
  private cache(): TxCache | null {
    const t = Dexie.currentTransaction;
    if (!t || t.mode !== 'readwrite' || !t.idbtrans) return null;
    let c = caches.get(t.idbtrans);
    if (!c) caches.set(t.idbtrans, (c = { packs: new Map(), where: new Map() }));
    return c;
  }

  private range(bucket?: number) {
    const lo = bucket === undefined ? [this.entity] : [this.entity, bucket];
    return this.packs.where('[entity+bucket+seg]').between(lo, [...lo, Dexie.maxKey], true, true);
  }

  /** Packs of this entity holding any of `ids` (index lookups run in parallel: IndexedDB pipelines them). */
  private async packsOf(ids: readonly string[]): Promise<PackRow[]> {
    if (!ids.length) return [];
    const c = this.cache() ?? { packs: new Map<string, PackRow>(), where: new Map<string, PackKey | null>() };
    const unknown = ids.filter((id) => !c.where.has(this.k(id)));
    const found = await Promise.all(unknown.map((id) => this.packs.where('ids').equals(id).primaryKeys()));
    unknown.forEach((id, i) => c.where.set(this.k(id), found[i]!.find((k) => k[0] === this.entity) ?? null));
    const keys = new Map<string, PackKey>();
    for (const id of ids) {
      const k = c.where.get(this.k(id));
      if (k) keys.set(keyStr(k), k);
    }
    const missing = [...keys].filter(([s]) => !c.packs.has(s));
    const read = await this.packs.bulkGet(missing.map(([, k]) => k));
    missing.forEach(([s], i) => { if (read[i]) c.packs.set(s, read[i]!); });
    return [...keys.keys()].map((s) => c.packs.get(s)).filter((p): p is PackRow => !!p);
  }

  private k(id: string): string {
    return `${this.entity}|${id}`;
  }

  async get(id: string): Promise<LocalRecord | undefined> {
    if (this.cache()) return (await this.packsOf([id]))[0]?.rows[id];
    const found = await this.packs.where('ids').equals(id).toArray();
    return found.find((p) => p.entity === this.entity)?.rows[id];
  }

  async bulkGet(ids: readonly string[]): Promise<(LocalRecord | undefined)[]> {
    const rows = new Map<string, LocalRecord>();
    for (const p of await this.packsOf(ids)) for (const id of p.ids) rows.set(id, p.rows[id]!);
    return ids.map((id) => rows.get(id));
  }

  /** Every record of the entity, in id order. */
  async toArray(): Promise<LocalRecord[]> {
    const out: LocalRecord[] = [];
    for (const p of await this.range().toArray()) for (const id of p.ids) out.push(p.rows[id]!);
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async count(): Promise<number> {
    let n = 0;
    for (const p of await this.range().toArray()) n += p.ids.length;
    return n;
  }

  /** Records whose `field` equals `value`: by scope one bucket, by parent or reference the bucket of the one it points to. */
  async whereEquals(field: string, value: unknown): Promise<LocalRecord[]> {
    const match = (rows: Iterable<LocalRecord>) => [...rows].filter((r) => r[field] === value);
    if (typeof value === 'string' && field === scopeField(this.entity)) {
      const out: LocalRecord[] = [];
      for (const p of await this.range(bucketOfScope(value)).toArray()) out.push(...match(Object.values(p.rows)));
      return out;
    }
    const def = REGISTRY[this.entity] as { parent?: { entity: EntityName; field: string }; references?: { entity: EntityName; field: string }[] };
    const target = [def.parent, ...(def.references ?? [])].find((r) => r?.field === field)?.entity;
    if (typeof value === 'string' && target && scopeField(this.entity) === 'collectiviteId' && REGISTRY[target].scope === 'collectivite') {
      // Same scope as what it points to (the server checks it): read that scope's bucket only.
      const ref = await new RecordStore(this.packs, target).get(value);
      if (ref) return this.whereEquals('collectiviteId', scopeOf(target, ref)).then(match);
    }
    return match(await this.toArray());
  }

  async put(rec: LocalRecord): Promise<void> {
    await this.bulkPut([rec]);
  }

  /**
   * Store records (new or replacing). `absent`: ids the caller knows are stored nowhere (a first
   * import): they are not looked up and start segments of their own; other new records join their
   * bucket's newest segment while it has room.
   */
  async bulkPut(recs: readonly LocalRecord[], absent?: ReadonlySet<string>): Promise<void> {
    if (!recs.length) return;
    await this.tx(async () => {
      const c = this.cache()!;
      await this.packsOf(absent ? recs.filter((r) => !absent.has(r.id)).map((r) => r.id) : recs.map((r) => r.id));
      const dirty = new Map<string, PackRow>();
      const loose = new Map<number, LocalRecord[]>();
      const imported = new Map<number, LocalRecord[]>();
      for (const r of recs) {
        const bucket = bucketOf(this.entity, r);
        const at = absent?.has(r.id) ? null : c.where.get(this.k(r.id));
        const p = at ? c.packs.get(keyStr(at)) : undefined;
        if (p && p.bucket === bucket) {
          p.rows[r.id] = r;
          dirty.set(keyStr(at!), p);
          continue;
        }
        if (p) {
          // Stored without its scope before (not expected): it leaves that bucket.
          delete p.rows[r.id];
          dirty.set(keyStr(at!), p);
        }
        const into = absent?.has(r.id) ? imported : loose;
        const list = into.get(bucket);
        if (list) list.push(r); else into.set(bucket, [r]);
      }
      const added: PackRow[] = [];
      for (const [bucket, list] of imported) added.push(...segments(this.entity, bucket, list));
      for (const [bucket, list] of loose) {
        const keys = await this.range(bucket).primaryKeys();
        const last = keys[keys.length - 1];
        let p = last ? c.packs.get(keyStr(last)) : undefined;
        if (last && !p) {
          p = await this.packs.get(last);
          if (p) c.packs.set(keyStr(last), p);
        }
        if (p && Object.keys(p.rows).length + list.length <= SEGMENT_MAX) {
          for (const r of list) p.rows[r.id] = r;
          dirty.set(keyStr(keyOfPack(p)), p);
          continue;
        }
        added.push(...segments(this.entity, bucket, list));
      }
      await this.writePacks([...dirty.values()]);
      // New segments are added, never put: a key collision fails instead of overwriting records.
      if (added.length) await this.packs.bulkAdd(added);
      for (const p of added) {
        c.packs.set(keyStr(keyOfPack(p)), p);
        for (const id of p.ids) c.where.set(this.k(id), keyOfPack(p));
      }
    });
  }

  async delete(id: string): Promise<void> {
    await this.bulkDelete([id]);
  }

  async bulkDelete(ids: readonly string[]): Promise<void> {
    if (!ids.length) return;
    await this.tx(async () => {
      const packs = await this.packsOf(ids);
      for (const p of packs) for (const id of ids) delete p.rows[id];
      await this.writePacks(packs);
    });
  }

  async clear(): Promise<void> {
    await this.range().delete();
  }

  /** Write changed packs back (a pack left empty goes) and keep the transaction's cache true. */
  private async writePacks(packs: PackRow[]): Promise<void> {
    const c = this.cache()!;
    const puts: PackRow[] = [];
    const gone: PackKey[] = [];
    for (const p of packs) {
      const key = keyOfPack(p);
      for (const id of p.ids) if (!(id in p.rows)) c.where.set(this.k(id), null);
      p.ids = Object.keys(p.rows);
      for (const id of p.ids) c.where.set(this.k(id), key);
      if (p.ids.length) puts.push(p);
      else {
        gone.push(key);
        c.packs.delete(keyStr(key));
      }
    }
    if (puts.length) await this.packs.bulkPut(puts);
    if (gone.length) await this.packs.bulkDelete(gone);
  }
}

/** Rows of the per-entity tables (schema v1–v3) grouped into packs, for the upgrade to v4. */
export function packRows(entity: EntityName, rows: readonly LocalRecord[]): PackRow[] {
  const buckets = new Map<number, LocalRecord[]>();
  for (const r of rows) {
    const b = bucketOf(entity, r);
    const list = buckets.get(b);
    if (list) list.push(r); else buckets.set(b, [r]);
  }
  return [...buckets].flatMap(([bucket, list]) => segments(entity, bucket, list));
}
