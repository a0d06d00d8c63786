// Issue 14: the business rules of the forms hold on the server too (they come from src-shared): a convention
// signed in the future, a « Terminé » project ending later, cofinancements above the cost, a network joined
// twice. A record stored before a rule keeps accepting edits of its other fields.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayParis } from '../../../src-shared/domain/fields';
import { newId } from '../../../src-shared/sync/ids';
import type { Change } from '../../../src-shared/sync/protocol';
import { insertRecords } from '../../../src-server/seed/insert';
import { TestDevice } from '../helpers/client';
import { startTestServer, type TestServer } from '../helpers/testServer';

let s: TestServer;
let a: TestDevice;
let cid: string;

beforeAll(async () => {
  s = await startTestServer({ seed: 'small' });
  const u = await s.createUser({ role: 'agent', collectiviteCode: 'commune:22278' });
  cid = u.collectiviteId!;
  a = await new TestDevice(s.url).login(u.email, u.password);
  await a.pullAll();
});
afterAll(async () => {
  await s?.close();
});

const nextYear = Number(todayParis().slice(0, 4)) + 1;

function partenariat(extra: Record<string, unknown> = {}) {
  return {
    collectiviteId: cid,
    nature: 'cooperation_decentralisee',
    pays: 'SN',
    nomPartenaire: 'Saint-Louis du Sénégal',
    typePartenaire: null,
    jumelage: false,
    dateConvention: '2019-05-14',
    statut: 'active',
    latitude: null,
    longitude: null,
    ...extra,
  };
}

function fiche(partenariatId: string, extra: Record<string, unknown> = {}) {
  return {
    collectiviteId: cid,
    partenariatId,
    intitule: 'Accès à l’eau',
    description: 'Construction de trois forages et formation d’un comité de gestion de l’eau.',
    thematiques: ['eau'],
    statut: 'en_cours',
    dateDebut: '2024-01-15',
    dateFin: null,
    coutTotal: 10_000,
    participationCollectivite: null,
    cofinancements: [],
    operateurs: null,
    beneficiaires: null,
    odd: [],
    dispositifUnPourCent: 'aucun',
    referentContactId: null,
    siteWeb: null,
    ...extra,
  };
}

async function push(change: Omit<Change, 'id' | 'seq'>) {
  const r = await a.sync([a.change(change)]);
  expect(r.status).toBe(200);
  return r.body.results[0]!;
}

const create = (entity: Change['entity'], fields: Record<string, unknown>, record = newId()) =>
  push({ entity, op: 'create', record, fields } as Omit<Change, 'id' | 'seq'>);

describe('rules of a write, on the server', () => {
  it('refuses a convention signed in the future, on creation and on edit', async () => {
    const r = await create('partenariat', partenariat({ dateConvention: `${nextYear}-01-10` }));
    expect(r).toMatchObject({ status: 'rejected', code: 'VALIDATION' });
    expect(r.message).toContain('« Date de signature de la convention » ne peut pas être dans le futur');

    const id = newId();
    const ok = await create('partenariat', partenariat(), id);
    expect(ok.status).toBe('applied');
    const edit = await push({
      entity: 'partenariat',
      op: 'update',
      record: id,
      fields: { dateConvention: { value: `${nextYear}-01-10`, base: ok.rev! } },
    } as Omit<Change, 'id' | 'seq'>);
    expect(edit).toMatchObject({ status: 'rejected', code: 'VALIDATION' });
  });

  it('refuses a « Terminé » project ending in the future, and cofinancements above the total cost', async () => {
    const pid = newId();
    expect((await create('partenariat', partenariat(), pid)).status).toBe('applied');
    const termine = await create('ficheProjet', fiche(pid, { statut: 'termine', dateFin: `${nextYear}-06-30` }));
    expect(termine).toMatchObject({ status: 'rejected', code: 'VALIDATION' });
    expect(termine.message).toContain('« Date de fin » ne peut pas être dans le futur pour un projet « Terminé »');
    const cof = await create(
      'ficheProjet',
      fiche(pid, { coutTotal: 10_000, cofinancements: [{ financeur: 'autre', montant: 99_999 }] }),
    );
    expect(cof).toMatchObject({ status: 'rejected', code: 'VALIDATION' });
    expect(cof.message).toMatch(/« Cofinancements » : leur total .* dépasse le coût total du projet/);
  });

  it('an old record breaking a newer rule still accepts edits of its other fields, not of the rule’s', async () => {
    const pid = newId();
    const fid = newId();
    expect((await create('partenariat', partenariat(), pid)).status).toBe('applied');
    // Stored before the rule: cofinancements far above the cost.
    await insertRecords(
      s.internals.db,
      s.internals.sync.revs,
      'ficheProjet',
      [{ id: fid, ...fiche(pid, { coutTotal: 10_000, cofinancements: [{ financeur: 'autre', montant: 99_999 }] }) }],
      () => '53',
    );
    await a.pullAll();
    const row = (
      await s.internals.db.query<{ sync_rev: string }>('SELECT sync_rev FROM fiche_projet WHERE id = $1', [fid])
    )[0]!;
    const base = Number(row.sync_rev);
    const rename = await push({
      entity: 'ficheProjet',
      op: 'update',
      record: fid,
      fields: { intitule: { value: 'Accès à l’eau potable', base } },
    } as Omit<Change, 'id' | 'seq'>);
    expect(rename.status).toBe('applied');
    const cost = await push({
      entity: 'ficheProjet',
      op: 'update',
      record: fid,
      fields: { coutTotal: { value: 20_000, base: rename.rev! } },
    } as Omit<Change, 'id' | 'seq'>);
    expect(cost).toMatchObject({ status: 'rejected', code: 'VALIDATION' });
  });

  it('refuses a second adhésion to the same network, naming it; another network or a free name is fine', async () => {
    const adhesion = (extra: Record<string, unknown>) => ({
      collectiviteId: cid,
      reseauCode: null,
      reseauNom: null,
      adherent: true,
      utilisePourActions: false,
      depuis: null,
      ...extra,
    });
    const first = newId();
    expect((await create('adhesion', adhesion({ reseauCode: 'cuf' }), first)).status).toBe('applied');
    const twin = await create('adhesion', adhesion({ reseauCode: 'cuf' }));
    expect(twin).toMatchObject({ status: 'rejected', code: 'ALREADY_EXISTS' });
    expect(twin.message).toBe(
      'La collectivité adhère déjà à « Cités Unies France » : modifiez l’adhésion existante plutôt que d’en créer une seconde.',
    );
    // Turning another adhésion into the same network is refused too.
    const other = newId();
    const o = await create('adhesion', adhesion({ reseauNom: 'Réseau breton de solidarité' }), other);
    expect(o.status).toBe('applied');
    const turned = await push({
      entity: 'adhesion',
      op: 'update',
      record: other,
      fields: { reseauCode: { value: 'cuf', base: o.rev! }, reseauNom: { value: null, base: o.rev! } },
    } as Omit<Change, 'id' | 'seq'>);
    expect(turned).toMatchObject({ status: 'rejected', code: 'ALREADY_EXISTS' });
    // Once the first is deleted, the network may be joined again.
    await a.pullAll();
    const rev = Number(
      (await s.internals.db.query<{ sync_rev: string }>('SELECT sync_rev FROM adhesion WHERE id = $1', [first]))[0]!
        .sync_rev,
    );
    expect((await push({ entity: 'adhesion', op: 'delete', record: first, base: rev } as never)).status).toBe(
      'applied',
    );
    expect((await create('adhesion', adhesion({ reseauCode: 'cuf' }))).status).toBe('applied');
  });
});
