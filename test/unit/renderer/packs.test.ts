// Records in packs (src-renderer/db/packs.ts): where records land and how they are found again. That
// screens re-render when a pack changes is shown in Chromium by the browser tests (edits seen in lists).
import { beforeEach, describe, expect, it } from 'vitest';
import type { AtlasDb, LocalRecord } from '../../../src-renderer/db/database';
import { bucketOfScope, countByEntity, PACK_BUCKETS } from '../../../src-renderer/db/packs';
import { collectiviteId } from '../../../src-shared/sync/ids';
import { contactFields, freshDb } from './fixtures';

let db: AtlasDb;
beforeEach(() => {
  db = freshDb();
});

const A = collectiviteId('commune:35238');
const B = collectiviteId('commune:22278');
const id = (n: number) => `0190f0a0-0000-7000-8000-${String(n).padStart(12, '0')}`;
const contact = (n: number, collectivite = A, over: Record<string, unknown> = {}): LocalRecord => ({
  id: id(n),
  ...contactFields({ nom: `Nom ${n}`, collectiviteId: collectivite, ...over }),
});

describe('record packs', () => {
  it('spreads scopes over the buckets and keeps one scope in one bucket', () => {
    const buckets = new Set(
      Array.from({ length: 4_000 }, (_, i) => bucketOfScope(collectiviteId(`commune:${10_000 + i}`))),
    );
    expect(buckets.size).toBeGreaterThan(PACK_BUCKETS * 0.95);
    expect(bucketOfScope(A)).toBe(bucketOfScope(A));
    expect(bucketOfScope(null)).toBe(bucketOfScope(''));
  });

  it('a first import writes new segments without reading; later writes are loose rows that win over the pack', async () => {
    const store = db.records('contact');
    const first = Array.from({ length: 70 }, (_, i) => contact(i));
    await store.bulkPut(first, new Set(first.map((r) => r.id)));
    // 70 records of one collectivité: two segments of its bucket (64 + 6), nothing loose.
    const packs = await db.packs.toArray();
    expect(packs.map((p) => p.ids.length).sort((a, b) => a - b)).toEqual([6, 64]);
    expect(new Set(packs.map((p) => p.bucket))).toEqual(new Set([bucketOfScope(A)]));
    expect(await db.loose.count()).toBe(0);
    // A later record and an edit are one loose row each. A contact is personal data: its older copy
    // leaves the pack rather than staying there shadowed.
    await store.put(contact(100));
    await store.put({ ...first[0]!, nom: 'Renommé' });
    expect(await db.loose.count()).toBe(2);
    expect((await db.packs.toArray()).map((p) => p.ids.length).sort((a, b) => a - b)).toEqual([6, 63]);
    expect(await store.get(first[0]!.id)).toMatchObject({ nom: 'Renommé' });
    expect((await store.bulkGet([first[0]!.id, first[1]!.id])).map((r) => r?.nom)).toEqual(['Renommé', 'Nom 1']);
    expect((await store.whereEquals('collectiviteId', A)).find((r) => r.id === first[0]!.id)).toMatchObject({
      nom: 'Renommé',
    });
    expect(await store.count()).toBe(71);
    // Deleting removes the loose row and the pack's copy (a deleted contact's data does not linger).
    await store.delete(first[0]!.id);
    expect(await store.get(first[0]!.id)).toBeUndefined();
    expect((await db.packs.toArray()).some((p) => first[0]!.id in p.rows)).toBe(false);
    expect(await db.loose.count()).toBe(1);
    expect(await store.count()).toBe(70);
  });

  it('other entities keep the pack copy under the loose row: an edit writes one small row', async () => {
    const store = db.records('adhesion');
    const rows = Array.from({ length: 5 }, (_, i) => ({ id: id(i), collectiviteId: A, reseau: `Réseau ${i}` }));
    await store.bulkPut(rows, new Set(rows.map((r) => r.id)));
    const before = await db.packs.toArray();
    await store.bulkPut([{ ...rows[2]!, reseau: 'Autre' }]);
    expect(await db.packs.toArray()).toEqual(before);
    expect(await store.get(id(2))).toMatchObject({ reseau: 'Autre' });
    expect((await store.whereEquals('collectiviteId', A)).map((r) => r.reseau)).toEqual([
      'Réseau 0',
      'Réseau 1',
      'Autre',
      'Réseau 3',
      'Réseau 4',
    ]);
    // Counted once each: the shadowed pack copy, a new loose record; another entity's not at all.
    expect(await store.count()).toBe(5);
    await store.put({ id: id(9), collectiviteId: A, reseau: 'Nouveau' });
    await db.records('contact').bulkPut([contact(20)], new Set([id(20)]));
    expect(await store.count()).toBe(6);
    expect(await db.records('contact').count()).toBe(1);
    await store.delete(id(2));
    expect(await store.count()).toBe(5);
    expect(await store.count()).toBe((await store.toArray()).length);
  });

  it('finds records by id, by scope, by parent and in bulk; deletes empty their pack', async () => {
    const store = db.records('contact');
    const three = [contact(1), contact(2), contact(3, B)];
    await store.bulkPut(three, new Set(three.map((r) => r.id)));
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
    await store.put(contact(4));
    await store.clear();
    expect(await db.packs.count()).toBe(0);
    expect(await db.loose.count()).toBe(0);
  });

  it('reads then rewrites a pack in one transaction without losing its other records', async () => {
    const store = db.records('contact');
    const ten = Array.from({ length: 10 }, (_, i) => contact(i));
    await store.bulkPut(ten, new Set(ten.map((r) => r.id)));
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

  it('pages(): every record once, loose rows over their packs, in chunks of buckets; countKeys() counts them from keys', async () => {
    // Not personal data: a later write leaves the pack's copy shadowed by a loose row (both stored).
    const store = db.records('partenariat');
    const scopes = Array.from({ length: 40 }, (_, i) => collectiviteId(`commune:${20_000 + i}`));
    const first = Array.from({ length: 200 }, (_, i) => contact(i, scopes[i % scopes.length]));
    await store.bulkPut(first, new Set(first.map((r) => r.id)));
    await store.bulkPut([{ ...first[5]!, nom: 'Modifié' }, contact(500, B)]);
    // Records of another entity in the same buckets are not counted nor read.
    await db.records('adhesion').bulkPut([contact(900, B)], new Set([id(900)]));
    expect(await db.loose.count()).toBe(2);
    const pages: LocalRecord[][] = [];
    for await (const p of store.pages(8)) pages.push(p);
    expect(pages.length).toBeGreaterThan(1);
    const ids = pages.flat().map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual([...first.map((r) => r.id), id(500)].sort());
    expect(pages.flat().find((r) => r.id === id(5))?.nom).toBe('Modifié');
    expect(await store.countKeys()).toBe(201);
    expect(await store.countKeys()).toBe(await store.count());
    expect(await db.records('adhesion').countKeys()).toBe(1);
    expect(await db.records('avis').countKeys()).toBe(0);
    expect(Object.fromEntries(await countByEntity(db.packs, db.loose))).toEqual({ partenariat: 201, adhesion: 1 });
  });
});
