// Rights matrix: each role × each entity × own scope / foreign scope, for create, update and delete,
// and the scope of every pulled row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/testServer';
import { TestDevice } from '../helpers/client';
import { validRecord, type Parents } from '../helpers/fixtures';
import { ENTITY_NAMES, type EntityName } from '../../../src-shared/registry';
import { collectiviteId, newId } from '../../../src-shared/sync/ids';
import type { ChangeResult } from '../../../src-shared/sync/protocol';

let s: TestServer;
const OWN = collectiviteId('commune:22278'); // Saint-Brieuc, région 53
const FOREIGN = collectiviteId('commune:69123'); // Lyon, région 84
const parents: Record<string, Parents> = {};
const dev: Record<string, TestDevice> = {};

type Who = 'agent' | 'agentForeign' | 'sgar' | 'sgarForeign' | 'daect';

// The set-up seeds a server and logs five accounts in (password hashing is CPU work by design): 8 s
// alone here, several times that when every test file runs at once on two cores. The limit only
// catches a hang; it is not a speed check (benchmarks measure speed).
const SETUP_TIMEOUT_MS = 240_000;
beforeAll(async () => {
  s = await startTestServer({ seed: 'small' });
  const mk = async (
    who: Who,
    role: 'agent' | 'sgar' | 'daect',
    opts: { collectiviteCode?: string; region?: string } = {},
  ) => {
    const u = await s.createUser({ role, ...opts });
    dev[who] = await new TestDevice(s.url).login(u.email, u.password);
  };
  await mk('agent', 'agent', { collectiviteCode: 'commune:22278' });
  await mk('agentForeign', 'agent', { collectiviteCode: 'commune:69123' });
  await mk('sgar', 'sgar', { region: '53' });
  await mk('sgarForeign', 'sgar', { region: '84' });
  await mk('daect', 'daect');
  // parents in both collectivités, created by the DAECT
  const d = dev.daect!;
  const camp = validRecord('campagne', OWN, {} as Parents);
  await d.sync([d.change({ entity: 'campagne', op: 'create', record: camp.id, fields: camp.fields })]);
  for (const cid of [OWN, FOREIGN]) {
    const p = validRecord('partenariat', cid, {} as Parents);
    const f = validRecord('ficheProjet', cid, { partenariatId: p.id } as Parents);
    const decl = validRecord('declarationApd', cid, {} as Parents);
    const r = await d.sync([
      d.change({ entity: 'partenariat', op: 'create', record: p.id, fields: p.fields }),
      d.change({ entity: 'ficheProjet', op: 'create', record: f.id, fields: f.fields }),
      d.change({ entity: 'declarationApd', op: 'create', record: decl.id, fields: decl.fields }),
    ]);
    expect(r.body.results.map((x) => x.status)).toEqual(['applied', 'applied', 'applied']);
    parents[cid] = { partenariatId: p.id, ficheProjetId: f.id, declarationApdId: decl.id, campagneId: camp.id };
  }
}, SETUP_TIMEOUT_MS);
afterAll(async () => {
  await s?.close();
});

/** Expected outcome of a write by `who` on `entity` in `target`: 'ok' or a rejection code. */
function expected(who: Who, entity: EntityName, target: 'own' | 'foreign'): string {
  // own/foreign are relative to Saint-Brieuc (agent) and région 53 (sgar)
  if (who === 'daect') return 'ok';
  const agentLike = who === 'agent' || who === 'agentForeign';
  const inScope = who === 'agent' || who === 'sgar' ? target === 'own' : target === 'foreign';
  // National records only the DAECT writes: the campaigns and the reference lists.
  if (entity === 'campagne' || entity === 'entreeReference') return 'FORBIDDEN';
  if (agentLike) {
    if (entity === 'avis') return 'FORBIDDEN';
    return inScope ? 'ok' : 'OUT_OF_SCOPE';
  }
  if (entity !== 'avis') return 'FORBIDDEN';
  return inScope ? 'ok' : 'OUT_OF_SCOPE';
}

const WHO: Who[] = ['agent', 'agentForeign', 'sgar', 'sgarForeign', 'daect'];
const WRITABLE = ENTITY_NAMES.filter((e) => e !== 'collectivite');

const outcome = (r: ChangeResult) => (r.status === 'rejected' ? r.code! : 'ok');

