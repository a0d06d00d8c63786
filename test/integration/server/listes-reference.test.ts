// Issue 15: the thématiques and réseaux lists are national synced records the DAECT keeps. The server starts
// with their initial entries (a real deployment's empty database as the demo's), a DAECT's new entry is usable
// by an agent after a sync without a release, a retired entry stays on the records that had it (and only
// there), codes unknown to the list are refused, and nobody but the DAECT edits the lists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { naturalId, newId } from '../../../src-shared/sync/ids';
import type { Change, PulledRecord } from '../../../src-shared/sync/protocol';
import { ensureReferenceLists, RESEAUX_INITIAUX, THEMATIQUES_INITIALES } from '../../../src-server/seed/referenceLists';
import { TestDevice } from '../helpers/client';
import { startTestServer, type TestServer } from '../helpers/testServer';

let s: TestServer;
let agent: TestDevice;
let daect: TestDevice;
let sgar: TestDevice;
let cid: string;
let partenariatId: string;

async function push(d: TestDevice, change: Omit<Change, 'id' | 'seq'>) {
  const r = await d.sync([d.change(change)]);
  expect(r.status).toBe(200);
  return r.body.results[0]!;
}
const create = (d: TestDevice, entity: Change['entity'], fields: Record<string, unknown>, record = newId()) =>
  push(d, { entity, op: 'create', record, fields } as Omit<Change, 'id' | 'seq'>);
const update = (
  d: TestDevice,
  entity: Change['entity'],
  record: string,
  fields: Record<string, unknown>,
  base: number,
) =>
  push(d, {
    entity,
    op: 'update',
    record,
    fields: Object.fromEntries(Object.entries(fields).map(([f, value]) => [f, { value, base }])),
  } as Omit<Change, 'id' | 'seq'>);

const entryId = (liste: string, code: string) => naturalId('entreeReference', [liste, code]);
const entry = (liste: string, code: string, libelle: string, extra: Record<string, unknown> = {}) => ({
  liste,
  code,
  libelle,
  region: null,
  retiree: false,
  ...extra,
});

function fiche(thematiques: string[]) {
  return {
    collectiviteId: cid,
    partenariatId,
    intitule: 'Tourisme solidaire à Thiès',
    description: 'Accueil de groupes, formation de guides et circuits avec les associations du quartier.',
    thematiques,
    statut: 'en_cours',
    dateDebut: '2024-01-15',
    dateFin: null,
    coutTotal: null,
    participationCollectivite: null,
    cofinancements: [],
    operateurs: null,
    beneficiaires: null,
    odd: [],
    dispositifUnPourCent: 'aucun',
    referentContactId: null,
    siteWeb: null,
  };
}

const pulledEntries = (pages: { changes: PulledRecord[] }[]) =>
  pages.flatMap((p) => p.changes).filter((r) => r.entity === 'entreeReference');

beforeAll(async () => {
  s = await startTestServer({ seed: 'small' });
  const u = await s.createUser({ role: 'agent', collectiviteCode: 'commune:22278' });
  cid = u.collectiviteId!;
  agent = await new TestDevice(s.url).login(u.email, u.password);
  const d = await s.createUser({ role: 'daect' });
  daect = await new TestDevice(s.url).login(d.email, d.password);
  const g = await s.createUser({ role: 'sgar', region: '53' });
  sgar = await new TestDevice(s.url).login(g.email, g.password);
  await Promise.all([agent.pullAll(), daect.pullAll(), sgar.pullAll()]);
  partenariatId = newId();
  const p = await create(
    agent,
    'partenariat',
    {
      collectiviteId: cid,
      nature: 'cooperation_decentralisee',
      pays: 'SN',
      nomPartenaire: 'Thiès',
      typePartenaire: null,
      jumelage: false,
      dateConvention: '2019-05-14',
      statut: 'active',
      latitude: null,
      longitude: null,
    },
    partenariatId,
  );
  expect(p.status).toBe('applied');
});
afterAll(async () => {
  await s?.close();
});

