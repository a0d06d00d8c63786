// Sync semantics: merge, every conflict kind and their resolution, idempotent retries, sequence
// numbers, per-change isolation, RGPD purge, paging across a large pull.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/testServer';
import { TestDevice, api } from '../helpers/client';
import { naturalId, newId } from '../../../src-shared/sync/ids';
import type { Change, PulledRecord } from '../../../src-shared/sync/protocol';
import { insertRecords } from '../../../src-server/seed/insert';
import { validRecord } from '../helpers/fixtures';
import { ENTITY_NAMES } from '../../../src-shared/registry';
import { TABLE_DEFS } from '../../../src-server/sync/tables';

let s: TestServer;
let a1: TestDevice;
let a2: TestDevice;
let daect: TestDevice;
let cid: string;

beforeAll(async () => {
  s = await startTestServer({ seed: 'small' });
  const u1 = await s.createUser({ role: 'agent', collectiviteCode: 'commune:22278' });
  const u2 = await s.createUser({ role: 'agent', collectiviteCode: 'commune:22278' });
  const ud = await s.createUser({ role: 'daect' });
  cid = u1.collectiviteId!;
  a1 = await new TestDevice(s.url).login(u1.email, u1.password);
  a2 = await new TestDevice(s.url).login(u2.email, u2.password);
  daect = await new TestDevice(s.url).login(ud.email, ud.password);
  await a1.pullAll();
  await a2.pullAll();
});
afterAll(async () => {
  await s?.close();
});

function contactFields(extra: Record<string, unknown> = {}) {
  return {
    collectiviteId: cid,
    categorie: 'elu',
    civilite: 'M.',
    prenom: 'Yann',
    nom: 'Le Bihan',
    fonction: 'Maire',
    courriel: 'yann.lebihan@mairie.fr',
    telephone: null,
    ...extra,
  };
}

async function create(d: TestDevice, entity: Change['entity'], fields: Record<string, unknown>, record = newId()) {
  const r = await d.sync([d.change({ entity, op: 'create', record, fields })]);
  expect(r.status).toBe(200);
  return { id: record, result: r.body.results[0]!, body: r.body };
}

/** Sends one update of a record from device d: each changed field with its new value and base. */
function update(
  d: TestDevice,
  entity: Change['entity'],
  record: string,
  fields: Extract<Change, { op: 'update' }>['fields'],
) {
  return d.sync([d.change({ entity, op: 'update', record, fields })]);
}

const find = (recs: PulledRecord[], id: string) => recs.find((r) => r.id === id);