describe('rights matrix (create, update, delete)', () => {
  for (const who of WHO) {
    for (const entity of WRITABLE) {
      for (const target of ['own', 'foreign'] as const) {
        it(`${who} × ${entity} × ${target}`, async () => {
          const cid = target === 'own' ? OWN : FOREIGN;
          const d = dev[who]!;
          const want = expected(who, entity, target);
          // create
          const rec = validRecord(entity, cid, parents[cid]!);
          const c = await d.sync([d.change({ entity, op: 'create', record: rec.id, fields: rec.fields })]);
          expect(c.status).toBe(200);
          const cr = c.body.results[0]!;
          expect(outcome(cr)).toBe(want);
          if (cr.status === 'rejected') expect(cr.message).toMatch(/[a-zé]/);
          // update and delete of a record that exists (created by the DAECT when the create was refused)
          let id = rec.id;
          let rev = cr.rev ?? 0;
          if (want !== 'ok') {
            const other = validRecord(entity, cid, parents[cid]!);
            const dc = await dev.daect!.sync([
              dev.daect!.change({ entity, op: 'create', record: other.id, fields: other.fields }),
            ]);
            id = other.id;
            rev = dc.body.results[0]!.rev!;
          }
          const field =
            entity === 'campagne'
              ? 'dateCloture'
              : entity === 'avis'
                ? 'commentaire'
                : entity === 'contact'
                  ? 'fonction'
                  : entity === 'adhesion'
                    ? 'depuis'
                    : entity === 'partenariat'
                      ? 'statut'
                      : entity === 'ficheProjet'
                        ? 'intitule'
                        : entity === 'declarationApd'
                          ? 'commentaire'
                          : entity === 'ligneApd'
                            ? 'montant'
                            : entity === 'entreeReference'
                              ? 'libelle'
                              : 'par';
          const value =
            entity === 'campagne'
              ? '2099-12-31'
              : entity === 'adhesion'
                ? 2001
                : entity === 'partenariat'
                  ? 'en_sommeil'
                  : entity === 'ligneApd'
                    ? 2500
                    : 'Modifié';
          const u = await d.sync([
            d.change({ entity, op: 'update', record: id, fields: { [field]: { value, base: rev } } }),
          ]);
          expect(outcome(u.body.results[0]!)).toBe(want);
          const after = u.body.results[0]!.rev ?? rev;
          const del = await d.sync([d.change({ entity, op: 'delete', record: id, base: after })]);
          const dr = del.body.results[0]!;
          // a parent with children cannot be deleted even by those who may write it, nor an entry of a reference
          // list (retired instead)
          const undeletable =
            dr.status === 'rejected' &&
            (dr.code === 'HAS_CHILDREN' || (entity === 'entreeReference' && dr.code === 'NOT_DELETABLE'));
          expect(undeletable ? 'ok' : outcome(dr)).toBe(want);
        });
      }
    }
  }

  it('lets agents edit the coordonnées of their collectivité but not its official identity', async () => {
    const d = dev.agent!;
    d.cursor = '0';
    const pages = await d.pullAll();
    const rec = pages.flatMap((p) => p.changes).find((r) => r.entity === 'collectivite' && r.id === OWN)!;
    const ok = await d.sync([
      d.change({
        entity: 'collectivite',
        op: 'update',
        record: OWN,
        fields: { telephone: { value: '02 96 62 54 00', base: rec.rev } },
      }),
    ]);
    expect(ok.body.results[0]!.status).toBe('applied');
    const ko = await d.sync([
      d.change({
        entity: 'collectivite',
        op: 'update',
        record: OWN,
        fields: { nom: { value: 'Saint-Brieuc-sur-Mer', base: ok.body.results[0]!.rev! } },
      }),
    ]);
    expect(ko.body.results[0]).toMatchObject({ status: 'rejected', code: 'READ_ONLY_FIELD' });
    const foreign = await d.sync([
      d.change({
        entity: 'collectivite',
        op: 'update',
        record: FOREIGN,
        fields: { telephone: { value: '04 00 00 00 00', base: 0 } },
      }),
    ]);
    expect(foreign.body.results[0]).toMatchObject({ status: 'rejected', code: 'OUT_OF_SCOPE' });
    const del = await d.sync([d.change({ entity: 'collectivite', op: 'delete', record: OWN, base: 0 })]);
    expect(del.body.results[0]).toMatchObject({ status: 'rejected', code: 'NOT_DELETABLE' });
  });

  it('refuses a forged parent id from another collectivité', async () => {
    const d = dev.agent!;
    const f = validRecord('ficheProjet', OWN, { ...parents[OWN]!, partenariatId: parents[FOREIGN]!.partenariatId });
    const r = await d.sync([d.change({ entity: 'ficheProjet', op: 'create', record: f.id, fields: f.fields })]);
    expect(r.body.results[0]).toMatchObject({ status: 'rejected', code: 'OUT_OF_SCOPE' });
    const missing = validRecord('ficheProjet', OWN, { ...parents[OWN]!, partenariatId: newId() });
    const r2 = await d.sync([
      d.change({ entity: 'ficheProjet', op: 'create', record: missing.id, fields: missing.fields }),
    ]);
    expect(r2.body.results[0]).toMatchObject({ status: 'rejected', code: 'PARENT_MISSING' });
  });
});

describe('scope of pulled rows', () => {
  it('gives each role only its scope', async () => {
    const regionOf = new Map<string, string | null>();
    const rows = await s.internals.db.query<{ id: string; region: string | null }>(
      'SELECT "id", "region" FROM collectivite',
    );
    for (const r of rows) regionOf.set(r.id, r.region);
    const scopeOf = (r: { entity: string; id: string; fields?: Record<string, unknown> }, byId: Map<string, string>) =>
      r.entity === 'collectivite' ? r.id : r.entity === 'campagne' ? null : (byId.get(r.id) ?? null);
    for (const who of WHO) {
      const fresh = new TestDevice(s.url);
      fresh.session = dev[who]!.session;
      const recs = (await fresh.pullAll()).flatMap((p) => p.changes);
      const byId = new Map<string, string>();
      for (const r of recs) if (r.fields?.collectiviteId) byId.set(r.id, String(r.fields.collectiviteId));
      const cols = new Set(recs.map((r) => scopeOf(r, byId)).filter((x): x is string => !!x));
      if (who === 'agent') expect([...cols]).toEqual([OWN]);
      if (who === 'agentForeign') expect([...cols]).toEqual([FOREIGN]);
      if (who === 'sgar') expect([...cols].every((c) => regionOf.get(c) === '53')).toBe(true);
      if (who === 'sgarForeign') expect([...cols].every((c) => regionOf.get(c) === '84')).toBe(true);
      if (who === 'daect') expect(cols.size).toBe(regionOf.size);
      expect(recs.some((r) => r.entity === 'campagne')).toBe(true);
    }
  });
});
