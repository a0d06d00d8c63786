// Each schema upgrade runs from the version before it with pending changes in place: they survive.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { AtlasDb, DB_VERSION, SCHEMA_VERSIONS, setDb } from '../../../src-renderer/db/database';
import { createRepository } from '../../../src-renderer/db/repository';
import { readMeta } from '../../../src-renderer/db/base';
import { applyResponse, freeze } from '../../../src-renderer/sync/apply';
import { contactFields } from './fixtures';

const ID = '0190f0a0-0000-7000-8000-0000000000b1';

describe('database upgrades', () => {
  it('lists every version in order and the app opens the last one', () => {
    expect(SCHEMA_VERSIONS.map((v) => v.version)).toEqual([...SCHEMA_VERSIONS.keys()].map((i) => i + 1));
    expect(DB_VERSION).toBe(SCHEMA_VERSIONS.length);
  });

  it('v1 → v2 keeps records, pending changes, conflicts, rejected changes, drafts and the device sequence', async () => {
    const factory = new IDBFactory();
    const v1 = new AtlasDb('upgrade', { indexedDB: factory, IDBKeyRange, upTo: 1 });
    await v1.open();
    const rec = { id: ID, ...contactFields({ nom: 'Avant' }) };
    await v1.table('contact').put(rec);
    // A v1 outbox entry: no createdAt/updatedAt/schemaVersion, the device time in `at`.
    await v1.table('outbox').add({
      changeId: '0190f0a0-0000-7000-8000-0000000000b2',
      entity: 'contact',
      record: ID,
      op: 'create',
      values: contactFields({ nom: 'Avant' }),
      seq: null,
      at: '2026-01-02T03:04:05.000Z',
    });
    await v1.table('outbox').add({
      changeId: '0190f0a0-0000-7000-8000-0000000000b3',
      entity: 'contact',
      record: '0190f0a0-0000-7000-8000-0000000000b4',
      op: 'update',
      fields: { nom: { value: 'X', base: 3 } },
      seq: 7,
      at: '2026-01-01T00:00:00.000Z',
    });
    await v1.table('rejected').put({
      changeId: '0190f0a0-0000-7000-8000-0000000000b5',
      entity: 'contact',
      record: ID,
      op: 'update',
      proposed: { nom: 'Y' },
      code: 'FORBIDDEN',
      message: 'Refusé.',
      at: '2026-01-01T00:00:00.000Z',
    });
    await v1
      .table('drafts')
      .put({ key: 'contact:new', value: { nom: 'Brouillon' }, savedAt: '2026-01-01T00:00:00.000Z' });
    await v1.table('syncState').put({ key: 'deviceSeq', value: 7 });
    v1.close();

    const v2 = new AtlasDb('upgrade', { indexedDB: factory, IDBKeyRange, upTo: 2 });
    await v2.open();
    expect(v2.verno).toBe(2);
    const outbox = await v2.outbox.orderBy('ord').toArray();
    expect(outbox).toHaveLength(2);
    expect(outbox[0]).toMatchObject({
      createdAt: '2026-01-02T03:04:05.000Z',
      updatedAt: '2026-01-02T03:04:05.000Z',
      schemaVersion: 2,
      seq: null,
    });
    expect(outbox[0]).not.toHaveProperty('at');
    expect(outbox[1]).toMatchObject({ seq: 7, schemaVersion: 2 });
    expect(await v2.table('contact').get(ID)).toMatchObject({ nom: 'Avant' });
    expect(await v2.rejected.count()).toBe(1);
    expect(await v2.drafts.get('contact:new')).toMatchObject({ schemaVersion: 1, value: { nom: 'Brouillon' } });
    // The oldest pending change is found through the new index.
    expect((await v2.outbox.orderBy('createdAt').first())!.changeId).toBe('0190f0a0-0000-7000-8000-0000000000b3');

    v2.close();

    // On to the last version: the upgraded entries still work. Edits coalesce into the unsent create,
    // the frozen one resends as is.
    const last = new AtlasDb('upgrade', { indexedDB: factory, IDBKeyRange });
    await last.open();
    setDb(last);
    const repo = createRepository(last);
    await repo.update('contact', ID, { nom: 'Après' });
    const { changes } = await freeze(last);
    expect(changes.map((c) => [c.op, c.seq])).toEqual([
      ['update', 7],
      ['create', 8],
    ]);
    expect(changes[1]).toMatchObject({ fields: { nom: 'Après' } });
    last.close();
  });

  it('v2 → v3 moves the revisions of clean records into their rows; pending changes, their bases and tombstones survive', async () => {
    const factory = new IDBFactory();
    const CLEAN = '0190f0a0-0000-7000-8000-0000000000d1';
    const PENDING = '0190f0a0-0000-7000-8000-0000000000d2';
    const OLD_PENDING = '0190f0a0-0000-7000-8000-0000000000d3';
    const GONE = '0190f0a0-0000-7000-8000-0000000000d4';
    const v2 = new AtlasDb('upgrade3', { indexedDB: factory, IDBKeyRange, upTo: 2 });
    await v2.open();
    const revs = (rev: number, over: Record<string, number> = {}) => ({
      ...Object.fromEntries(Object.keys(contactFields()).map((f) => [f, rev])),
      ...over,
    });
    // A clean record: v2 kept a meta row without values beside it.
    await v2.table('contact').put({ id: CLEAN, ...contactFields({ nom: 'Propre' }) });
    await v2
      .table('meta')
      .put({ entity: 'contact', id: CLEAN, rev: 7, fieldRevs: revs(4, { nom: 7 }), deleted: false });
    // A record with a pending edit: its meta row holds the server values, the outbox entry its base.
    await v2.table('contact').put({ id: PENDING, ...contactFields({ nom: 'Local' }) });
    await v2.table('meta').put({
      entity: 'contact',
      id: PENDING,
      rev: 6,
      fieldRevs: revs(6),
      fields: contactFields({ nom: 'Serveur' }),
      deleted: false,
    });
    await v2.table('outbox').add({
      changeId: '0190f0a0-0000-7000-8000-0000000000d5',
      entity: 'contact',
      record: PENDING,
      op: 'update',
      fields: { nom: { value: 'Local', base: 6 } },
      seq: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      schemaVersion: 2,
    });
    // A pending edit over a value-less meta (v2 read the server values from the record then).
    await v2.table('contact').put({ id: OLD_PENDING, ...contactFields({ fonction: 'Adjointe' }) });
    await v2.table('meta').put({ entity: 'contact', id: OLD_PENDING, rev: 5, fieldRevs: revs(5), deleted: false });
    await v2.table('rejected').put({
      changeId: '0190f0a0-0000-7000-8000-0000000000d6',
      entity: 'contact',
      record: OLD_PENDING,
      op: 'update',
      proposed: { fonction: 'X' },
      code: 'FORBIDDEN',
      message: 'Refusé.',
      at: '2026-01-01T00:00:00.000Z',
    });
    // A tombstone.
    await v2.table('meta').put({ entity: 'contact', id: GONE, rev: 9, fieldRevs: {}, deleted: true });
    await v2.table('syncState').put({ key: 'deviceSeq', value: 3 });
    v2.close();

    const at3 = new AtlasDb('upgrade3', { indexedDB: factory, IDBKeyRange, upTo: 3 });
    await at3.open();
    expect(at3.verno).toBe(3);
    expect(await at3.meta.get(['contact', CLEAN])).toBeUndefined();
    expect(await at3.table('contact').get(CLEAN)).toMatchObject({
      nom: 'Propre',
      $rev: 7,
      $revs: { prenom: 4, fonction: 4 },
    });
    expect(await at3.table('contact').get(PENDING)).not.toHaveProperty('$rev');
    at3.close();

    // The rest runs on the last version (v3's rows went on into packs).
    const v3 = new AtlasDb('upgrade3', { indexedDB: factory, IDBKeyRange });
    await v3.open();
    expect((await readMeta(v3, 'contact', CLEAN)).meta).toMatchObject({
      rev: 7,
      fieldRevs: revs(4, { nom: 7 }),
      fields: { nom: 'Propre' },
    });
    expect(await v3.meta.get(['contact', PENDING])).toMatchObject({ fields: { nom: 'Serveur' }, rev: 6 });
    expect(await v3.meta.get(['contact', OLD_PENDING])).toMatchObject({ fields: { fonction: 'Adjointe' }, rev: 5 });
    expect(await v3.meta.get(['contact', GONE])).toMatchObject({ deleted: true, fields: {} });
    expect(await v3.outbox.count()).toBe(1);
    expect(await v3.rejected.count()).toBe(1);

    setDb(v3);
    const repo = createRepository(v3);
    // An edit of the clean record is based on the field's own revision.
    await repo.update('contact', CLEAN, { fonction: 'Adjointe' });
    expect(await repo.get('contact', CLEAN)).not.toHaveProperty('$rev');
    const { changes } = await freeze(v3);
    expect(changes.map((c) => [c.record, c.seq])).toEqual([
      [PENDING, 4],
      [CLEAN, 5],
    ]);
    expect(changes[0]).toMatchObject({ fields: { nom: { value: 'Local', base: 6 } } });
    expect(changes[1]).toMatchObject({ fields: { fonction: { value: 'Adjointe', base: 4 } } });
    // A pulled edit of the pending field does not overwrite it; the acknowledgement folds it into the row.
    await applyResponse(v3, {
      v: 1,
      results: [{ id: changes[0]!.id, status: 'applied', rev: 12 }],
      conflicts: [],
      cursor: '12',
      more: false,
      serverTime: new Date().toISOString(),
      changes: [{ entity: 'contact', id: PENDING, rev: 11, fields: { fonction: 'Maire déléguée' } }],
    });
    expect(await v3.meta.get(['contact', PENDING])).toBeUndefined();
    expect(await repo.get('contact', PENDING)).toMatchObject({ nom: 'Local', fonction: 'Maire déléguée' });
    expect((await readMeta(v3, 'contact', PENDING)).meta).toMatchObject({
      rev: 12,
      fieldRevs: { nom: 12, fonction: 11, prenom: 6 },
    });
    v3.close();
  });

  it('v3 → v5 moves every record into packs by entity and collectivité; pending changes, server versions and queries still work', async () => {
    const factory = new IDBFactory();
    const v3 = new AtlasDb('upgrade5', { indexedDB: factory, IDBKeyRange, upTo: 3 });
    await v3.open();
    const COL_A = '0190f0a0-0000-7000-8000-0000000000e1';
    const COL_B = '0190f0a0-0000-7000-8000-0000000000e2';
    const PART = '0190f0a0-0000-7000-8000-0000000000e3';
    const FICHE = '0190f0a0-0000-7000-8000-0000000000e4';
    const CAMPAGNE = '0190f0a0-0000-7000-8000-0000000000e5';
    const contacts = Array.from({ length: 40 }, (_, i) => ({
      id: `0190f0a0-0000-7000-8000-0000000001${String(i).padStart(2, '0')}`,
      ...contactFields({ nom: `Nom ${i}`, collectiviteId: i % 2 ? COL_A : COL_B }),
      $rev: 3 + i,
    }));
    await v3.table('contact').bulkPut(contacts);
    await v3.table('campagne').put({ id: CAMPAGNE, annee: 2026, ouverte: true, $rev: 2 });
    await v3.table('partenariat').put({ id: PART, collectiviteId: COL_A, $rev: 4 });
    await v3
      .table('ficheProjet')
      .put({ id: FICHE, collectiviteId: COL_A, partenariatId: PART, intitule: 'Puits', $rev: 5 });
    // A pending edit of one contact, its server version in a meta row.
    const edited = contacts[1]!;
    const { $rev: _rev, ...plain } = edited;
    await v3.table('contact').put({ ...plain, nom: 'Local' });
    await v3.table('meta').put({
      entity: 'contact',
      id: edited.id,
      rev: 4,
      fieldRevs: {},
      fields: { ...contactFields({ nom: 'Nom 1', collectiviteId: COL_A }) },
      deleted: false,
    });
    await v3.table('outbox').add({
      changeId: '0190f0a0-0000-7000-8000-0000000000e6',
      entity: 'contact',
      record: edited.id,
      op: 'update',
      fields: { nom: { value: 'Local', base: 4 } },
      seq: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      schemaVersion: 2,
    });
    v3.close();

    const v5 = new AtlasDb('upgrade5', { indexedDB: factory, IDBKeyRange });
    await v5.open();
    expect(v5.verno).toBe(5);
    // The per-entity tables are gone; their 43 records sit in a handful of packs.
    expect(v5.tables.map((t) => t.name)).not.toContain('contact');
    expect(await v5.records('contact').count()).toBe(40);
    const packs = await v5.packs.toArray();
    expect(packs.reduce((n, p) => n + p.ids.length, 0)).toBe(43);
    expect(packs.length).toBeLessThanOrEqual(5);
    // A collectivité's contacts are in one pack; a parent finds its children.
    const repo = createRepository(v5);
    setDb(v5);
    expect((await repo.list('contact', { collectiviteId: COL_A })).map((c) => c.id).sort()).toEqual(
      contacts
        .filter((_, i) => i % 2)
        .map((c) => c.id)
        .sort(),
    );
    expect(await repo.list('contact', { collectiviteId: COL_B })).toHaveLength(20);
    expect((await v5.records('ficheProjet').whereEquals('partenariatId', PART)).map((f) => f.id)).toEqual([FICHE]);
    expect(await v5.records('campagne').get(CAMPAGNE)).toMatchObject({ annee: 2026 });
    expect(await repo.get('contact', contacts[0]!.id)).toMatchObject({ nom: 'Nom 0' });
    expect(await repo.get('contact', contacts[0]!.id)).not.toHaveProperty('$rev');
    expect((await readMeta(v5, 'contact', contacts[0]!.id)).meta).toMatchObject({ rev: 3 });
    // The pending edit survived and is sent with its base; the server version is still there.
    expect(await repo.get('contact', edited.id)).toMatchObject({ nom: 'Local' });
    expect((await readMeta(v5, 'contact', edited.id)).meta).toMatchObject({ rev: 4, fields: { nom: 'Nom 1' } });
    await repo.update('contact', edited.id, { fonction: 'Adjointe' });
    const { changes } = await freeze(v5);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      record: edited.id,
      fields: { nom: { value: 'Local', base: 4 }, fonction: { value: 'Adjointe', base: 4 } },
    });
    // A record cannot move to another collectivité (its pack follows its collectivité).
    await expect(repo.update('contact', contacts[0]!.id, { collectiviteId: COL_A })).rejects.toThrow(
      /changer de collectivité/,
    );
    v5.close();
  });
});
