// The device side of the merge: results and pulled pages applied to the offline copy.
import { beforeEach, describe, expect, it } from 'vitest';
import type { AtlasDb, OutboxUpdate } from '../../../src-renderer/db/database';
import { recordStatus } from '../../../src-renderer/db/hooks';
import { readMeta } from '../../../src-renderer/db/base';
import { createRepository } from '../../../src-renderer/db/repository';
import { applyResponse, freeze, LOCAL_CORRUPT } from '../../../src-renderer/sync/apply';
import type { SyncResponse } from '../../../src-shared/sync/protocol';
import { contactFields, freshDb } from './fixtures';

let db: AtlasDb;
let repo: ReturnType<typeof createRepository>;
beforeEach(() => {
  db = freshDb();
  repo = createRepository(db);
});

const ID = '0190f0a0-0000-7000-8000-0000000000a1';
const CONFLICT_ID = '0190f0a0-0000-7000-8000-0000000000c1';
function response(over: Partial<SyncResponse>): SyncResponse {
  return {
    v: 1,
    results: [],
    changes: [],
    conflicts: [],
    cursor: '10',
    more: false,
    serverTime: new Date().toISOString(),
    ...over,
  };
}
async function pullContact(rev: number, fields: Record<string, unknown>, fieldRevs?: Record<string, number>) {
  await applyResponse(
    db,
    response({
      changes: [{ entity: 'contact', id: ID, rev, fields, ...(fieldRevs ? { fieldRevs } : {}) }],
      cursor: String(rev),
    }),
  );
}

