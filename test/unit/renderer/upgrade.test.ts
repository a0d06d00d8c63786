// Each schema upgrade runs from the version before it with pending changes in place: they survive.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { AtlasDb, DB_VERSION, SCHEMA_VERSIONS, setDb } from '../../../src-renderer/db/database';
import { createRepository } from '../../../src-renderer/db/repository';
import { freeze } from '../../../src-renderer/sync/apply';
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
    await v1.table('outbox').add({ changeId: '0190f0a0-0000-7000-8000-0000000000b2', entity: 'contact', record: ID, op: 'create', values: contactFields({ nom: 'Avant' }), seq: null, at: '2026-01-02T03:04:05.000Z' });
    await v1.table('outbox').add({ changeId: '0190f0a0-0000-7000-8000-0000000000b3', entity: 'contact', record: '0190f0a0-0000-7000-8000-0000000000b4', op: 'update', fields: { nom: { value: 'X', base: 3 } }, seq: 7, at: '2026-01-01T00:00:00.000Z' });
    await v1.table('rejected').put({ changeId: '0190f0a0-0000-7000-8000-0000000000b5', entity: 'contact', record: ID, op: 'update', proposed: { nom: 'Y' }, code: 'FORBIDDEN', message: 'Refusé.', at: '2026-01-01T00:00:00.000Z' });
    await v1.table('drafts').put({ key: 'contact:new', value: { nom: 'Brouillon' }, savedAt: '2026-01-01T00:00:00.000Z' });
    await v1.table('syncState').put({ key: 'deviceSeq', value: 7 });
    v1.close();

    const v2 = new AtlasDb('upgrade', { indexedDB: factory, IDBKeyRange });
    await v2.open();
    expect(v2.verno).toBe(2);
    const outbox = await v2.outbox.orderBy('ord').toArray();
    expect(outbox).toHaveLength(2);
    expect(outbox[0]).toMatchObject({ createdAt: '2026-01-02T03:04:05.000Z', updatedAt: '2026-01-02T03:04:05.000Z', schemaVersion: 2, seq: null });
    expect(outbox[0]).not.toHaveProperty('at');
    expect(outbox[1]).toMatchObject({ seq: 7, schemaVersion: 2 });
    expect(await v2.records('contact').get(ID)).toMatchObject({ nom: 'Avant' });
    expect(await v2.rejected.count()).toBe(1);
    expect(await v2.drafts.get('contact:new')).toMatchObject({ schemaVersion: 1, value: { nom: 'Brouillon' } });
    // The oldest pending change is found through the new index.
    expect((await v2.outbox.orderBy('createdAt').first())!.changeId).toBe('0190f0a0-0000-7000-8000-0000000000b3');

    // The upgraded entries still work: edits coalesce into the unsent create, the frozen one resends as is.
    setDb(v2);
    const repo = createRepository(v2);
    await repo.update('contact', ID, { nom: 'Après' });
    const { changes } = await freeze(v2);
    expect(changes.map((c) => [c.op, c.seq])).toEqual([['update', 7], ['create', 8]]);
    expect(changes[1]).toMatchObject({ fields: { nom: 'Après' } });
    v2.close();
  });
});