describe('three-way merge', () => {
  it('merges edits of different fields silently and sends each device the other field', async () => {
    const { id, result } = await create(a1, 'contact', contactFields());
    const base = result.rev!;
    await a2.pullAll();
    const r1 = await update(a1, 'contact', id, { fonction: { value: 'Maire honoraire', base } });
    expect(r1.body.results[0]).toMatchObject({ status: 'applied' });
    const r2 = await update(a2, 'contact', id, { telephone: { value: '02 96 00 00 00', base } });
    expect(r2.body.results[0]).toMatchObject({ status: 'merged' });
    // a2's own edit is not echoed, but a1's edit of another field reaches it
    const pulled = find(r2.body.changes, id);
    expect(pulled?.fields).toEqual({ fonction: 'Maire honoraire' });
    const p1 = await a1.sync();
    expect(find(p1.body.changes, id)?.fields).toEqual({ telephone: '02 96 00 00 00' });
    // the audit log says who, from which device, which field, old → new
    const audit = await s.internals.db.query(
      'SELECT user_id, device_id, field, old_value, new_value FROM audit_log WHERE record_id = $1 AND field IS NOT NULL ORDER BY id',
      [id],
    );
    expect(audit).toEqual([
      {
        user_id: a1.session.user.id,
        device_id: a1.id,
        field: 'fonction',
        old_value: 'Maire',
        new_value: 'Maire honoraire',
      },
      {
        user_id: a2.session.user.id,
        device_id: a2.id,
        field: 'telephone',
        old_value: null,
        new_value: '02 96 00 00 00',
      },
    ]);
  });

  it('keeps a field conflict for a person, on both sides, until resolved', async () => {
    const { id, result } = await create(a1, 'contact', contactFields({ prenom: 'Loïc' }));
    await a2.pullAll();
    const base = result.rev!;
    await update(a1, 'contact', id, { prenom: { value: 'Loïg', base } });
    const r2 = await update(a2, 'contact', id, { prenom: { value: 'Louis', base } });
    const res = r2.body.results[0]!;
    expect(res.status).toBe('conflict');
    expect(res.conflicts).toHaveLength(1);
    const c = r2.body.conflicts.find((x) => x.id === res.conflicts![0]);
    expect(c).toMatchObject({
      kind: 'field',
      field: 'prenom',
      serverValue: 'Loïg',
      proposedValue: 'Louis',
      resolved: false,
    });
    const p1 = await a1.sync();
    expect(p1.body.conflicts.map((x) => x.id)).toContain(res.conflicts![0]);
    // a person picks "Louis": the resolving change is applied whatever its base
    const fix = await a2.sync([
      a2.change({
        entity: 'contact',
        op: 'update',
        record: id,
        fields: { prenom: { value: 'Louis', base } },
        resolves: [c!.id],
      }),
    ]);
    expect(fix.body.results[0]!.status).toMatch(/applied|merged/);
    const p2 = await a1.sync();
    expect(find(p2.body.changes, id)?.fields).toMatchObject({ prenom: 'Louis' });
    expect(p2.body.conflicts.find((x) => x.id === c!.id)).toMatchObject({ resolved: true });
  });

  it('turns an edit against a delete into an edit_delete conflict', async () => {
    const { id, result } = await create(a1, 'partenariat', validRecord('partenariat', cid, {} as never).fields);
    await a2.pullAll();
    const del = await a1.sync([a1.change({ entity: 'partenariat', op: 'delete', record: id, base: result.rev! })]);
    expect(del.body.results[0]!.status).toBe('applied');
    const edit = await update(a2, 'partenariat', id, { statut: { value: 'en_sommeil', base: result.rev! } });
    expect(edit.body.results[0]!.status).toBe('conflict');
    const c = edit.body.conflicts.find((x) => x.record === id && x.kind === 'edit_delete');
    expect(c).toBeTruthy();
    expect(find(edit.body.changes, id)).toMatchObject({ deleted: true });
  });

  it('turns a delete against an edit into a delete_edit conflict, then applies it once resolved', async () => {
    const { id, result } = await create(a1, 'partenariat', validRecord('partenariat', cid, {} as never).fields);
    await a2.pullAll();
    await update(a1, 'partenariat', id, { statut: { value: 'terminee', base: result.rev! } });
    const del = await a2.sync([a2.change({ entity: 'partenariat', op: 'delete', record: id, base: result.rev! })]);
    const res = del.body.results[0]!;
    expect(res.status).toBe('conflict');
    const c = del.body.conflicts.find((x) => x.id === res.conflicts![0])!;
    expect(c.kind).toBe('delete_edit');
    const again = await a2.sync([
      a2.change({ entity: 'partenariat', op: 'delete', record: id, base: result.rev!, resolves: [c.id] }),
    ]);
    expect(again.body.results[0]!.status).toBe('merged');
    const p = await a1.sync();
    expect(find(p.body.changes, id)).toMatchObject({ deleted: true });
    expect(p.body.conflicts.find((x) => x.id === c.id)?.resolved).toBe(true);
  });

  it('meets two offline creations of the same APD year as one record (natural key)', async () => {
    const id = naturalId('declarationApd', [cid, 2019]);
    const one = await create(
      a1,
      'declarationApd',
      { collectiviteId: cid, annee: 2019, commentaire: 'Saisie du poste 1' },
      id,
    );
    expect(one.result.status).toBe('applied');
    const two = await create(
      a2,
      'declarationApd',
      { collectiviteId: cid, annee: 2019, commentaire: 'Saisie du poste 2' },
      id,
    );
    expect(two.result.status).toBe('conflict');
    expect(two.body.conflicts.find((c) => c.record === id)).toMatchObject({
      kind: 'natural_key',
      field: 'commentaire',
    });
    const same = await create(
      a2,
      'declarationApd',
      { collectiviteId: cid, annee: 2019, commentaire: 'Saisie du poste 1' },
      id,
    );
    expect(same.result.status).toBe('merged');
    const rows = await s.internals.db.query(
      'SELECT count(*)::int AS n FROM declaration_apd WHERE "collectiviteId" = $1 AND "annee" = 2019',
      [cid],
    );
    expect(rows[0]!.n).toBe(1);
    const wrong = await create(a1, 'declarationApd', { collectiviteId: cid, annee: 2018, commentaire: null });
    expect(wrong.result).toMatchObject({ status: 'rejected', code: 'NATURAL_KEY_ID' });
  });
});

