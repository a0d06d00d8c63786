// Guarantee 12 (docs/architecture.md, "Whole records"): after any sync every record of the device's
// scope equals the server's, field by field — after a first sync of many pages (records created before
// a page's cursor and edited after it), and when records enter or leave a scope (a région move).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectiviteId } from '../../../src-shared/sync/ids';
import { contactFields, ficheFields, partenariatFields } from '../../unit/renderer/fixtures';
import { makeDevice, startLocalServer, type Device, type LocalServer } from '../helpers/devices';
import { countRecords, deviceCopy, diffCopies, serverCopy, type Scope } from '../../support/copies';

const CODE_X = 'commune:35238'; // Rennes, région 53
const X = collectiviteId(CODE_X);
const CODE_Y = 'commune:29039'; // Concarneau, région 53
const Y = collectiviteId(CODE_Y);
let server: LocalServer;
let agentX: { email: string; password: string };
let agentY: { email: string; password: string };

beforeAll(async () => {
  server = await startLocalServer();
  agentX = await server.createUser({ role: 'agent', collectiviteCode: CODE_X });
  agentY = await server.createUser({ role: 'agent', collectiviteCode: CODE_Y });
});
afterAll(async () => {
  await server?.close();
});

async function device(user: { email: string; password: string }, pageSize?: number): Promise<Device> {
  const d = makeDevice(server.url, pageSize ? { pullLimit: pageSize, catchUpLimit: pageSize } : {});
  await d.session.login({ serverUrl: server.url, email: user.email, password: user.password });
  return d;
}

async function sync(d: Device) {
  const out = await d.engine.syncNow();
  if (!out.ok) throw out.error;
  return out.report;
}

async function expectSameAsServer(d: Device, scope: Scope) {
  const expected = await serverCopy(server.internals.db, scope);
  const diff = diffCopies(expected, await deviceCopy(d.db));
  expect(diff).toEqual([]);
  return countRecords(expected);
}

/** Records created, then several of them edited later, so that the pages of a first sync split them. */
async function history(agent: { email: string; password: string }, coll: string) {
  const a = await device(agent);
  await sync(a);
  const contacts = [];
  for (let i = 0; i < 12; i++)
    contacts.push(
      await a.repo.create('contact', contactFields({ collectiviteId: coll, nom: `Nom ${i}`, fonction: 'Maire' })),
    );
  const p = await a.repo.create(
    'partenariat',
    partenariatFields({ collectiviteId: coll, nomPartenaire: 'Commune de Maradi', pays: 'NE' }),
  );
  const f = await a.repo.create('ficheProjet', ficheFields(p.id, { collectiviteId: coll }));
  await sync(a);
  for (const c of contacts.slice(0, 4)) await a.repo.update('contact', c.id, { fonction: 'Adjointe' });
  await a.repo.update('partenariat', p.id, { statut: 'en_sommeil' });
  await a.repo.update('ficheProjet', f.id, { intitule: 'Eau potable, seconde phase' });
  await sync(a);
  return { a, contacts, partenariat: p, fiche: f };
}