describe('applying a sync response on the device', () => {
  it('a pulled new record appears, synced, and the cursor moves', async () => {
    await pullContact(5, contactFields());
    expect(await repo.get('contact', ID)).toMatchObject({ id: ID, nom: 'Martin' });
    expect(await recordStatus('contact', ID, db)).toBe('synced');
    expect((await db.syncState.get('cursor'))?.value).toBe('5');
    // Nothing pending: the record row is the server version and carries its revisions; no meta row.
    expect(await db.meta.get(['contact', ID])).toBeUndefined();
    expect(await db.records('contact').get(ID)).toMatchObject({ nom: 'Martin', $rev: 5 });
    expect(await readMeta(db, 'contact', ID)).toMatchObject({
      row: false,
      meta: { rev: 5, fieldRevs: { nom: 5 }, fields: { nom: 'Martin' } },
    });
    // Screens never see the revision keys (the schemas are strict).
    expect(await repo.get('contact', ID)).not.toHaveProperty('$rev');
    expect((await repo.list('contact'))[0]).not.toHaveProperty('$rev');
  });

  it('the copy is complete from a cursor only when a pull ends; a server that starts the device over resets it', async () => {
    await applyResponse(db, response({ cursor: '500', more: false }));
    expect((await db.syncState.get('since'))?.value).toBe('500');
    // Pages of a longer pull move the cursor, not `since`.
    await applyResponse(db, response({ cursor: '600', more: true }));
    expect((await db.syncState.get('since'))?.value).toBe('500');
    await applyResponse(db, response({ cursor: '700', more: false }));
    expect((await db.syncState.get('since'))?.value).toBe('700');
    // A cursor that goes back (a restored server database): nothing is complete until that pull ends.
    await applyResponse(db, response({ cursor: '12', more: true }));
    expect((await db.syncState.get('since'))?.value).toBe('0');
    await applyResponse(db, response({ cursor: '40', more: false }));
    expect((await db.syncState.get('since'))?.value).toBe('40');
  });

  it('a pulled field never overwrites a pending local edit of that field; other fields merge in', async () => {
    await pullContact(5, contactFields());
    await repo.update('contact', ID, { nom: 'Local' });
    await pullContact(8, { nom: 'Serveur', fonction: 'Adjointe' });
    expect(await repo.get('contact', ID)).toMatchObject({ nom: 'Local', fonction: 'Adjointe' });
    const [e] = (await db.outbox.toArray()) as OutboxUpdate[];
    // The pending change keeps the base the person saw: the server will see the conflict.
    expect(e!.fields.nom).toEqual({ value: 'Local', base: 5 });
    expect((await db.meta.get(['contact', ID]))!.fields?.nom).toBe('Serveur');
  });

  it('an older pulled field revision does not replace a newer one', async () => {
    await pullContact(9, contactFields({ nom: 'Neuf' }));
    await pullContact(7, { nom: 'Ancien' }, { nom: 7 });
    expect((await repo.get('contact', ID))!.nom).toBe('Neuf');
  });

  it('an acknowledged change leaves the outbox, folds into the base, and fixes the base of a later edit', async () => {
    const c = await repo.create('contact', contactFields());
    const frozen = await freeze(db);
    expect(frozen.changes).toHaveLength(1);
    await repo.update('contact', c.id, { nom: 'Après' });
    expect(((await db.outbox.toArray())[1] as OutboxUpdate).fields.nom!.base).toBeNull();
    // Not sendable before the create's result: its base is unknown.
    expect((await freeze(db)).changes.map((x) => x.op)).toEqual(['create']);
    await applyResponse(
      db,
      response({ results: [{ id: frozen.changes[0]!.id, status: 'applied', rev: 11 }], cursor: '11' }),
    );
    const rest = (await db.outbox.toArray()) as OutboxUpdate[];
    expect(rest).toHaveLength(1);
    expect(rest[0]!.fields.nom).toEqual({ value: 'Après', base: 11 });
    expect(await db.meta.get(['contact', c.id])).toMatchObject({ rev: 11, fields: { nom: 'Martin' } });
    expect((await repo.get('contact', c.id))!.nom).toBe('Après');
    const next = await freeze(db);
    expect(next.changes[0]).toMatchObject({ op: 'update', seq: 2, fields: { nom: { value: 'Après', base: 11 } } });
  });

  it('a retry resends the frozen change with the same id and seq', async () => {
    await repo.create('contact', contactFields());
    const a = await freeze(db);
    const b = await freeze(db);
    expect(b.changes).toEqual(a.changes);
  });

  it('a conflict is stored with both values; the record shows the server value and the conflict status', async () => {
    await pullContact(5, contactFields());
    await repo.update('contact', ID, { nom: 'Local' });
    const { changes } = await freeze(db);
    await applyResponse(
      db,
      response({
        results: [{ id: changes[0]!.id, status: 'conflict', rev: 12, conflicts: [CONFLICT_ID] }],
        changes: [{ entity: 'contact', id: ID, rev: 12, fields: { nom: 'Serveur' } }],
        conflicts: [
          {
            id: CONFLICT_ID,
            rev: 12,
            entity: 'contact',
            record: ID,
            kind: 'field',
            field: 'nom',
            serverValue: 'Serveur',
            proposedValue: 'Local',
            proposedBy: 'agent@x.fr',
            proposedAt: new Date().toISOString(),
            serverBy: 'autre@x.fr',
            resolved: false,
          },
        ],
        cursor: '12',
      }),
    );
    expect(await db.outbox.count()).toBe(0);
    expect((await repo.get('contact', ID))!.nom).toBe('Serveur');
    expect(await db.conflicts.get(CONFLICT_ID)).toMatchObject({ serverValue: 'Serveur', proposedValue: 'Local' });
    expect(await recordStatus('contact', ID, db)).toBe('conflict');
    // Resolving sends an update that settles the conflict.
    await repo.resolveConflict(CONFLICT_ID, 'Local');
    expect(await recordStatus('contact', ID, db)).toBe('pending');
    const r = await freeze(db);
    expect(r.changes[0]).toMatchObject({
      op: 'update',
      resolves: [CONFLICT_ID],
      fields: { nom: { value: 'Local', base: 12 } },
    });
    await applyResponse(
      db,
      response({
        results: [{ id: r.changes[0]!.id, status: 'applied', rev: 13 }],
        conflicts: [
          {
            id: CONFLICT_ID,
            rev: 13,
            entity: 'contact',
            record: ID,
            kind: 'field',
            field: 'nom',
            serverValue: 'Serveur',
            proposedValue: 'Local',
            proposedBy: 'agent@x.fr',
            proposedAt: new Date().toISOString(),
            serverBy: 'autre@x.fr',
            resolved: true,
          },
        ],
        cursor: '13',
      }),
    );
    expect(await db.conflicts.count()).toBe(0);
    expect(await recordStatus('contact', ID, db)).toBe('synced');
    expect((await repo.get('contact', ID))!.nom).toBe('Local');
  });

  it('a rejected edit is kept with the server message; the record returns to the server value', async () => {
    await pullContact(5, contactFields());
    await repo.update('contact', ID, { fonction: 'Refusée' });
    const { changes } = await freeze(db);
    await applyResponse(
      db,
      response({
        results: [
          {
            id: changes[0]!.id,
            status: 'rejected',
            code: 'FORBIDDEN',
            message: 'Vous ne pouvez pas modifier ce champ.',
          },
        ],
      }),
    );
    expect(await db.rejected.get(changes[0]!.id)).toMatchObject({
      code: 'FORBIDDEN',
      message: 'Vous ne pouvez pas modifier ce champ.',
      proposed: { fonction: 'Refusée' },
    });
    expect(await recordStatus('contact', ID, db)).toBe('rejected');
    expect((await repo.get('contact', ID))!.fonction).toBe('Maire');
  });

  it('a rejected creation stays on the device; editing it sends a new creation that settles the rejection', async () => {
    const c = await repo.create('contact', contactFields());
    const { changes } = await freeze(db);
    await repo.update('contact', c.id, { fonction: 'Adjointe' });
    await applyResponse(
      db,
      response({
        results: [
          { id: changes[0]!.id, status: 'rejected', code: 'OUT_OF_SCOPE', message: 'Hors de votre collectivité.' },
        ],
      }),
    );
    expect(await db.outbox.count()).toBe(0);
    expect(await repo.get('contact', c.id)).toMatchObject({ fonction: 'Adjointe' });
    expect(await recordStatus('contact', c.id, db)).toBe('rejected');
    await repo.update('contact', c.id, { fonction: 'Maire adjointe' });
    const next = await freeze(db);
    expect(next.changes[0]).toMatchObject({ op: 'create', fields: { fonction: 'Maire adjointe' } });
    await applyResponse(db, response({ results: [{ id: next.changes[0]!.id, status: 'applied', rev: 20 }] }));
    expect(await db.rejected.count()).toBe(0);
    expect(await recordStatus('contact', c.id, db)).toBe('synced');
  });

  it('a pulled tombstone removes the record and purges its content', async () => {
    await pullContact(5, contactFields());
    await applyResponse(db, response({ changes: [{ entity: 'contact', id: ID, rev: 6, deleted: true }] }));
    expect(await repo.get('contact', ID)).toBeUndefined();
    const meta = await db.meta.get(['contact', ID]);
    expect(meta).toMatchObject({ deleted: true, rev: 6 });
    expect(meta!.fields ?? {}).toEqual({});
  });

  it('a corrupted outbox entry is set aside as a local rejection, not sent, not lost', async () => {
    const c = await repo.create('contact', contactFields());
    const e = (await db.outbox.toArray())[0]!;
    await db.outbox.put({ ...e, values: { nom: 42 } } as typeof e);
    await repo.create('contact', contactFields({ nom: 'Saine' }));
    const { changes, quarantined } = await freeze(db);
    expect(quarantined).toBe(1);
    expect(changes.map((x) => x.op === 'create' && x.fields.nom)).toEqual(['Saine']);
    const rj = await db.rejected.toArray();
    expect(rj).toHaveLength(1);
    expect(rj[0]).toMatchObject({ code: LOCAL_CORRUPT, record: c.id, proposed: { nom: 42 } });
  });

  it('a result for a change the device no longer has is ignored', async () => {
    await applyResponse(
      db,
      response({
        results: [{ id: '0190f0a0-0000-7000-8000-0000000000ff', status: 'applied', rev: 3, duplicate: true }],
      }),
    );
    expect(await db.outbox.count()).toBe(0);
  });
});

