// The public Atlas's pure parts: lasting addresses (codes and slugs), filters read from a query, the indexes built
// from public records (a child of a deleted parent hidden, APD totals per year) and the search by word starts.
import { describe, expect, it } from 'vitest';
import { buildAtlas } from '../../../src-server/atlas-public/donnees';
import {
  filtresQuery,
  parseFiltres,
  parsePaysFiltres,
  paysListePage,
  search,
} from '../../../src-server/atlas-public/pages';
import {
  codeFromParam,
  collectiviteUrl,
  idFromParam,
  paysFromParam,
  slug,
} from '../../../src-server/atlas-public/urls';
import { publicRecord, type PublicEntity } from '../../../src-shared/public/fields';

const C1 = '00000000-0000-4000-8000-000000000001';
const C2 = '00000000-0000-4000-8000-000000000002';
const P1 = '00000000-0000-4000-8000-000000000011';
const P2 = '00000000-0000-4000-8000-000000000012';
const F1 = '00000000-0000-4000-8000-000000000021';
const F2 = '00000000-0000-4000-8000-000000000022';
const D1 = '00000000-0000-4000-8000-000000000031';

type Add = (e: PublicEntity, r: Record<string, unknown>) => void;

/** The records below, plus any `more` adds. */
function data(more?: (add: Add) => void) {
  const maps = Object.fromEntries(
    (['collectivite', 'adhesion', 'partenariat', 'ficheProjet', 'declarationApd', 'entreeReference'] as const).map(
      (e) => [e, new Map<string, Record<string, unknown>>()],
    ),
  ) as Record<PublicEntity, Map<string, Record<string, unknown>>>;
  const add: Add = (e, r) => {
    const p = publicRecord(e, r);
    if (p) maps[e].set(r.id as string, p);
  };
  add('collectivite', {
    id: C1,
    code: 'commune:35238',
    nom: 'Rennes',
    type: 'commune',
    departement: '35',
    region: '53',
  });
  add('collectivite', {
    id: C2,
    code: 'dep:2A',
    nom: 'Corse-du-Sud',
    type: 'departement',
    departement: '2A',
    region: '94',
  });
  add('partenariat', {
    id: P1,
    collectiviteId: C1,
    nature: 'cooperation_decentralisee',
    pays: 'SN',
    nomPartenaire: 'Ville de Louga',
    jumelage: true,
    statut: 'active',
    latitude: null,
    longitude: null,
  });
  add('partenariat', {
    id: P2,
    collectiviteId: C2,
    nature: 'action_exterieure',
    pays: 'ML',
    nomPartenaire: 'Cercle de Kayes',
    jumelage: false,
    statut: 'active',
    latitude: null,
    longitude: null,
    deleted: true,
  });
  add('ficheProjet', {
    id: F1,
    collectiviteId: C1,
    partenariatId: P1,
    intitule: 'Eau potable à Louga',
    description: 'd',
    thematiques: ['eau'],
    statut: 'en_cours',
    dateDebut: '2024-01-01',
    cofinancements: [],
    odd: [],
  });
  add('ficheProjet', {
    id: F2,
    collectiviteId: C2,
    partenariatId: P2,
    intitule: 'Orphan',
    description: 'd',
    thematiques: ['eau'],
    statut: 'en_cours',
    dateDebut: '2024-01-01',
    cofinancements: [],
    odd: [],
  });
  add('declarationApd', { id: D1, collectiviteId: C1, annee: 2024, commentaire: 'secret' });
  add('entreeReference', {
    id: 'e',
    liste: 'thematique',
    code: 'eau',
    libelle: 'Eau et assainissement',
    retiree: false,
  });
  more?.(add);
  const lignes = new Map([
    ['l1', { declarationApdId: D1, montant: 1000.1 }],
    ['l2', { declarationApdId: D1, montant: 2000.25 }],
  ]);
  return buildAtlas(7, maps, lignes);
}

