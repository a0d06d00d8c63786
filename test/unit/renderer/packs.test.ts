// Records in packs (src-renderer/db/packs.ts): where records land and how they are found again. That
// screens re-render when a pack changes is shown in Chromium by the browser tests (edits seen in lists).
import { beforeEach, describe, expect, it } from 'vitest';
import type { AtlasDb, LocalRecord } from '../../../src-renderer/db/database';
import { bucketOfScope, PACK_BUCKETS } from '../../../src-renderer/db/packs';
import { collectiviteId } from '../../../src-shared/sync/ids';
import { contactFields, freshDb } from './fixtures';

let db: AtlasDb;
beforeEach(() => {
  db = freshDb();
});

const A = collectiviteId('commune:35238');
const B = collectiviteId('commune:22278');
const id = (n: number) => `0190f0a0-0000-7000-8000-${String(n).padStart(12, '0')}`;
const contact = (n: number, collectivite = A, over: Record<string, unknown> = {}): LocalRecord =>
  ({ id: id(n), ...contactFields({ nom: `Nom ${n}`, collectiviteId: collectivite, ...over }) });

describe('record packs', () => {
  it('spreads scopes over the buckets and keeps one scope in one bucket', () => {
    const buckets = new Set(Array.from({ length: 4_000 }, (_, i) => bucketOfScope(collectiviteId(`commune:${10_000 + i}`))));
    expect(buckets.size).toBeGreaterThan(PACK_BUCKETS * 0.95);
    expect(bucketOfScope(A)).toBe(bucketOfScope(A));
    expect(bucketOfScope(null)).toBe(bucketOfScope(''));
  });

  it('a first import writes new segments without reading; later records join the newest segment until it is full', async () => {
    const store = db.records('contact');
    const first = Array.from({ length: 70 }, (_, i) => contact(i));
    await store.bulkPut(first, new Set(first.map((r) => r.id)));
    // 70 records of one collectivité: two segments of its bucket (64 + 6).
    let packs = await db.packs.toArray();
    expect(packs.map((p) => p.ids.length).sort((a, b) => a - b)).toEqual([6, 64]);
    expect(new Set(packs.map((p) => p.bucket))).toEqual(new Set([bucketOfScope(A)]));
    // A later record joins the newest segment (the 6); an update stays where its record is.
    await store.put(contact(100));
    await store.put({ ...first[0]!, nom: 'Renommé' });
    packs = await db.packs.toArray();
    expect(packs.map((p) => p.ids.length).sort((a, b) => a - b)).toEqual([7, 64]);
    expect(await store.get(first[0]!.id)).toMatchObject({ nom: 'Renommé' });
    expect(await store.count()).toBe(71);
    // Another collectivité lands in its own bucket.
    await store.put(contact(200, B));
    expect((await db.packs.toArray()).map((p) => p.bucket)).toContain(bucketOfScope(B));
  });

  it('finds records by id, by scope, by parent and in bulk; deletes empty their pack', async () => {
    const store = db.records('contact');
    await store.bulkPut([contact(1), contact(2), contact(3, B)]);
    expect((await store.bulkGet([id(3), id(9), id(1)])).map((r) => r?.nom)).toEqual(['Nom 3', undefined, 'Nom 1']);
    expect((await store.whereEquals('collectiviteId', A)).map((r) => r.id).sort()).toEqual([id(1), id(2)]);
    expect(await store.whereEquals('collectiviteId', collectiviteId('commune:99999'))).toEqual([]);
    expect((await store.whereEquals('nom', 'Nom 3')).map((r) => r.id)).toEqual([id(3)]);
    expect((await store.toArray()).map((r) => r.id)).toEqual([id(1), id(2), id(3)]);
    // Same id in another entity: never mixed up.
    expect(await db.records('adhesion').get(id(1))).toBeUndefined();
    await store.bulkDelete([id(3), id(9)]);
    expect(await store.get(id(3))).toBeUndefined();
    expect((await db.packs.toArray()).map((p) => p.bucket)).not.toContain(bucketOfScope(B));
    await store.clear();
    expect(await db.packs.count()).toBe(0);
  });

  it('reads then rewrites a pack in one transaction without losing its other records', async () => {
    const store = db.records('contact');
    await store.bulkPut(Array.from({ length: 10 }, (_, i) => contact(i)));
    await db.transaction('rw', db.writeTables(), async () => {
      const got = await store.bulkGet([id(2), id(5)]);
      await store.bulkPut(got.map((r) => ({ ...r!, fonction: 'Adjointe' })));
      await store.delete(id(7));
      // Reads in the same transaction see its own writes.
      expect(await store.get(id(2))).toMatchObject({ fonction: 'Adjointe' });
      expect(await store.get(id(7))).toBeUndefined();
    });
    const all = await store.toArray();
    expect(all).toHaveLength(9);
    expect(all.filter((r) => r.fonction === 'Adjointe').map((r) => r.id)).toEqual([id(2), id(5)]);
  });
});