describe('batches, retries and sequence numbers', () => {
  it('applies a retried batch once and returns the stored results', async () => {
    const batch = [
      a1.change({ entity: 'contact', op: 'create', record: newId(), fields: contactFields({ nom: 'Retry1' }) }),
      a1.change({
        entity: 'adhesion',
        op: 'create',
        record: newId(),
        fields: validRecord('adhesion', cid, {} as never).fields,
      }),
      a1.change({ entity: 'contact', op: 'create', record: newId(), fields: contactFields({ nom: 'Retry2' }) }),
    ];
    const first = await a1.sync(batch);
    const count = async () =>
      (
        await s.internals.db.query<{ n: number }>(
          'SELECT (SELECT count(*) FROM contact) + (SELECT count(*) FROM adhesion) + (SELECT count(*) FROM audit_log) AS n',
        )
      )[0]!.n;
    const before = await count();
    const second = await a1.sync(batch);
    expect(second.body.results.map((r) => r.status)).toEqual(first.body.results.map((r) => r.status));
    expect(second.body.results.every((r) => r.duplicate === true)).toBe(true);
    expect(second.body.results.map((r) => r.rev)).toEqual(first.body.results.map((r) => r.rev));
    expect(await count()).toBe(before);
  });

  it('rejects a replayed sequence number with an unknown change id, and sorts a batch by sequence', async () => {
    const c = a1.change({ entity: 'contact', op: 'create', record: newId(), fields: contactFields({ nom: 'Seq' }) });
    await a1.sync([c]);
    const replay = await a1.sync([{ ...c, id: newId(), record: newId() }]);
    expect(replay.body.results[0]).toMatchObject({ status: 'rejected', code: 'SEQ_REPLAY' });
    const x = a1.change({
      entity: 'contact',
      op: 'create',
      record: newId(),
      fields: contactFields({ nom: 'Premier' }),
    });
    const y = a1.change({
      entity: 'contact',
      op: 'update',
      record: x.record,
      fields: { nom: { value: 'Second', base: 0 } },
    });
    const r = await a1.sync([y, x]);
    expect(r.body.results.map((z) => [z.id, z.status])).toEqual([
      [x.id, 'applied'],
      [y.id, 'applied'],
    ]);
  });

  it('never lets one refused change affect the others of the batch', async () => {
    const ok1 = a1.change({ entity: 'contact', op: 'create', record: newId(), fields: contactFields({ nom: 'Bon1' }) });
    const bad = a1.change({
      entity: 'contact',
      op: 'create',
      record: newId(),
      fields: contactFields({ courriel: 'pas-une-adresse' }),
    });
    const ok2 = a1.change({ entity: 'contact', op: 'create', record: newId(), fields: contactFields({ nom: 'Bon2' }) });
    const r = await a1.sync([ok1, bad, ok2]);
    expect(r.body.results.map((z) => z.status)).toEqual(['applied', 'rejected', 'applied']);
    expect(r.body.results[1]).toMatchObject({ code: 'VALIDATION' });
    expect(r.body.results[1]!.message).toMatch(/Courriel/);
    const rows = await s.internals.db.query('SELECT "id" FROM contact WHERE "id" = ANY($1::uuid[])', [
      [ok1.record, bad.record, ok2.record],
    ]);
    expect(rows).toHaveLength(2);
  });

  it('refuses deleting a parent with live children, and validates cross-field rules on the merged record', async () => {
    const p = await create(a1, 'partenariat', validRecord('partenariat', cid, {} as never).fields);
    const f = validRecord('ficheProjet', cid, { partenariatId: p.id } as never);
    const fc = await create(a1, 'ficheProjet', f.fields, f.id);
    const del = await a1.sync([a1.change({ entity: 'partenariat', op: 'delete', record: p.id, base: p.result.rev! })]);
    expect(del.body.results[0]).toMatchObject({ status: 'rejected', code: 'HAS_CHILDREN' });
    const bad = await update(a1, 'ficheProjet', f.id, {
      participationCollectivite: { value: 5000, base: fc.result.rev! },
    });
    expect(bad.body.results[0]).toMatchObject({ status: 'rejected', code: 'VALIDATION' });
  });

  it('purges a deleted contact everywhere (RGPD)', async () => {
    const { id, result } = await create(a1, 'contact', contactFields({ nom: 'Effacé', courriel: 'efface@mairie.fr' }));
    await a1.sync([a1.change({ entity: 'contact', op: 'delete', record: id, base: result.rev! })]);
    const row = (await s.internals.db.query('SELECT * FROM contact WHERE "id" = $1', [id]))[0]!;
    expect(row).toMatchObject({ deleted: true, nom: null, courriel: null, prenom: null });
    const audit = await s.internals.db.query(
      "SELECT * FROM audit_log WHERE record_id = $1 AND (old_value IS NOT NULL OR new_value IS NOT NULL) AND new_value <> 'null'::jsonb",
      [id],
    );
    expect(audit).toHaveLength(0);
    const p = await a2.pullAll();
    expect(p.flatMap((x) => x.changes).find((r) => r.id === id)).toMatchObject({ deleted: true });
  });
});

