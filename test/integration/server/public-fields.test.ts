// The public Atlas's rule (src-shared/public/fields.ts), checked on what the server really serves: sentinel values
// (each holding the marker « zqxsent ») are put in every field and entity that is never public — contacts, avis,
// campaign attestations, accounts, audit (updated_by), a declaration's comment, the lines of a declaration (their
// country and amounts: only the yearly total is public), a collectivité's telephone and e-mail, a fiche's referent,
// deleted records — then every public route is walked (the sitemap, lists with each filter, pages 2, search, the
// map's data, countries, not-found pages) and no response may hold a sentinel. The public values of the same
// records must appear (the test is not hollow), and an edit written to the database shows within seconds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertRecords } from '../../../src-server/seed/insert';
import { CATEGORIE_APD_CODES } from '../../../src-shared/reference/categoriesApd';
import { PAYS_PARTENAIRES, nomPays } from '../../../src-shared/reference/pays';
import { collectiviteId, newId } from '../../../src-shared/sync/ids';
import { startTestServer, type TestServer } from '../helpers/testServer';

const MARK = 'zqxsent';
const CODE = 'commune:29019'; // Brest: not in the small seed
const CID = collectiviteId(CODE);
const euros = (n: number) =>
  new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }).format(n);

const ids = {
  contact: newId(),
  adhesion: newId(),
  partenariat: newId(),
  partenariatSupprime: newId(),
  fiche: newId(),
  ficheSupprimee: newId(),
  declaration: newId(),
  ligne1: newId(),
  ligne2: newId(),
  avis: newId(),
  campagne: newId(),
  attestation: newId(),
};
const LIGNES = [123_456.78, 54_321.09];
const TOTAL = 177_777.87;

