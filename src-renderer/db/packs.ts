// Records are stored in packs: one IndexedDB row holds the records of one entity whose collectivités
// hash to the same bucket. In Chromium every IndexedDB request costs about 0.1 ms on top of its bytes,
// so a row per record put a floor of 6–9 s under the national import (64,000 records) on a 2-core
// machine. A first import writes each page's records of one bucket as a new pack (a segment): each
// record written once, without any read; the national import makes about 5,000 rows of 64,000 records.
// Later writes are loose rows, one per record, which win over the pack's copy: 1,000 scattered pulled
// changes write 1,000 small rows instead of rewriting most packs. A delete removes both copies, and so
// does any write of personal data (a contact's older values do not stay behind in a pack).
// A collectivité's records of one entity always sit in one bucket (its screens read a few rows), and
// the multi-entry index `ids` finds the pack of any record.
//
// Invariant: a record's bucket follows from its scope (`collectiviteId`, the id of a collectivité, or
// none for national records), and a stored record's scope never changes (the server locks it, and the
// repository refuses to edit it).
import { Dexie, type Table } from 'dexie';
import { entityDef, scopeField, scopeOf, type EntityName } from '../../src-shared/registry';
import { bucketOfRecord, bucketOfScope, DIGEST_BUCKETS } from '../../src-shared/sync/digest';
import { newId } from '../../src-shared/sync/ids';
import { bulkGetSparse } from './sparse';

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

/** Buckets per entity: ~50 records per bucket at national scale; a commune’s records of an entity share one. */
export const PACK_BUCKETS = DIGEST_BUCKETS;
export { bucketOfScope };

/** The buckets of digests (src-shared/sync/digest.ts): one hash of the collectivité for both. */
function bucketOf(entity: EntityName, rec: Record<string, unknown>): number {
  return bucketOfRecord(entity, rec);
}

/** Records per segment at most (a first import's batch for one bucket rarely reaches it). */
const SEGMENT_MAX = 64;

const keyStr = (k: PackKey) => `${k[0]}|${k[1]}|${k[2]}`;
const keyOfPack = (p: PackRow): PackKey => [p.entity, p.bucket, p.seg];

/**
 * New segments holding records stored nowhere yet, by bucket (a first import, and the upgrade that
 * moved the per-entity tables of schema v1–v3 into packs).
 */
export function newSegments(entity: EntityName, recs: readonly LocalRecord[]): PackRow[] {
  const buckets = new Map<number, LocalRecord[]>();
  for (const r of recs) {
    const b = bucketOf(entity, r);
    const list = buckets.get(b);
    if (list) list.push(r);
    else buckets.set(b, [r]);
  }
  const out: PackRow[] = [];
  for (const [bucket, list] of buckets) {
    for (let i = 0; i < list.length; i += SEGMENT_MAX) {
      const p: PackRow = { entity, bucket, seg: newId(), ids: [], rows: {} };
      for (const r of list.slice(i, i + SEGMENT_MAX)) p.rows[r.id] = r;
      p.ids = Object.keys(p.rows);
      out.push(p);
    }
  }
  return out;
}

/**
 * The number of records of every entity, from keys only (no record is read): the index `ids` gives one
 * pack key per packed id, the loose rows their keys, minus the loose ids that also sit in a pack. One
 * pass for all entities: reading the index's 65,000 keys of a national copy costs about as much as
 * reading one entity's records.
 */
export async function countByEntity(
  packs: Table<PackRow, PackKey>,
  loose: Table<LooseRow, [EntityName, string]>,
): Promise<Map<EntityName, number>> {
  const [packKeys, looseKeys] = await Promise.all([
    packs.where('ids').between(Dexie.minKey, Dexie.maxKey, true, true).primaryKeys(),
    loose.toCollection().primaryKeys(),
  ]);
  const out = new Map<EntityName, number>();
  const add = (e: EntityName, n: number) => out.set(e, (out.get(e) ?? 0) + n);
  for (const k of packKeys) add(k[0], 1);
  for (const k of looseKeys) add(k[0], 1);
  if (looseKeys.length) {
    // A loose id also in a pack of its entity is one record, not two (ids are UUIDs: one entity each).
    const entityOf = new Map(looseKeys.map((k) => [k[1], k[0]]));
    const both = await Promise.all(
      [...entityOf.keys()].map(async (id) => [id, await packs.where('ids').equals(id).primaryKeys()] as const),
    );
    for (const [id, keys] of both) if (keys.some((k) => k[0] === entityOf.get(id))) add(entityOf.get(id)!, -1);
  }
  return out;
}