describe('the version of a record the server gave the device (issue 15: the fiche an avis concerns)', () => {
  it('is the highest revision of its fields, not the record revision; a pending edit does not move it', async () => {
    expect(await repo.serverRevision('contact', ID)).toBeNull();
    // Created on this device and not yet sent: no server version.
    const local = await repo.create('contact', { ...contactFields() });
    expect(await repo.serverRevision('contact', local.id)).toBeNull();
    await pullContact(5, contactFields());
    expect(await repo.serverRevision('contact', ID)).toBe(5);
    await pullContact(9, { fonction: 'Adjointe' });
    expect(await repo.serverRevision('contact', ID)).toBe(9);
    // A record moved to another région comes whole at a new revision, its fields keeping theirs: the version stays.
    const fields = contactFields({ fonction: 'Adjointe' });
    await pullContact(12, fields, Object.fromEntries(Object.keys(fields).map((f) => [f, f === 'fonction' ? 9 : 5])));
    expect(await repo.serverRevision('contact', ID)).toBe(9);
    await repo.update('contact', ID, { nom: 'Local' });
    expect(await repo.serverRevision('contact', ID)).toBe(9);
  });
});

describe('server values kept only while the local record departs from them', () => {
  it('the first local edit keeps the server values; the acknowledgement drops them again', async () => {
    await pullContact(5, contactFields());
    expect(await db.meta.get(['contact', ID])).toBeUndefined();
    await repo.update('contact', ID, { nom: 'Local' });
    expect(await db.records('contact').get(ID)).not.toHaveProperty('$rev');
    expect((await db.meta.get(['contact', ID]))!.fields).toMatchObject({ nom: 'Martin', fonction: 'Maire' });
    // Back to the server value: the base was kept, so the change disappears.
    await repo.update('contact', ID, { nom: 'Martin' });
    expect(await db.outbox.count()).toBe(0);
    await repo.update('contact', ID, { nom: 'Local' });
    const { changes } = await freeze(db);
    await applyResponse(db, response({ results: [{ id: changes[0]!.id, status: 'applied', rev: 9 }], cursor: '9' }));
    expect(await db.meta.get(['contact', ID])).toBeUndefined();
    // Only the field revision that differs from the record's is stored beside it.
    expect(await db.records('contact').get(ID)).toMatchObject({
      nom: 'Local',
      $rev: 9,
      $revs: { fonction: 5, prenom: 5 },
    });
    expect((await db.records('contact').get(ID))!.$revs).not.toHaveProperty('nom');
    expect((await readMeta(db, 'contact', ID)).meta).toMatchObject({ rev: 9, fieldRevs: { nom: 9, fonction: 5 } });
    expect(await repo.get('contact', ID)).toMatchObject({ nom: 'Local', fonction: 'Maire' });
    // The next edit of another field is based on that field's own revision.
    await repo.update('contact', ID, { fonction: 'Adjointe' });
    expect((await freeze(db)).changes[0]).toMatchObject({ fields: { fonction: { value: 'Adjointe', base: 5 } } });
  });

  it('a delete keeps the server values, so a rejected delete brings the record back whole', async () => {
    await pullContact(5, contactFields());
    await repo.remove('contact', ID);
    expect(await repo.get('contact', ID)).toBeUndefined();
    const { changes } = await freeze(db);
    await applyResponse(
      db,
      response({
        results: [{ id: changes[0]!.id, status: 'rejected', code: 'FORBIDDEN', message: 'Suppression refusée.' }],
      }),
    );
    expect(await repo.get('contact', ID)).toMatchObject({ nom: 'Martin', courriel: 'anne.martin@mairie-exemple.fr' });
    expect(await recordStatus('contact', ID, db)).toBe('rejected');
  });

  it('a first import writes pulled records into packs without looking them up, but never duplicates one written here meanwhile', async () => {
    const fresh = { written: new Set<string>() };
    const id = (n: number) => `0190f0a0-0000-7000-8000-0000000002${String(n).padStart(2, '0')}`;
    const page = (ns: number[], rev: number) =>
      response({
        changes: ns.map((n, i) => ({
          entity: 'contact' as const,
          id: id(n),
          rev: rev + i,
          fields: contactFields({ nom: `Serveur ${n}` }),
        })),
        cursor: String(rev + ns.length),
        more: true,
      });
    await applyResponse(db, page([1, 2, 3], 1), fresh);
    expect(await db.loose.count()).toBe(0);
    expect((await db.packs.toArray()).reduce((n, p) => n + p.ids.length, 0)).toBe(3);
    // Between two pages, a person edits an imported record and creates one the next page also brings.
    await repo.update('contact', id(2), { fonction: 'Adjointe' });
    await repo.create('contact', { ...contactFields({ nom: 'Local 4' }), id: id(4) });
    await applyResponse(db, page([4, 5, 2], 10), fresh);
    // One copy of each: the local edit and the local creation stay on top of the server's versions.
    expect((await db.records('contact').toArray()).map((r) => r.id)).toEqual([id(1), id(2), id(3), id(4), id(5)]);
    expect(await repo.get('contact', id(2))).toMatchObject({ nom: 'Serveur 2', fonction: 'Adjointe' });
    expect(await repo.get('contact', id(4))).toMatchObject({ nom: 'Local 4' });
    expect(await repo.get('contact', id(5))).toMatchObject({ nom: 'Serveur 5' });
    // The created record is a loose row only (a pack copy would be a second, stale one).
    const packed = (await db.packs.toArray()).flatMap((p) => p.ids);
    expect(packed.filter((x) => x === id(4))).toEqual([]);
    expect((await db.loose.toArray()).map((l) => l.id).sort()).toEqual([id(2), id(4)]);
    expect(await recordStatus('contact', id(4), db)).toBe('pending');
  });
});