describe('reference lists as synced records', () => {
  it('a new database holds the initial lists, and everyone pulls them', async () => {
    const empty = await startTestServer({ seed: 'none' });
    try {
      const rows = await empty.internals.db.query<{ liste: string; code: string; libelle: string; region: string }>(
        'SELECT "liste", "code", "libelle", "region" FROM entree_reference WHERE NOT deleted AND NOT "retiree"',
      );
      const of = (liste: string) => rows.filter((r) => r.liste === liste);
      expect(of('thematique').map((r) => [r.code, r.libelle])).toEqual(
        expect.arrayContaining(THEMATIQUES_INITIALES.map((t) => [t.code, t.libelle])),
      );
      expect(of('thematique')).toHaveLength(THEMATIQUES_INITIALES.length);
      expect(of('reseau')).toHaveLength(RESEAUX_INITIAUX.length);
      expect(of('reseau').find((r) => r.code === 'rrma_bre')).toMatchObject({
        libelle: 'Bretagne Solidaire',
        region: '53',
      });
      // Run again at the next start: nothing is added to a list that has entries.
      await ensureReferenceLists(empty.internals.db, empty.internals.sync.revs);
      const again = await empty.internals.db.query('SELECT 1 FROM entree_reference');
      expect(again).toHaveLength(rows.length);
    } finally {
      await empty.close();
    }
    // The agent's first sync brought every entry, whole.
    const fresh = new TestDevice(s.url);
    fresh.session = agent.session;
    const entries = pulledEntries(await fresh.pullAll());
    expect(entries).toHaveLength(THEMATIQUES_INITIALES.length + RESEAUX_INITIAUX.length);
    expect(entries.find((e) => e.id === entryId('thematique', 'eau'))?.fields).toMatchObject({
      liste: 'thematique',
      code: 'eau',
      libelle: 'Eau et assainissement',
      retiree: false,
    });
  });

  it('a DAECT adds a thématique; after a sync an agent’s fiche uses it', async () => {
    const id = entryId('thematique', 'tourisme_solidaire');
    const added = await create(
      daect,
      'entreeReference',
      entry('thematique', 'tourisme_solidaire', 'Tourisme solidaire'),
      id,
    );
    expect(added.status).toBe('applied');
    const pulled = pulledEntries(await agent.pullAll());
    expect(pulled.find((e) => e.id === id)?.fields).toMatchObject({ libelle: 'Tourisme solidaire', retiree: false });
    const f = await create(agent, 'ficheProjet', fiche(['tourisme_solidaire', 'culture']));
    expect(f.status).toBe('applied');
  });

  it('refuses a code that is no entry of its list, in French, with its code', async () => {
    const f = await create(agent, 'ficheProjet', fiche(['astrologie']));
    expect(f).toMatchObject({ status: 'rejected', code: 'UNKNOWN_REFERENCE' });
    expect(f.message).toBe("« Thématiques d'intervention » : choisissez une valeur de la liste.");
    // A réseau code of the thématiques list is no réseau.
    const a = await create(agent, 'adhesion', {
      collectiviteId: cid,
      reseauCode: 'eau',
      reseauNom: null,
      adherent: true,
      utilisePourActions: false,
      depuis: null,
    });
    expect(a).toMatchObject({
      status: 'rejected',
      code: 'UNKNOWN_REFERENCE',
      message: '« Réseau » : choisissez une valeur de la liste.',
    });
  });

  it('a retired entry stays on the records that had it and is refused where a write brings it in', async () => {
    const code = 'jumelages_scolaires';
    const id = entryId('thematique', code);
    const c = await create(daect, 'entreeReference', entry('thematique', code, 'Jumelages scolaires'), id);
    expect(c.status).toBe('applied');
    await agent.pullAll();
    const oldId = newId();
    const old = await create(agent, 'ficheProjet', fiche([code]), oldId);
    expect(old.status).toBe('applied');
    const otherId = newId();
    const other = await create(agent, 'ficheProjet', fiche(['education']), otherId);
    expect(other.status).toBe('applied');

    const retired = await update(daect, 'entreeReference', id, { retiree: true }, c.rev!);
    expect(retired.status).toBe('applied');
    const pulled = pulledEntries(await agent.pullAll());
    expect(pulled.find((e) => e.id === id)?.fields).toMatchObject({ retiree: true });

    // The old fiche keeps it: its other fields and its thématiques (the retired one kept, another added) are editable.
    const rename = await update(agent, 'ficheProjet', oldId, { intitule: 'Échanges entre écoles' }, old.rev!);
    expect(rename.status).toBe('applied');
    const more = await update(agent, 'ficheProjet', oldId, { thematiques: [code, 'education'] }, rename.rev!);
    expect(more.status).toBe('applied');
    const stored = await s.internals.db.query<{ thematiques: string[] }>(
      'SELECT "thematiques" FROM fiche_projet WHERE "id" = $1',
      [oldId],
    );
    expect(stored[0]!.thematiques).toEqual([code, 'education']);

    // A new fiche, or a fiche that did not name it, cannot take it.
    const fresh = await create(agent, 'ficheProjet', fiche([code]));
    expect(fresh).toMatchObject({ status: 'rejected', code: 'RETIRED_REFERENCE' });
    expect(fresh.message).toBe(
      "« Thématiques d'intervention » : « Jumelages scolaires » a été retiré de la liste ; choisissez une autre valeur.",
    );
    const brought = await update(agent, 'ficheProjet', otherId, { thematiques: ['education', code] }, other.rev!);
    expect(brought).toMatchObject({ status: 'rejected', code: 'RETIRED_REFERENCE' });
    // Restored, it is usable again.
    expect((await update(daect, 'entreeReference', id, { retiree: false }, retired.rev!)).status).toBe('applied');
    expect((await create(agent, 'ficheProjet', fiche([code]))).status).toBe('applied');
  });

  it('a renamed réseau reads by its new label, on the pull and in the server’s messages', async () => {
    const code = 'reseau_essai_renomme';
    const id = entryId('reseau', code);
    const c = await create(daect, 'entreeReference', entry('reseau', code, 'Réseau d’essai'), id);
    expect(c.status).toBe('applied');
    const r = await update(daect, 'entreeReference', id, { libelle: 'Réseau d’essai renommé' }, c.rev!);
    expect(r.status).toBe('applied');
    const pulled = pulledEntries(await agent.pullAll());
    expect(pulled.find((e) => e.id === id)?.fields).toMatchObject({ libelle: 'Réseau d’essai renommé' });
    const adhesion = {
      collectiviteId: cid,
      reseauCode: code,
      reseauNom: null,
      adherent: true,
      utilisePourActions: false,
      depuis: null,
    };
    expect((await create(agent, 'adhesion', adhesion)).status).toBe('applied');
    const twin = await create(agent, 'adhesion', adhesion);
    expect(twin).toMatchObject({ status: 'rejected', code: 'ALREADY_EXISTS' });
    expect(twin.message).toContain('« Réseau d’essai renommé »');
  });

  it('only the DAECT edits the lists; an entry is never deleted and its code never changes', async () => {
    const eau = entryId('thematique', 'eau');
    const rev = Number(
      (
        await s.internals.db.query<{ sync_rev: string }>('SELECT sync_rev FROM entree_reference WHERE "id" = $1', [eau])
      )[0]!.sync_rev,
    );
    for (const d of [agent, sgar]) {
      const u = await update(d, 'entreeReference', eau, { libelle: 'Eau' }, rev);
      expect(u).toMatchObject({ status: 'rejected', code: 'FORBIDDEN' });
      const c = await create(
        d,
        'entreeReference',
        entry('thematique', 'pirate', 'Pirate'),
        entryId('thematique', 'pirate'),
      );
      expect(c).toMatchObject({ status: 'rejected', code: 'FORBIDDEN' });
      const del = await push(d, { entity: 'entreeReference', op: 'delete', record: eau, base: rev } as never);
      expect(del).toMatchObject({ status: 'rejected', code: 'FORBIDDEN' });
    }
    const del = await push(daect, { entity: 'entreeReference', op: 'delete', record: eau, base: rev } as never);
    expect(del).toMatchObject({ status: 'rejected', code: 'NOT_DELETABLE' });
    const recode = await update(daect, 'entreeReference', eau, { code: 'eau_potable' }, rev);
    expect(recode).toMatchObject({ status: 'rejected', code: 'READ_ONLY_FIELD' });
    const wrongId = await create(daect, 'entreeReference', entry('thematique', 'mer', 'Mer et littoral'));
    expect(wrongId).toMatchObject({ status: 'rejected', code: 'NATURAL_KEY_ID' });
    const stored = await s.internals.db.query<{ libelle: string; deleted: boolean }>(
      'SELECT "libelle", deleted FROM entree_reference WHERE "id" = $1',
      [eau],
    );
    expect(stored[0]).toEqual({ libelle: 'Eau et assainissement', deleted: false });
  });
});
