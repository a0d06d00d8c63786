// What the synchronisation screen lists: each pending change with its record, and the deletes that can
// still be undone (until a sync cycle takes them), however many were made in a row.
import { beforeEach, describe, expect, it } from 'vitest';
import type { AtlasDb } from '../../../src-renderer/db/database';
import { listPendingChanges, listUndoableDeletes } from '../../../src-renderer/db/pending';
import { createRepository } from '../../../src-renderer/db/repository';
import { freeze } from '../../../src-renderer/sync/apply';
import { COLL, contactFields, ficheFields, freshDb, partenariatFields } from './fixtures';

let db: AtlasDb;
let repo: ReturnType<typeof createRepository>;
beforeEach(() => {
  db = freshDb();
  repo = createRepository(db);
});

describe('pending changes', () => {
  it('lists each change with its record, its fields and its age, in outbox order', async () => {
    const p = await repo.create('partenariat', partenariatFields());
    await freeze(db);
    await repo.update('partenariat', p.id, { nomPartenaire: 'Ville de Saint-Louis', statut: 'en_sommeil' });
    const decl = await repo.create('declarationApd', { collectiviteId: COLL, annee: 2025, commentaire: null });
    const ligne = await repo.create('ligneApd', {
      collectiviteId: COLL,
      declarationApdId: decl.id,
      pays: 'SN',
      categorie: 'bourses',
      montant: 1200,
    });
    const rows = await listPendingChanges(db);
    expect(rows.map((r) => [r.entity, r.op, r.sent])).toEqual([
      ['partenariat', 'create', true],
      ['partenariat', 'update', false],
      ['declarationApd', 'create', false],
      ['ligneApd', 'create', false],
    ]);
    expect(rows[1]!.fields).toEqual(['nomPartenaire', 'statut']);
    expect(rows[1]!.rec).toMatchObject({ id: p.id, nomPartenaire: 'Ville de Saint-Louis' });
    expect(Date.parse(rows[1]!.createdAt)).not.toBeNaN();
    const l = rows.find((r) => r.record === ligne.id)!;
    expect(l.parent).toMatchObject({ id: decl.id, annee: 2025 });
  });

  it('names the record of a pending delete from what was deleted', async () => {
    const c = await repo.create('contact', contactFields({ prenom: 'Maëlle', nom: 'Tanguy' }));
    await freeze(db);
    await repo.remove('contact', c.id);
    const del = (await listPendingChanges(db)).find((r) => r.op === 'delete')!;
    expect(del.rec).toMatchObject({ prenom: 'Maëlle', nom: 'Tanguy' });
  });
});

describe('undoable deletes', () => {
  it('lists every unsent delete, not only the last one, and each can be undone', async () => {
    const a = await repo.create('contact', contactFields({ prenom: 'Anne' }));
    const b = await repo.create('contact', contactFields({ prenom: 'Bruno', courriel: 'bruno@mairie-exemple.fr' }));
    await freeze(db);
    await repo.remove('contact', a.id);
    await repo.remove('contact', b.id);
    expect((await listUndoableDeletes(db)).map((d) => d.snapshot.prenom).sort()).toEqual(['Anne', 'Bruno']);
    expect(await repo.undoRemove('contact', a.id)).toBe(true);
    expect((await listUndoableDeletes(db)).map((d) => d.snapshot.prenom)).toEqual(['Bruno']);
    expect(await repo.get('contact', a.id)).toMatchObject({ prenom: 'Anne' });
  });

  it('counts the children removed with a record, and lists only the record itself', async () => {
    const p = await repo.create('partenariat', partenariatFields());
    await repo.create('ficheProjet', ficheFields(p.id));
    await repo.create('ficheProjet', ficheFields(p.id, { intitule: 'Écoles' }));
    await repo.remove('partenariat', p.id);
    const rows = await listUndoableDeletes(db);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ entity: 'partenariat', id: p.id, children: 2 });
  });

  it('drops a delete once a sync cycle has taken it', async () => {
    const c = await repo.create('contact', contactFields());
    // As if the server had acknowledged the creation (revision 7): the delete can be sent at once.
    await db.outbox.clear();
    await db.meta.put({ entity: 'contact', id: c.id, rev: 7, fieldRevs: {}, deleted: false });
    await repo.remove('contact', c.id);
    expect(await listUndoableDeletes(db)).toHaveLength(1);
    await freeze(db);
    expect(await listUndoableDeletes(db)).toEqual([]);
    expect(await repo.undoRemove('contact', c.id)).toBe(false);
  });
});