describe('paging', () => {
  it('pulls a large scope completely across pages, without duplicates', async () => {
    const recs = Array.from({ length: 3000 }, () => validRecord('partenariat', cid, {} as never)).map((r, i) => ({
      id: r.id,
      ...r.fields,
      nomPartenaire: `Ville de Hué ${i}`,
    }));
    await insertRecords(s.internals.db, s.internals.sync.revs, 'partenariat', recs, () => '53');
    const fresh = new TestDevice(s.url);
    fresh.session = daect.session;
    const pages = await fresh.pullAll(700);
    expect(pages.length).toBeGreaterThanOrEqual(5);
    const ids = pages.flatMap((p) => p.changes.map((c) => `${c.entity}:${c.id}`));
    expect(new Set(ids).size).toBe(ids.length);
    const total = (
      await s.internals.db.query<{ n: number }>(
        // Every table of the registry (the reference lists' entries included, issue 15).
        `SELECT ${ENTITY_NAMES.map((e) => `(SELECT count(*) FROM ${TABLE_DEFS[e].table})`).join(' + ')} AS n`,
      )
    )[0]!.n;
    expect(ids.length).toBe(Number(total));
    // A first pull is told how many records remain after its first page (the progress shown to people);
    // a device that pages from a complete copy (here `since` is the cursor) is not.
    expect(pages[0]!.remaining).toBe(ids.length - pages[0]!.changes.length);
    expect(pages[1]!.remaining).toBeUndefined();
    for (const r of recs) expect(ids).toContain(`partenariat:${r.id}`);
    const cursors = pages.map((p) => Number(p.cursor));
    expect([...cursors].sort((x, y) => x - y)).toEqual(cursors);
    const noop = await api(s.url, '/api/v1/sync', {
      token: daect.session.accessToken,
      body: { v: 1, cursor: fresh.cursor, changes: [] },
    });
    expect(noop.body).toMatchObject({ changes: [], conflicts: [], more: false });
  });
});

describe('per-scope high-water marks', () => {
  it('skips the query when only other scopes changed, and never misses a change of its own scope', async () => {
    const lyon = await s.createUser({ role: 'agent', collectiviteCode: 'commune:69123' });
    const dl = await new TestDevice(s.url).login(lyon.email, lyon.password);
    await a1.pullAll();
    const before = a1.cursor;
    await create(dl, 'contact', { ...contactFields(), collectiviteId: lyon.collectiviteId });
    const quiet = await a1.sync();
    expect(quiet.body.changes).toEqual([]);
    expect(Number(quiet.body.cursor)).toBeGreaterThan(Number(before));
    const { id } = await create(a2, 'contact', contactFields({ nom: 'Voisin' }));
    const seen = await a1.sync();
    expect(find(seen.body.changes, id)).toBeTruthy();
  });

  it('shows the SGAR a collectivité created by an account request, after its cursor', async () => {
    const sgarUser = await s.createUser({ role: 'sgar', region: '53' });
    const sg = await new TestDevice(s.url).login(sgarUser.email, sgarUser.password);
    await sg.pullAll();
    const fresh = await s.createUser({ role: 'agent', collectiviteCode: 'commune:29019' }); // Brest: not seeded
    const p = await sg.sync();
    expect(find(p.body.changes, fresh.collectiviteId!)).toMatchObject({ entity: 'collectivite' });
  });
});