describe('public Atlas: no non-public field on any public route', () => {
  let s: TestServer;
  let ligneCountry = '';
  let thematique = '';
  const pages = new Map<string, string>();

  const get = async (path: string) => {
    const r = await fetch(path.startsWith('http') ? path : `${s.url}${path}`);
    return { status: r.status, body: await r.text(), headers: r.headers };
  };

  beforeAll(async () => {
    s = await startTestServer({ seed: 'small' });
    const { db, sync, auth } = s.internals;
    const revs = sync.revs;
    const used = new Set(s.data!.partenariat.map((p) => p.pays as string));
    ligneCountry = PAYS_PARTENAIRES.map((p) => p.code).find(
      (c) => !used.has(c) && c !== 'ML' && nomPays(c).length > 6,
    )!;
    thematique = (s.data!.ficheProjet[0]!.thematiques as string[])[0]!;
    const by = `Audit ${MARK}-auteur`;
    const region = () => '53';
    const put = (entity: Parameters<typeof insertRecords>[2], rows: Record<string, unknown>[]) =>
      insertRecords(db, revs, entity, rows, region, by);
    await put('collectivite', [
      {
        id: CID,
        code: CODE,
        nom: 'Brest',
        type: 'commune',
        departement: '29',
        region: '53',
        adresse: '2 rue Frézier',
        codePostal: '29200',
        commune: 'Brest',
        telephone: '02 98 00 80 80',
        courriel: `${MARK}-courriel@mairie-brest.example.fr`,
        siteWeb: 'https://www.brest.example.fr',
      },
    ]);
    await put('contact', [
      {
        id: ids.contact,
        collectiviteId: CID,
        categorie: 'elu',
        civilite: null,
        prenom: `Prenom${MARK}`,
        nom: `Nom${MARK}`,
        fonction: `Fonction ${MARK}`,
        courriel: `${MARK}.contact@brest.example.fr`,
        telephone: '06 12 34 56 78',
      },
    ]);
    await put('adhesion', [
      {
        id: ids.adhesion,
        collectiviteId: CID,
        reseauCode: null,
        reseauNom: 'Réseau témoin des ports',
        adherent: true,
        utilisePourActions: false,
        depuis: 2010,
      },
    ]);
    await put('partenariat', [
      {
        id: ids.partenariat,
        collectiviteId: CID,
        nature: 'cooperation_decentralisee',
        pays: 'ML',
        nomPartenaire: 'Commune témoin de Kayes',
        typePartenaire: 'municipalite',
        jumelage: true,
        dateConvention: '2015-06-01',
        statut: 'active',
        latitude: null,
        longitude: null,
      },
      {
        id: ids.partenariatSupprime,
        collectiviteId: CID,
        nature: 'action_exterieure',
        pays: 'SN',
        nomPartenaire: `Partenaire supprimé ${MARK}`,
        typePartenaire: null,
        jumelage: false,
        dateConvention: null,
        statut: 'active',
        latitude: null,
        longitude: null,
      },
    ]);
    const fiche = (id: string, partenariatId: string, intitule: string) => ({
      id,
      collectiviteId: CID,
      partenariatId,
      intitule,
      description: 'Un projet témoin pour le test des champs publics.',
      thematiques: [thematique],
      statut: 'en_cours',
      dateDebut: '2024-01-15',
      dateFin: null,
      coutTotal: 50_000,
      participationCollectivite: 20_000,
      cofinancements: [],
      operateurs: null,
      beneficiaires: 'Les habitants de Kayes',
      odd: [6],
      dispositifUnPourCent: 'aucun',
      referentContactId: ids.contact,
      siteWeb: null,
    });
    await put('ficheProjet', [
      fiche(ids.fiche, ids.partenariat, 'Projet témoin d’eau potable à Kayes'),
      fiche(ids.ficheSupprimee, ids.partenariat, `Fiche supprimée ${MARK}`),
    ]);
    await put('declarationApd', [
      { id: ids.declaration, collectiviteId: CID, annee: 2024, commentaire: `Commentaire ${MARK} de la déclaration` },
    ]);
    await put(
      'ligneApd',
      LIGNES.map((montant, i) => ({
        id: i ? ids.ligne2 : ids.ligne1,
        collectiviteId: CID,
        declarationApdId: ids.declaration,
        pays: ligneCountry,
        categorie: CATEGORIE_APD_CODES[0],
        montant,
      })),
    );
    await put('avis', [
      {
        id: ids.avis,
        collectiviteId: CID,
        ficheProjetId: ids.fiche,
        avis: 'reserve',
        commentaire: `Avis ${MARK} du SGAR`,
        statutInstruction: 'en_cours',
        auteur: `Auteur ${MARK}`,
        date: '2025-02-01',
      },
    ]);
    // The seed's campaign, or one of our own (one campaign per year).
    const seeded = s.data!.campagne[0] as { id: string } | undefined;
    if (seeded) ids.campagne = seeded.id;
    else
      await insertRecords(
        db,
        revs,
        'campagne',
        [{ id: ids.campagne, annee: 2019, dateOuverture: '2019-01-01', dateCloture: '2019-03-31' }],
        () => null,
        by,
      );
    await put('attestationCampagne', [
      {
        id: ids.attestation,
        collectiviteId: CID,
        campagneId: ids.campagne,
        partie: 'cooperations',
        verifieeLe: '2025-02-02T10:00:00.000Z',
        par: `Attestant ${MARK}`,
      },
    ]);
    // Deleted records: a tombstone at a new revision, as a delete through sync leaves it.
    for (const [table, id] of [
      ['partenariat', ids.partenariatSupprime],
      ['fiche_projet', ids.ficheSupprimee],
    ] as const) {
      const [rev] = await revs.reserve(1);
      await db.query(`UPDATE ${table} SET deleted = true, sync_rev = $2 WHERE id = $1`, [id, rev]);
    }
    await auth.createUser({
      role: 'agent',
      email: `${MARK}.compte@brest.example.fr`,
      password: 'mot-de-passe-sentinelle-1',
      nom: `Compte ${MARK}`,
      collectiviteId: CID,
    });
  }, 120_000);

  afterAll(async () => {
    await s?.close();
  });

  /** Every public route: the sitemap's pages, lists with each filter and their pages 2, search, map data, 404s. */
  async function walk(): Promise<void> {
    const sm = await get('/atlas/sitemap.xml');
    expect(sm.status).toBe(200);
    pages.set('/atlas/sitemap.xml', sm.body);
    const urls = [...sm.body.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]!).pathname);
    expect(urls.length).toBeGreaterThan(10);
    const extra = ['/robots.txt', '/atlas/carte/points.json', '/atlas/recherche', '/atlas/inconnue'];
    for (const list of ['/atlas/collectivites', '/atlas/projets', '/atlas/carte', '/atlas/carte/points.json'])
      for (const q of [
        'region=53',
        'departement=29',
        'type=commune',
        'pays=ML',
        'pays=SN',
        `pays=${ligneCountry}`,
        `thematique=${thematique}`,
        'jumelage=oui',
        'jumelage=non',
        'page=2',
      ])
        extra.push(`${list}?${q}`);
    for (const q of ['brest', 'kayes', 'mali', 'témoin', 'eau', 'réseau'])
      for (const t of ['', '&type=collectivite', '&type=partenaire', '&type=projet', '&type=pays'])
        extra.push(`/atlas/recherche?q=${encodeURIComponent(q)}${t}`);
    extra.push(`/atlas/pays/${ligneCountry.toLowerCase()}`, '/atlas/pays/sn', `/atlas/projets/${ids.ficheSupprimee}`);
    for (const u of [...urls, ...extra]) {
      const r = await get(u);
      expect([200, 404], u).toContain(r.status);
      pages.set(u, r.body);
    }
  }

  it('serves every page without a sentinel, and with the public values', async () => {
    await walk();
    const forbidden = [
      MARK,
      '02 98 00 80 80',
      '06 12 34 56 78',
      ids.contact,
      ids.avis,
      ids.attestation,
      ids.campagne,
      ids.ligne1,
      ids.ligne2,
      ids.declaration,
      ids.partenariatSupprime,
      ids.ficheSupprimee,
      nomPays(ligneCountry),
      ...LIGNES.flatMap((m) => [String(m), String(m).replace('.', ','), euros(m)]),
    ];
    const fold = (t: string) => t.toLowerCase();
    for (const [url, body] of pages)
      for (const f of forbidden) expect(fold(body).includes(fold(f)), `${f} sur ${url}`).toBe(false);
    // A search for the marker finds nothing (the query is echoed, so that page is checked by its count).
    const r = await get(`/atlas/recherche?q=${MARK}`);
    expect(r.body).toContain('0 résultat pour');
    expect(r.body.replace(new RegExp(`value="${MARK}"|q=${MARK}|«\\s*${MARK}\\s*»`, 'g'), '')).not.toContain(MARK);

    const page = pages.get('/atlas/collectivites/commune-29019-brest')!;
    expect(page, 'la page de Brest est dans le plan du site').toBeDefined();
    for (const v of [
      'Brest',
      '2 rue Frézier',
      '29200',
      'https://www.brest.example.fr',
      'Réseau témoin des ports',
      'Commune témoin de Kayes',
      'Mali',
      'Projet témoin d’eau potable à Kayes',
      '2024',
      euros(TOTAL),
      'Finistère',
      'Bretagne',
    ])
      expect(page, v).toContain(v);
    const fiche = [...pages.entries()].find(([u]) => u.startsWith(`/atlas/projets/${ids.fiche}`));
    expect(fiche?.[1]).toContain('Les habitants de Kayes');
    expect(pages.get('/atlas/pays/ml-mali')).toContain('Brest');
    expect(pages.get('/atlas/carte/points.json?pays=ML')).toContain('Commune témoin de Kayes');
    expect(pages.get('/atlas/recherche?q=kayes')).toContain('Commune témoin de Kayes');
    expect(pages.get('/atlas/collectivites?departement=29')).toContain('Brest');
  }, 180_000);

  it('answers 304 to a matching If-None-Match, redirects other slugs (301) and reflects an edit within seconds', async () => {
    const url = `${s.url}/atlas/collectivites/commune-29019-brest`;
    const first = await fetch(url);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/".+"$/);
    expect(first.headers.get('cache-control')).toMatch(/max-age=\d+/);
    expect(first.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await fetch(url, { headers: { 'if-none-match': etag } })).status).toBe(304);
    for (const other of ['commune-29019', 'commune-29019-brest-finistere', 'commune:29019', 'COMMUNE-29019-x']) {
      const r = await fetch(`${s.url}/atlas/collectivites/${other}`, { redirect: 'manual' });
      expect(r.status, other).toBe(301);
      expect(r.headers.get('location')).toBe('/atlas/collectivites/commune-29019-brest');
    }
    // An edit (a new revision, as a sync writes it) shows on the page and changes the ETag.
    const [rev] = await s.internals.sync.revs.reserve(1);
    await s.internals.db.query('UPDATE partenariat SET "nomPartenaire" = $2, sync_rev = $3 WHERE id = $1', [
      ids.partenariat,
      'Cercle témoin de Kayes',
      rev,
    ]);
    const t0 = Date.now();
    let body = '';
    while (Date.now() - t0 < 20_000) {
      body = await (await fetch(url)).text();
      if (body.includes('Cercle témoin de Kayes')) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(body).toContain('Cercle témoin de Kayes');
    expect((await fetch(url, { headers: { 'if-none-match': etag } })).status).toBe(200);
  }, 60_000);
});