/** A record written after the import that packed it (or without one): it wins over its pack's copy. */
export interface LooseRow {
  entity: EntityName;
  id: string;
  bucket: number;
  rec: LocalRecord;
}

/**
 * Packs read in one read-write transaction, and where each record looked up is (null: in no pack).
 * Applying a pulled page reads records, then deletes or rewrites: each pack is read once.
 */
interface TxCache {
  packs: Map<string, PackRow>;
  where: Map<string, PackKey | null>;
}
const caches = new WeakMap<IDBTransaction, TxCache>();

/**
 * The records of one entity, with the few table operations the app uses. Reads need no transaction;
 * writes join the caller's read-write transaction (or open one).
 */
export class RecordStore {
  constructor(
    private readonly packs: Table<PackRow, PackKey>,
    private readonly loose: Table<LooseRow, [EntityName, string]>,
    readonly entity: EntityName,
  ) {}

  private tx<T>(fn: () => Promise<T>): Promise<T> {
    return this.packs.db.transaction('rw', [this.packs, this.loose], fn);
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

  private looseRange(bucket?: number) {
    const lo = bucket === undefined ? [this.entity, Dexie.minKey] : [this.entity, bucket];
    const hi = bucket === undefined ? [this.entity, Dexie.maxKey] : [this.entity, bucket];
    return this.loose.where('[entity+bucket]').between(lo, hi, true, true);
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
    missing.forEach(([s], i) => {
      if (read[i]) c.packs.set(s, read[i]!);
    });
    return [...keys.keys()].map((s) => c.packs.get(s)).filter((p): p is PackRow => !!p);
  }

  /** Loose rows of `ids` (most ids have none). */
  private async looseOf(ids: readonly string[]): Promise<Map<string, LocalRecord>> {
    const rows = await bulkGetSparse(this.loose, this.entity, ids, () => this.looseRange().primaryKeys());
    return new Map(rows.filter((r): r is LooseRow => !!r).map((r) => [r.id, r.rec]));
  }

  private k(id: string): string {
    return `${this.entity}|${id}`;
  }

  /** Records of packs with the loose rows over them. */
  private static overlay(packs: readonly PackRow[], loose: readonly LooseRow[]): Map<string, LocalRecord> {
    const out = new Map<string, LocalRecord>();
    for (const p of packs) for (const id of p.ids) out.set(id, p.rows[id]!);
    for (const l of loose) out.set(l.id, l.rec);
    return out;
  }

  async get(id: string): Promise<LocalRecord | undefined> {
    const l = await this.loose.get([this.entity, id]);
    if (l) return l.rec;
    if (this.cache()) return (await this.packsOf([id]))[0]?.rows[id];
    const found = await this.packs.where('ids').equals(id).toArray();
    return found.find((p) => p.entity === this.entity)?.rows[id];
  }

  async bulkGet(ids: readonly string[]): Promise<(LocalRecord | undefined)[]> {
    const loose = await this.looseOf(ids);
    const rows = new Map<string, LocalRecord>();
    for (const p of await this.packsOf(ids.filter((id) => !loose.has(id))))
      for (const id of p.ids) rows.set(id, p.rows[id]!);
    return ids.map((id) => loose.get(id) ?? rows.get(id));
  }

  /** Every record of the entity, in id order. */
  async toArray(): Promise<LocalRecord[]> {
    const [packs, loose] = await Promise.all([this.range().toArray(), this.looseRange().toArray()]);
    return [...RecordStore.overlay(packs, loose).values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async count(): Promise<number> {
    const [packs, loose] = await Promise.all([this.range().toArray(), this.looseRange().toArray()]);
    return RecordStore.overlay(packs, loose).size;
  }

  /** The number of records of this entity, from keys only (see countByEntity). */
  async countKeys(): Promise<number> {
    return (await countByEntity(this.packs, this.loose)).get(this.entity) ?? 0;
  }

  /**
   * Every record of the entity, page by page (`buckets` buckets at a time, about 50 records each at
   * national scale): a long export reads the copy in chunks instead of all at once. A record's bucket
   * never changes, so each page is complete (its loose rows over its packs).
   */
  async *pages(buckets = 16): AsyncGenerator<LocalRecord[]> {
    const read = (b: number) => {
      const lo = [this.entity, b];
      const hi = [this.entity, Math.min(b + buckets, PACK_BUCKETS)];
      return Promise.all([
        this.packs.where('[entity+bucket+seg]').between(lo, hi, true, false).toArray(),
        this.loose.where('[entity+bucket]').between(lo, hi, true, false).toArray(),
      ]);
    };
    // The next page is read while the caller works on this one (IndexedDB answers meanwhile).
    let next: ReturnType<typeof read> | null = read(0);
    for (let b = 0; next; b += buckets) {
      const [packs, loose] = await next;
      next = b + buckets < PACK_BUCKETS ? read(b + buckets) : null;
      // A caller that stops early leaves the read ahead unanswered: its failure is nobody's to report.
      next?.catch(() => undefined);
      const page = [...RecordStore.overlay(packs, loose).values()];
      if (page.length) yield page;
    }
  }

  /** Records whose `field` equals `value`: by scope one bucket, by parent or reference the bucket of the one it points to. */
  async whereEquals(field: string, value: unknown): Promise<LocalRecord[]> {
    const match = (rows: Iterable<LocalRecord>) => [...rows].filter((r) => r[field] === value);
    if (typeof value === 'string' && field === scopeField(this.entity)) {
      const b = bucketOfScope(value);
      const [packs, loose] = await Promise.all([this.range(b).toArray(), this.looseRange(b).toArray()]);
      return match(RecordStore.overlay(packs, loose).values());
    }
    const def = entityDef(this.entity);
    const target = [def.parent, ...(def.references ?? [])].find((r) => r?.field === field)?.entity;
    if (
      typeof value === 'string' &&
      target &&
      scopeField(this.entity) === 'collectiviteId' &&
      entityDef(target).scope === 'collectivite'
    ) {
      // Same scope as what it points to (the server checks it): read that scope's bucket only.
      const ref = await new RecordStore(this.packs, this.loose, target).get(value);
      if (ref) return this.whereEquals('collectiviteId', scopeOf(target, ref)).then(match);
    }
    return match(await this.toArray());
  }

  async put(rec: LocalRecord): Promise<void> {
    await this.bulkPut([rec]);
  }

  /**
   * Store records (new or replacing). `absent`: ids the caller knows are stored nowhere (a first
   * import): they go into new segments, without any read. Others are written as loose rows, one per
   * record, so scattered edits never rewrite packs.
   */
  async bulkPut(recs: readonly LocalRecord[], absent?: ReadonlySet<string>): Promise<void> {
    if (!recs.length) return;
    await this.tx(async () => {
      const imported: LocalRecord[] = [];
      const loose: LooseRow[] = [];
      for (const r of recs) {
        if (absent?.has(r.id)) imported.push(r);
        else loose.push({ entity: this.entity, id: r.id, bucket: bucketOf(this.entity, r), rec: r });
      }
      if (loose.length) {
        await this.loose.bulkPut(loose);
        // Personal data: the older copy in a pack goes too, rather than staying there shadowed.
        if (entityDef(this.entity).personalData) await this.removeFromPacks(loose.map((l) => l.id));
      }
      const added = newSegments(this.entity, imported);
      // New segments are added, never put: a key collision fails instead of overwriting records.
      if (added.length) await this.packs.bulkAdd(added);
      const c = this.cache();
      if (c) for (const p of added) for (const id of p.ids) c.where.set(this.k(id), keyOfPack(p));
    });
  }

  async delete(id: string): Promise<void> {
    await this.bulkDelete([id]);
  }

  /** Delete records everywhere: loose row and pack copy (a deleted contact's data must not linger). */
  async bulkDelete(ids: readonly string[]): Promise<void> {
    if (!ids.length) return;
    await this.tx(async () => {
      await this.loose.bulkDelete(ids.map((id) => [this.entity, id] as [EntityName, string]));
      await this.removeFromPacks(ids);
    });
  }

  /** Take records out of the packs holding them (inside the caller's transaction); an emptied pack goes. */
  private async removeFromPacks(ids: readonly string[]): Promise<void> {
    const c = this.cache()!;
    const puts: PackRow[] = [];
    const gone: PackKey[] = [];
    for (const p of await this.packsOf(ids)) {
      for (const id of ids)
        if (id in p.rows) {
          delete p.rows[id];
          c.where.set(this.k(id), null);
        }
      p.ids = Object.keys(p.rows);
      if (p.ids.length) puts.push(p);
      else {
        gone.push(keyOfPack(p));
        c.packs.delete(keyStr(keyOfPack(p)));
      }
    }
    if (puts.length) await this.packs.bulkPut(puts);
    if (gone.length) await this.packs.bulkDelete(gone);
  }

  async clear(): Promise<void> {
    await Promise.all([this.range().delete(), this.looseRange().delete()]);
  }
}