describe('public Atlas', () => {
  it('makes lasting addresses and reads their keys back', () => {
    expect(collectiviteUrl({ code: 'commune:35238', nom: 'Rennes' })).toBe('/atlas/collectivites/commune-35238-rennes');
    expect(collectiviteUrl({ code: 'dep:2A', nom: 'Corse-du-Sud' })).toBe('/atlas/collectivites/dep-2a-corse-du-sud');
    expect(codeFromParam('dep-2a-corse-du-sud')).toBe('dep:2a');
    expect(codeFromParam('commune:35238')).toBe('commune:35238');
    expect(codeFromParam('../etc')).toBeNull();
    expect(slug('Saint-Étienne-du-Rouvray (Œuvre)')).toBe('saint-etienne-du-rouvray-oeuvre');
    expect(idFromParam(`${F1}-eau`)).toBe(F1);
    expect(idFromParam('not-an-id')).toBeNull();
    expect(paysFromParam('ml-mali')).toBe('ML');
  });

  it('reads only valid filters, in a fixed order', () => {
    const f = parseFiltres({
      jumelage: 'oui',
      region: '53',
      type: 'commune',
      pays: 'ml',
      page: '3',
      thematique: 'x y',
      departement: '<b>',
    });
    expect(f).toEqual({ region: '53', type: 'commune', pays: 'ML', jumelage: 'oui', page: 3 });
    expect(filtresQuery(f)).toBe('?region=53&type=commune&pays=ML&jumelage=oui&page=3');
    expect(filtresQuery(f, 1)).toBe('?region=53&type=commune&pays=ML&jumelage=oui');
  });

  it('hides what hangs on a deleted record and publishes the APD as yearly totals', () => {
    const d = data();
    expect(d.version).toBe(7);
    expect(d.partenariats.map((p) => p.id)).toEqual([P1]);
    expect(d.fiches.map((x) => x.id)).toEqual([F1]);
    expect(d.engagees.map((c) => c.nom)).toEqual(['Rennes']);
    expect(d.apdOf.get(C1)).toEqual([{ annee: 2024, total: 3000.35 }]);
    expect(JSON.stringify([...d.apdOf.values()])).not.toContain('secret');
    expect(d.figures).toEqual({ collectivites: 1, partenaires: 1, pays: 1, projets: 1, actions: 1 });
    expect(d.pays.get('SN')!.thematiques.get('eau')).toBe(1);
  });

  it('finds entries by the start of their words, accents and case folded', () => {
    const d = data();
    const hits = (q: string) =>
      [...search(d, q).entries()].flatMap(([k, es]) =>
        es.map(
          (e) => `${k}:${'nom' in e.ref ? e.ref.nom : 'intitule' in e.ref ? e.ref.intitule : e.ref.nomPartenaire}`,
        ),
      );
    expect(hits('LOUGA')).toEqual(['partenaire:Ville de Louga', 'projet:Eau potable à Louga']);
    expect(hits('potable eau')).toEqual(['projet:Eau potable à Louga']);
    expect(hits('assainissement')).toEqual(['projet:Eau potable à Louga']);
    expect(hits('ouga')).toEqual([]);
    expect(hits('sénégal')).toEqual(['partenaire:Ville de Louga', 'pays:Sénégal']);
    expect(hits('kayes')).toEqual([]);
  });

  it('filters the list of countries by the French collectivités working there and the projets’ thématique', () => {
    const P3 = '00000000-0000-4000-8000-000000000013';
    const F3 = '00000000-0000-4000-8000-000000000023';
    const d = data((add) => {
      add('partenariat', {
        id: P3,
        collectiviteId: C2,
        nature: 'cooperation_decentralisee',
        pays: 'MA',
        nomPartenaire: 'Commune de Fès',
        jumelage: false,
        statut: 'active',
        latitude: null,
        longitude: null,
      });
      add('ficheProjet', {
        id: F3,
        collectiviteId: C2,
        partenariatId: P3,
        intitule: 'Patrimoine de Fès',
        description: 'd',
        thematiques: ['culture'],
        statut: 'en_cours',
        dateDebut: '2024-01-01',
        cofinancements: [],
        odd: [],
      });
      add('entreeReference', { id: 'e2', liste: 'thematique', code: 'culture', libelle: 'Culture', retiree: false });
    });
    // The country is the list's subject, not a filter; the list has one page.
    const f = parsePaysFiltres({ region: '94', pays: 'SN', page: '2', thematique: 'culture' });
    expect(f).toEqual({ region: '94', thematique: 'culture', page: 1 });
    expect(filtresQuery(f)).toBe('?region=94&thematique=culture');
    const rows = (h: string) =>
      [...h.matchAll(/<td><a href="\/atlas\/pays\/[^"]+">([^<]+)<\/a><\/td>/g)].map((m) => m[1]);
    const all = paysListePage(d, parsePaysFiltres({}));
    expect(rows(all)).toEqual(['Maroc', 'Sénégal']);
    expect(all).toContain('2 pays');
    expect(all).not.toContain('Effacer les filtres');
    // A form of GET parameters, with the other lists' selects but the country's.
    const form = /<form method="get" action="\/atlas\/pays"[\s\S]*?<\/form>/.exec(all)![0];
    for (const name of ['region', 'departement', 'type', 'thematique', 'jumelage'])
      expect(form).toContain(`name="${name}"`);
    expect(form).not.toContain('name="pays"');
    expect(rows(paysListePage(d, parsePaysFiltres({ region: '53' })))).toEqual(['Sénégal']);
    expect(rows(paysListePage(d, parsePaysFiltres({ region: '94' })))).toEqual(['Maroc']);
    expect(rows(paysListePage(d, parsePaysFiltres({ thematique: 'eau' })))).toEqual(['Sénégal']);
    expect(rows(paysListePage(d, parsePaysFiltres({ type: 'departement', jumelage: 'non' })))).toEqual(['Maroc']);
    const none = paysListePage(d, parsePaysFiltres({ region: '53', thematique: 'culture' }));
    expect(rows(none)).toEqual([]);
    expect(none).toContain('Aucun pays ne correspond à ces filtres.');
    expect(none).toMatch(/<option value="53" +selected>/);
    expect(none).toContain('href="/atlas/pays">Effacer les filtres');
  });
});