describe('a push cycle whose pull the server may skip', () => {
  it('never hides what another device of the scope wrote since the cursor', async () => {
    const { id: y, result: ry } = await create(a2, 'contact', contactFields({ nom: 'Propre' }));
    await a1.pullAll();
    await a2.pullAll();
    const baseY = (await a1.sync()).body.cursor;
    // a1 writes a new record X and another field of a2's record Y; a2 has seen neither.
    const { id: x } = await create(a1, 'contact', contactFields({ nom: 'Autre poste' }));
    const r1 = await update(a1, 'contact', y, { telephone: { value: '02 96 11 11 11', base: Number(baseY) } });
    expect(r1.body.results[0]).toMatchObject({ status: 'applied' });
    // a2 pushes an edit of Y's function: its response must carry X and Y's telephone, not its own edit.
    const r2 = await update(a2, 'contact', y, { fonction: { value: 'Adjoint', base: ry.rev! } });
    expect(r2.body.results[0]!.status).toMatch(/applied|merged/);
    expect(find(r2.body.changes, x)?.fields).toMatchObject({ nom: 'Autre poste' });
    expect(find(r2.body.changes, y)?.fields).toEqual({ telephone: '02 96 11 11 11' });
    // Then nothing is left for a2, and a1 receives a2's edit.
    expect((await a2.sync()).body.changes).toEqual([]);
    expect(find((await a1.sync()).body.changes, y)?.fields).toEqual({ fonction: 'Adjoint' });
  });

  it('skips nothing when the device pushes after another device pushed in the same scope', async () => {
    await a1.pullAll();
    await a2.pullAll();
    const { id: mine, result: rm } = await create(a2, 'contact', contactFields({ nom: 'Mien' }));
    const { id: theirs } = await create(a1, 'contact', contactFields({ nom: 'Sien' }));
    const r = await update(a2, 'contact', mine, { fonction: { value: 'Conseillère', base: rm.rev! } });
    expect(find(r.body.changes, theirs)).toBeTruthy();
    expect(find(r.body.changes, mine)).toBeUndefined();
  });
});

describe('conflict dates', () => {
  it('sends when the server value was written, besides who wrote it and when the other value was proposed', async () => {
    const { id, result } = await create(a1, 'contact', contactFields({ fonction: 'Adjointe' }));
    await a2.pullAll();
    const base = result.rev!;
    await update(a1, 'contact', id, { fonction: { value: 'Maire', base } });
    const [written] = await s.internals.db.query<{ at: unknown }>(
      'SELECT max(at) AS at FROM audit_log WHERE record_id = $1 AND user_id = $2',
      [id, a1.session.user.id],
    );
    const r2 = await update(a2, 'contact', id, { fonction: { value: 'Première adjointe', base } });
    const cid2 = r2.body.results[0]!.conflicts![0];
    const c = r2.body.conflicts.find((x) => x.id === cid2)!;
    expect(c.serverBy).toBeTruthy();
    expect(c.serverAt).toBe(new Date(written!.at as string | Date).toISOString());
    expect(Date.parse(c.serverAt!)).toBeLessThanOrEqual(Date.parse(c.proposedAt));
    // A later write to the record does not move it: pulled again from just before the conflict, same date.
    await update(a1, 'contact', id, { telephone: { value: '02 96 11 22 33', base: c.rev } });
    const again = await a2.sync([], { cursor: String(c.rev - 1), keepCursor: true });
    expect(again.body.conflicts.find((x) => x.id === cid2)?.serverAt).toBe(c.serverAt);
  });
});
