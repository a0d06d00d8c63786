import { beforeEach, describe, expect, it } from 'vitest';
import type { AtlasDb, OutboxUpdate } from '../../../src-renderer/db/database';
import { recordStatus } from '../../../src-renderer/db/hooks';
import { createRepository, ValidationError } from '../../../src-renderer/db/repository';
import { freeze } from '../../../src-renderer/sync/apply';
import { naturalId } from '../../../src-shared/sync/ids';
import { COLL, contactFields, ficheFields, freshDb, partenariatFields } from './fixtures';

let db: AtlasDb;
let repo: ReturnType<typeof createRepository>;
beforeEach(() => {
  db = freshDb();
  repo = createRepository(db);
});

describe('repository', () => {
  it('validates with the shared schema before writing anything, in French', async () => {
    const err = await repo
      .create('contact', contactFields({ courriel: 'pas-une-adresse', nom: '' }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    const fields = (err as ValidationError).errors.map((e) => e.field).sort();
    expect(fields).toEqual(['courriel', 'nom']);
    expect((err as ValidationError).errors.find((e) => e.field === 'nom')!.message).toBe('« Nom » est obligatoire.');
    expect(await db.records('contact').count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
  });

  it('creates a record with a device-made UUIDv7 and its outbox entry together', async () => {
    const c = await repo.create('contact', contactFields());
    expect(c.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    const entries = await db.outbox.toArray();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ op: 'create', record: c.id, entity: 'contact', seq: null });
    expect(await recordStatus('contact', c.id, db)).toBe('pending');
  });

  it('a failed write inside the transaction leaves neither the record nor the outbox entry', async () => {
    const orphan = await repo
      .create('ficheProjet', ficheFields('0190f0a0-0000-7000-8000-000000000000'))
      .catch((e: unknown) => e);
    expect(orphan).toBeInstanceOf(ValidationError);
    expect((orphan as ValidationError).errors[0]!.field).toBe('partenariatId');
    // The outbox write fails after the record was written: the whole transaction is undone.
    const p = await repo.create('partenariat', partenariatFields());
    const failing = () => {
      throw new Error('Quota IndexedDB dépassé');
    };
    db.outbox.hook('creating', failing);
    db.outbox.hook('updating', failing);
    await expect(repo.create('contact', contactFields())).rejects.toThrow(/Quota/);
    await expect(repo.update('partenariat', p.id, { nomPartenaire: 'Autre' })).rejects.toThrow(/Quota/);
    db.outbox.hook('creating').unsubscribe(failing);
    db.outbox.hook('updating').unsubscribe(failing);
    expect(await db.records('contact').count()).toBe(0);
    expect((await repo.get('partenariat', p.id))!.nomPartenaire).toBe('Ville de Thiès');
    expect(await db.outbox.count()).toBe(1);
  });

  it('coalesces a create followed by edits into one create', async () => {
    const c = await repo.create('contact', contactFields());
    await repo.update('contact', c.id, { nom: 'Durand' });
    await repo.update('contact', c.id, { fonction: 'Adjointe' });
    const entries = await db.outbox.toArray();
    expect(entries).toHaveLength(1);
    expect(entries[0]!.op).toBe('create');
    expect(entries[0]!.op === 'create' && entries[0]!.values).toMatchObject({ nom: 'Durand', fonction: 'Adjointe' });
  });

  it('coalesces edits of one field of a synced record into one change per field, keeping the first base', async () => {
    const id = '0190f0a0-0000-7000-8000-000000000001';
    const server = { id, ...contactFields() };
    await db.records('contact').put(server);
    const { id: _i, ...fields } = server;
    await db.meta.put({
      entity: 'contact',
      id,
      rev: 12,
      fieldRevs: Object.fromEntries(Object.keys(fields).map((f) => [f, f === 'nom' ? 7 : 12])),
      fields,
      deleted: false,
    });
    await repo.update('contact', id, { nom: 'A' });
    await repo.update('contact', id, { nom: 'B', fonction: 'Adjointe' });
    await repo.update('contact', id, { nom: 'C' });
    const entries = await db.outbox.toArray();
    expect(entries).toHaveLength(1);
    const e = entries[0] as OutboxUpdate;
    expect(e.fields).toEqual({ nom: { value: 'C', base: 7 }, fonction: { value: 'Adjointe', base: 12 } });
    // Back to the server value: the field leaves the change, and an empty change leaves the outbox.
    await repo.update('contact', id, { nom: 'Martin', fonction: 'Maire' });
    expect(await db.outbox.count()).toBe(0);
    expect(await recordStatus('contact', id, db)).toBe('synced');
  });

  it('an edit after a frozen (sent) entry goes into a new entry based on the pending change', async () => {
    const c = await repo.create('contact', contactFields());
    const e = (await db.outbox.toArray())[0]!;
    await db.outbox.update(e.ord!, { seq: 1 });
    await repo.update('contact', c.id, { nom: 'Durand' });
    const entries = await db.outbox.orderBy('ord').toArray();
    expect(entries).toHaveLength(2);
    expect(entries[1]).toMatchObject({ op: 'update', seq: null, fields: { nom: { value: 'Durand', base: null } } });
  });

  it('a delete after an unsent create removes both; undo brings them back', async () => {
    const p = await repo.create('partenariat', partenariatFields());
    const f = await repo.create('ficheProjet', ficheFields(p.id));
    await repo.remove('partenariat', p.id);
    expect(await db.outbox.count()).toBe(0);
    expect(await db.records('ficheProjet').count()).toBe(0);
    expect(await repo.undoRemove('partenariat', p.id)).toBe(true);
    expect(await repo.get('ficheProjet', f.id)).toMatchObject({ intitule: 'Eau potable à Thiès' });
    expect(await db.outbox.count()).toBe(2);
  });

  it('deleting a synced parent deletes its children first, each with a delete change', async () => {
    const pid = '0190f0a0-0000-7000-8000-000000000002';
    const fid = '0190f0a0-0000-7000-8000-000000000003';
    const p = { id: pid, ...partenariatFields() };
    const f = (await import('../../../src-shared/domain')).ficheProjetSchema.parse({ id: fid, ...ficheFields(pid) });
    for (const [entity, r] of [
      ['partenariat', p],
      ['ficheProjet', f],
    ] as const) {
      await db.records(entity).put(r);
      const { id: _i, ...fields } = r;
      await db.meta.put({ entity, id: r.id, rev: 5, fieldRevs: {}, fields, deleted: false });
    }
    await repo.remove('partenariat', pid);
    const entries = await db.outbox.orderBy('ord').toArray();
    expect(entries.map((e) => [e.entity, e.op, e.op === 'delete' ? e.base : null])).toEqual([
      ['ficheProjet', 'delete', 5],
      ['partenariat', 'delete', 5],
    ]);
    expect(await repo.list('ficheProjet', { partenariatId: pid })).toEqual([]);
    // Once a cycle took the deletes, they can no longer be undone.
    await freeze(db);
    expect(await repo.undoRemove('partenariat', pid)).toBe(false);
    expect(await repo.get('ficheProjet', fid)).toBeUndefined();
  });

  it('gives natural-key records their deterministic id and refuses a second one locally', async () => {
    const d = await repo.create('declarationApd', { collectiviteId: COLL, annee: 2023, commentaire: null });
    expect(d.id).toBe(naturalId('declarationApd', [COLL, 2023]));
    await expect(repo.create('declarationApd', { collectiviteId: COLL, annee: 2023 })).rejects.toThrow(/existe déjà/);
    await expect(repo.update('declarationApd', d.id, { annee: 2022 })).rejects.toThrow(/ne peut pas être modifié/);
  });

  it('lists with an indexed filter', async () => {
    await repo.create('contact', contactFields());
    await repo.create(
      'contact',
      contactFields({ nom: 'Autre', collectiviteId: '0190f0a0-0000-7000-8000-0000000000ff' }),
    );
    expect((await repo.list('contact', { collectiviteId: COLL })).map((c) => c.nom)).toEqual(['Martin']);
  });
});