describe('whole records on every device', () => {
  it('a first sync of many pages stores every record whole (agent)', async () => {
    const { contacts, partenariat } = await history(agentX, X);
    const b = await device(agentX, 5);
    const r = await sync(b);
    expect(r.requests).toBeGreaterThanOrEqual(3);
    const n = await expectSameAsServer(b, { role: 'agent', collectiviteId: X });
    expect(n).toBeGreaterThanOrEqual(15);
    // What the issue saw: a record created early and edited late arrived with its edited fields only.
    expect(await b.repo.get('contact', contacts[0]!.id)).toMatchObject({
      nom: 'Nom 0',
      prenom: 'Anne',
      fonction: 'Adjointe',
    });
    expect(await b.repo.get('partenariat', partenariat.id)).toMatchObject({
      nomPartenaire: 'Commune de Maradi',
      pays: 'NE',
      statut: 'en_sommeil',
    });
  });

  it('a first sync of many pages stores every record whole (SGAR of the région)', async () => {
    await history(agentY, Y);
    const sgar = await server.createUser({ role: 'sgar', region: '53' });
    const s = await device(sgar, 7);
    const r = await sync(s);
    expect(r.requests).toBeGreaterThan(3);
    expect(await expectSameAsServer(s, { role: 'sgar', region: '53' })).toBeGreaterThanOrEqual(30);
  });

  it('a page cut inside a pull keeps the copy whole even when the device also pushes between pages', async () => {
    const s53 = await device(await server.createUser({ role: 'sgar', region: '53' }), 4);
    const a = await device(agentX);
    await sync(a);
    // Edits land on the server while the SGAR pages through its first sync.
    let edits = 0;
    s53.wire.observe = async (url) => {
      if (url.endsWith('/api/v1/sync') && edits < 3) {
        const list = await a.repo.list('contact', { collectiviteId: X });
        await a.repo.update('contact', list[edits]!.id, { telephone: `02 99 00 00 0${edits}` });
        edits++;
        await sync(a);
      }
    };
    await sync(s53);
    s53.wire.observe = null;
    await sync(s53);
    expect(edits).toBe(3);
    await expectSameAsServer(s53, { role: 'sgar', region: '53' });
  });

  it('a région move: the old région’s devices drop the records, the new région’s receive them whole, pending changes elsewhere stay', async () => {
    const daect = await device(await server.createUser({ role: 'daect' }));
    const sgar53 = await server.createUser({ role: 'sgar', region: '53' });
    const old = await device(sgar53, 6);
    const neu = await device(await server.createUser({ role: 'sgar', region: '52' }), 6);
    const agent = await device(agentX);
    for (const d of [daect, old, neu, agent]) await sync(d);
    await expectSameAsServer(old, { role: 'sgar', region: '53' });
    expect((await old.repo.list('contact', { collectiviteId: X })).length).toBeGreaterThan(0);
    expect(await neu.repo.get('collectivite', X)).toBeUndefined();

    // The old SGAR writes an avis on a fiche of another collectivité of its région, offline.
    const ficheY = (await old.repo.list('ficheProjet', { collectiviteId: Y }))[0]!;
    const avis = await old.repo.create('avis', {
      collectiviteId: Y,
      ficheProjetId: ficheY.id,
      avis: 'favorable',
      commentaire: null,
      statutInstruction: 'instruit',
      auteur: 'SGAR Bretagne',
      date: '2026-11-30',
    });
    await daect.repo.update('collectivite', X, { region: '52' });
    await sync(daect);
    for (const d of [old, neu, agent, daect]) await sync(d);

    expect(await old.repo.get('collectivite', X)).toBeUndefined();
    expect(await old.repo.list('contact', { collectiviteId: X })).toEqual([]);
    await expectSameAsServer(old, { role: 'sgar', region: '53' });
    expect(await neu.repo.get('collectivite', X)).toMatchObject({ region: '52' });
    expect((await neu.repo.list('contact', { collectiviteId: X })).length).toBeGreaterThanOrEqual(12);
    await expectSameAsServer(neu, { role: 'sgar', region: '52' });
    await expectSameAsServer(agent, { role: 'agent', collectiviteId: X });
    await expectSameAsServer(daect, { role: 'daect' });
    // The pending avis elsewhere was sent and kept.
    expect(await old.db.outbox.count()).toBe(0);
    expect(await old.repo.get('avis', avis.id)).toMatchObject({ avis: 'favorable' });
    // A fresh device of each région agrees.
    const fresh53 = await device(sgar53, 6);
    await sync(fresh53);
    expect(await fresh53.repo.list('contact', { collectiviteId: X })).toEqual([]);
    await expectSameAsServer(fresh53, { role: 'sgar', region: '53' });

    // And back: the records re-enter région 53 whole on the device that dropped them.
    await daect.repo.update('collectivite', X, { region: '53' });
    await sync(daect);
    for (const d of [old, neu]) await sync(d);
    await expectSameAsServer(old, { role: 'sgar', region: '53' });
    await expectSameAsServer(neu, { role: 'sgar', region: '52' });
    expect(await neu.repo.get('collectivite', X)).toBeUndefined();
  });
});

describe('a device checks its copy and repairs what differs', () => {
  it('a corrupted copy (a field changed, a record lost, a record the server deleted) heals at the next check; an edit made meanwhile stays', async () => {
    const user = await server.createUser({ role: 'agent', collectiviteCode: 'commune:35047' });
    const coll = user.collectiviteId!;
    const writer = await device(user);
    await sync(writer);
    const made: { id: string }[] = [];
    for (let i = 0; i < 5; i++)
      made.push(await writer.repo.create('contact', contactFields({ collectiviteId: coll, nom: `Témoin ${i}` })));
    await sync(writer);

    const d = makeDevice(server.url, { digestEveryMs: 0 });
    await d.session.login({ serverUrl: server.url, email: user.email, password: user.password });
    await sync(d);
    const clean = await sync(d);
    expect(clean.checked).toBe('match');

    // Corrupt the copy behind the app's back, as the multi-page bug did, and as a lost tombstone would.
    const store = d.db.records('contact');
    await d.db.transaction('rw', d.db.writeTables(), async () => {
      const r0 = (await store.get(made[0]!.id))!;
      await store.put({ ...r0, prenom: null, courriel: null });
      await store.delete(made[1]!.id);
      const r2 = (await store.get(made[2]!.id))!;
      await store.put({ ...r2, id: '01a23000-0000-7000-8000-000000000001', nom: 'Fantôme' });
    });
    await d.db.transaction('rw', d.db.writeTables(), async () => {
      const r3 = (await store.get(made[3]!.id))!;
      await store.put({ ...r3, nom: 'Abîmé' });
    });
    expect(
      diffCopies(await serverCopy(server.internals.db, { role: 'agent', collectiviteId: coll }), await deviceCopy(d.db))
        .length,
    ).toBe(5);

    // The person edits a corrupted record while the check is under way: the edit must survive the repair.
    let editedDuringRepair = false;
    d.wire.observe = async (url, res) => {
      if (editedDuringRepair || !url.endsWith('/api/v1/sync')) return;
      if (((await res.json()) as { digest?: { match: boolean } }).digest?.match === false) {
        editedDuringRepair = true;
        await d.repo.update('contact', made[3]!.id, { fonction: 'Édition pendant la réparation' });
      }
    };
    const healed = await sync(d);
    d.wire.observe = null;
    expect(editedDuringRepair).toBe(true);
    expect(healed.checked).toBe('repaired');
    expect(healed.repaired).toBeGreaterThanOrEqual(4);
    // The edit was sent in the same cycle, after the repair; everything else is the server's again.
    expect(await d.db.outbox.count()).toBe(0);
    await expectSameAsServer(d, { role: 'agent', collectiviteId: coll });
    expect(await d.repo.get('contact', made[3]!.id)).toMatchObject({
      nom: 'Témoin 3',
      fonction: 'Édition pendant la réparation',
    });
    expect((await sync(d)).checked).toBe('match');
  });
});
