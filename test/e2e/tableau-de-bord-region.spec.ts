// Issue 15: the SGAR's regional dashboard and « Fiches à instruire », in real browsers against the real server.
// Every row of the dashboard is compared with what the server's database says of the région (state of the
// current campaign part by part, latest attestation, quality advice, fiches awaiting an avis); filters, sort,
// search and the CSV export work on it; the SGAR's avis takes a fiche out of « Fiches à instruire » and the
// agent's later change brings it back, marked as changed since the avis.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { campagneCourante, etatCollectivite, ETAT_CAMPAGNE_LABELS } from '../../src-shared/domain/campagneEtat';
import type { AttestationCampagne, Campagne } from '../../src-shared/domain/campagne';
import { COLLECTIVITE_TYPE_LABELS, type CollectiviteType } from '../../src-shared/domain/collectivite';
import type { FicheProjet } from '../../src-shared/domain/ficheProjet';
import type { Partenariat } from '../../src-shared/domain/partenariat';
import { ficheProjetWarnings, partenariatWarnings } from '../../src-shared/domain/warnings';
import { entityFields, type EntityName } from '../../src-shared/registry';
import {
  addAction,
  appUrl,
  createUser,
  expect,
  expectNoAxeViolations,
  field,
  login,
  regionCollectivites,
  regionRecords,
  serverRecord,
  shot,
  syncNow,
  test,
  tick,
  waitSynced,
  type E2EUser,
} from './support/fixtures';

const TITRE = 'Tableau de bord régional — Bretagne';
type Row = Record<string, unknown>;

/** The local calendar day, as the app's todayIso() takes it. */
function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** A table row as a record of its entity: the schema's fields only. */
function pick<T>(entity: EntityName, row: Row): T {
  return Object.fromEntries(entityFields(entity).map((f) => [f, row[f] ?? null])) as T;
}

interface Ligne {
  nom: string;
  code: string;
  departement: string;
  type: string;
  etat: string;
  verifiees: string;
  parties: string[];
  derniere: string | null;
  avertissements: string;
  aInstruire: string;
}

/**
 * What each row must show, from the server's tables: the shared campaign rule on the attestations, the
 * forms' warning functions on partenariats and fiches, and a fiche awaits an avis when it has none or
 * when its revision (its newest field's, as a device holds it) is newer than every avis's version.
 */
function attendu(data: Record<string, Row[]>): (Omit<Ligne, 'derniere'> & { derniere: string | null })[] {
  const campagne = campagneCourante(
    data.campagne!.map((r) => pick<Campagne>('campagne', r)),
    today(),
  );
  const attestations = data.attestationCampagne!.map((r) => pick<AttestationCampagne>('attestationCampagne', r));
  const ficheRev = (r: Row) => {
    const fr = (r.field_revs ?? {}) as Record<string, number>;
    return Math.max(
      ...entityFields('ficheProjet')
        .filter((f) => f !== 'id')
        .map((f) => Number(fr[f] ?? r.created_rev)),
    );
  };
  const avis = data.avis!;
  return data.collectivite!.map((c) => {
    const own = attestations.filter((a) => a.collectiviteId === c.id);
    const e = etatCollectivite(campagne, own);
    const partenariats = data.partenariat!.filter((p) => p.collectiviteId === c.id);
    const fiches = data.ficheProjet!.filter((f) => f.collectiviteId === c.id);
    const avertissements =
      partenariats.reduce((n, p) => n + partenariatWarnings(pick<Partenariat>('partenariat', p)).length, 0) +
      fiches.reduce((n, f) => n + ficheProjetWarnings(pick<FicheProjet>('ficheProjet', f)).length, 0);
    const aInstruire = fiches.filter((f) => {
      const given = avis.filter((a) => a.ficheProjetId === f.id);
      return given.length === 0 || given.every((a) => a.ficheRevision != null && ficheRev(f) > Number(a.ficheRevision));
    }).length;
    return {
      nom: String(c.nom),
      code: String(c.code),
      departement: (c.departement as string | null) ?? '—',
      type: COLLECTIVITE_TYPE_LABELS[c.type as CollectiviteType],
      etat: ETAT_CAMPAGNE_LABELS[e.etat],
      verifiees: `${e.verifiees} sur 5`,
      parties: [
        ...e.parties.flatMap((p, i) => (p.attestation ? [`${'abcde'[i]}. ${p.attestation.par}`] : [])),
        ...(e.verifiees < 5
          ? [
              `Non vérifiée${5 - e.verifiees > 1 ? 's' : ''} : ${e.parties
                .flatMap((p, i) => (p.attestation ? [] : ['abcde'[i]]))
                .join(', ')}`,
            ]
          : []),
      ],
      derniere: own.reduce<string | null>((m, a) => (m === null || a.verifieeLe > m ? a.verifieeLe : m), null),
      avertissements: String(avertissements),
      aInstruire: String(aInstruire),
    };
  });
}

/** The rows the table shows, cell by cell (the date of each part's attestation left out, kept in `derniere`). */
async function lignes(page: Page): Promise<Ligne[]> {
  return page.getByTestId('region-ligne').evaluateAll((trs) =>
    trs.map((tr) => {
      const c = [...tr.children].map((x) => x as HTMLElement);
      const text = (i: number) => (c[i]!.textContent ?? '').trim();
      return {
        nom: text(0),
        code: text(1),
        departement: text(2),
        type: text(3),
        etat: text(4),
        verifiees: (c[5]!.querySelector('span')?.textContent ?? '').trim(),
        // "a. 03/12/2026 à 13:35, Nom" → "a. Nom" (the date is checked in `derniere`).
        parties: [...c[5]!.querySelectorAll('li')].map((li) =>
          (li.textContent ?? '').trim().replace(/^([a-e]\.) .*?, /, '$1 '),
        ),
        derniere: text(6) === 'Jamais' ? null : text(6),
        avertissements: text(7),
        aInstruire: text(8),
      };
    }),
  );
}

/** The expected rows with their latest attestation written as the page writes dates. */
async function attenduAffiche(page: Page, data: Record<string, Row[]>): Promise<Ligne[]> {
  const rows = attendu(data);
  const dates = await page.evaluate(
    (isos) =>
      isos.map((iso) =>
        iso === null
          ? null
          : new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'short' })
              .format(new Date(iso))
              .replace(' ', ' à '),
      ),
    rows.map((r) => r.derniere),
  );
  return rows.map((r, i) => ({ ...r, derniere: dates[i]! }));
}

const byCode = (a: { code: string }, b: { code: string }) => a.code.localeCompare(b.code);

/** Logs an SGAR (home: its région's dashboard) or the DAECT (home: the chooser) in, through the screen. */
async function loginAs(page: Page, user: E2EUser, home: string): Promise<void> {
  await page.goto(`${appUrl()}/#/`);
  await page.getByLabel(/^Adresse électronique/).fill(user.email);
  await page.getByLabel(/^Mot de passe/).fill(user.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(home, { timeout: 60_000 });
  await waitSynced(page);
}

/** An agent's fiche-projet on a new action extérieure, saved and sent. */
async function ficheDeLAgent(
  page: Page,
  o: { pays: string; partenaire: string; intitule: string; description: string },
): Promise<void> {
  await page.getByRole('link', { name: 'Actions extérieures' }).first().click();
  await addAction(page, o.pays, o.partenaire);
  await page.getByRole('link', { name: 'Ajouter une fiche-projet' }).click();
  await field(page, 'Intitulé').fill(o.intitule);
  await field(page, 'Description / objectifs').fill(o.description);
  await tick(page, 'Éducation et formation');
  await field(page, 'Statut').selectOption({ label: 'En cours' });
  await field(page, 'Date de début').fill('2025-09-01');
  await page.getByRole('button', { name: 'Enregistrer la fiche-projet' }).click();
  await expect(page.getByRole('link', { name: o.intitule })).toBeVisible();
  await syncNow(page);
}

async function axeBothThemes(page: Page, label: string, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect(page.locator('html')).toHaveAttribute('data-fr-theme', scheme);
    await expectNoAxeViolations(page, `${label} (${scheme === 'light' ? 'thème clair' : 'thème sombre'})`);
    await shot(page, `${name}-${scheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('SGAR : le tableau de bord régional montre, ligne par ligne, ce que dit le serveur ; filtres, tri, recherche et export CSV', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const suffix = Date.now().toString(36);
  // A région of more than a handful of collectivités (communes of the register, without data).
  await regionCollectivites('53', 20);
  // An agent of a fresh commune of Bretagne: two parts attested, a partner in capitals and a terse fiche.
  const agent = await createUser();
  const ctxA = await browser.newContext();
  const pa = await ctxA.newPage();
  pa.on('dialog', (d) => void d.accept());
  await login(pa, agent);
  for (const p of ['contacts', 'reseaux']) {
    const card = pa.getByTestId(`partie-${p}`);
    await card.getByRole('button', { name: /J’ai vérifié cette partie/ }).click();
    await expect(card.getByTestId('etat-partie')).toContainText('Vérifiée le');
  }
  await ficheDeLAgent(pa, {
    pays: 'Mongolie',
    partenaire: `OULAN-BATOR ${suffix.toUpperCase()}`,
    intitule: `Échanges scolaires ${suffix}`,
    description: 'Échanges.',
  });
  const collectivite = (await serverRecord('collectivite', agent.collectiviteId!))!;

  // The SGAR lands on its région's dashboard.
  const ctxS = await browser.newContext({ acceptDownloads: true });
  const ps = await ctxS.newPage();
  const sgar = await createUser({ role: 'sgar', region: '53' });
  await loginAs(ps, sgar, TITRE);
  await expect(ps.getByRole('link', { name: 'Tableau de bord régional' }).first()).toBeVisible();

  // Whole rows, as the server's tables say (other specs may add to the région meanwhile: compared as both
  // stand after a sync).
  const nombre = ps.getByTestId('region-nombre');
  let data: Record<string, Row[]> = {};
  await expect(async () => {
    data = await regionRecords('53');
    const expected = (await attenduAffiche(ps, data)).sort(byCode);
    if (JSON.stringify((await lignes(ps)).sort(byCode)) !== JSON.stringify(expected)) {
      await syncNow(ps);
      data = await regionRecords('53');
    }
    expect((await lignes(ps)).sort(byCode)).toEqual((await attenduAffiche(ps, data)).sort(byCode));
  }).toPass({ timeout: 90_000 });
  const total = data.collectivite!.length;
  expect(total).toBeGreaterThan(20);
  await expect(nombre).toHaveText(`${total} collectivités affichées sur ${total}`);
  // Totals at the top, from the same rule.
  const expected = attendu(data);
  for (const [etat, label] of Object.entries(ETAT_CAMPAGNE_LABELS)) {
    const n = expected.filter((r) => r.etat === label).length;
    await expect(ps.getByTestId(`region-total-${etat}`)).toHaveText(`${n}${label} (sur ${total})`);
  }
  // The agent's collectivité: partly up to date, its two warnings and its fiche awaiting an avis.
  const mine = (await lignes(ps)).find((r) => r.code === collectivite.code)!;
  expect(mine).toMatchObject({
    nom: collectivite.nom,
    etat: 'Partiellement à jour',
    verifiees: '2 sur 5',
    avertissements: '2',
    aInstruire: '1',
  });
  expect(mine.parties).toEqual([
    expect.stringMatching(/^a\. Utilisateur test \d+$/),
    expect.stringMatching(/^b\. Utilisateur test \d+$/),
    'Non vérifiées : c, d, e',
  ]);
  await shot(ps, 'tableau-de-bord-region');

  // Search by code, then by name.
  const search = ps.getByLabel(/^Rechercher une collectivité/);
  await search.fill(String(collectivite.code).split(':')[1]!);
  await expect(nombre).toHaveText(`1 collectivité affichée sur ${total}`);
  await expect(ps.getByTestId('region-ligne')).toHaveText([new RegExp(`^${collectivite.nom}`)]);
  await search.fill('');

  // Filters: département, type, state, fiches to examine — each row shown satisfies them, none is missing.
  const dept = String(collectivite.departement);
  await ps.getByLabel('Département', { exact: true }).selectOption(dept);
  await ps.getByLabel('Type de collectivité').selectOption({ label: 'Commune' });
  await ps.getByLabel('État de la campagne').selectOption({ label: 'Partiellement à jour' });
  const filtered = expected.filter(
    (r) => r.departement === dept && r.type === 'Commune' && r.etat === 'Partiellement à jour',
  );
  await expect(nombre).toHaveText(
    `${filtered.length} collectivité${filtered.length > 1 ? 's' : ''} affichée${filtered.length > 1 ? 's' : ''} sur ${total}`,
  );
  expect((await lignes(ps)).map((r) => r.code).sort()).toEqual(filtered.map((r) => r.code).sort());
  await tick(ps, 'Seulement les collectivités ayant des fiches-projets à instruire');
  const aInstruire = filtered.filter((r) => r.aInstruire !== '0');
  expect((await lignes(ps)).map((r) => r.code).sort()).toEqual(aInstruire.map((r) => r.code).sort());
  expect(aInstruire.map((r) => r.code)).toContain(collectivite.code);
  await shot(ps, 'tableau-de-bord-region-filtres');
  await ps.getByRole('button', { name: 'Effacer les filtres' }).click();
  await expect(nombre).toHaveText(`${total} collectivités affichées sur ${total}`);

  // Sort: by name both ways, by fiches to examine, said by aria-sort on the column header.
  const fr = new Intl.Collator('fr', { numeric: true });
  const noms = async () => (await lignes(ps)).map((r) => r.nom);
  const colNom = ps.getByRole('columnheader', { name: 'Collectivité' });
  await expect(colNom).toHaveAttribute('aria-sort', 'ascending');
  expect(await noms()).toEqual(expected.map((r) => r.nom).sort(fr.compare));
  await colNom.getByRole('button').click();
  await expect(colNom).toHaveAttribute('aria-sort', 'descending');
  expect(await noms()).toEqual(
    expected
      .map((r) => r.nom)
      .sort(fr.compare)
      .reverse(),
  );
  const colFiches = ps.getByRole('columnheader', { name: 'Fiches à instruire' });
  await colFiches.getByRole('button').click();
  await colFiches.getByRole('button').click();
  await expect(colFiches).toHaveAttribute('aria-sort', 'descending');
  await expect(colNom).toHaveAttribute('aria-sort', 'none');
  const counts = (await lignes(ps)).map((r) => Number(r.aInstruire));
  expect(counts).toEqual([...counts].sort((a, b) => b - a));
  const colEtat = ps.getByRole('columnheader', { name: 'État' });
  await colEtat.getByRole('button').click();
  const rang: Record<string, number> = { 'Pas à jour': 0, 'Partiellement à jour': 1, 'À jour': 2 };
  const etats = (await lignes(ps)).map((r) => rang[r.etat]!);
  expect(etats).toEqual([...etats].sort((a, b) => a - b));
  await expect(ps.getByRole('columnheader', { name: 'Dernière mise à jour' }).getByRole('button')).toHaveAttribute(
    'title',
    /dernière vérification attestée/,
  );

  // CSV export of the rows shown, in the order shown, for French Excel.
  await ps.getByLabel('Département', { exact: true }).selectOption(dept);
  const shown = await lignes(ps);
  const [download] = await Promise.all([
    ps.waitForEvent('download'),
    ps.getByRole('button', { name: 'Exporter le tableau affiché (CSV)' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('tableau-de-bord-region-53.csv');
  const csv = readFileSync((await download.path())!, 'utf8');
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  const [header, ...body] = csv.slice(1).trimEnd().split('\r\n');
  expect(header!.split(';').slice(0, 6)).toEqual([
    'Collectivité',
    'Code officiel',
    'Département',
    'Type',
    'État de la campagne',
    'Parties vérifiées',
  ]);
  expect(header!.split(';').slice(-2)).toEqual(['Avertissements de qualité', 'Fiches-projets à instruire']);
  const unquote = (s: string) => (s.startsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s);
  expect(
    body.map((l) => {
      const c = l.split(';').map(unquote);
      return [c[0], c[1], c[2], c[3], c[4], `${c[5]} sur 5`, c.at(-2), c.at(-1)];
    }),
  ).toEqual(
    shown.map((r) => [r.nom, r.code, r.departement, r.type, r.etat, r.verifiees, r.avertissements, r.aInstruire]),
  );

  // axe in both themes, then a row opens its collectivité as the chooser does.
  await axeBothThemes(ps, 'tableau de bord régional', 'tableau-de-bord-region-axe');
  await ps.getByRole('button', { name: String(collectivite.nom), exact: true }).click();
  await expect(ps.getByRole('heading', { level: 1 })).toHaveText(/Campagne de mise à jour/);
  await expect(ps.getByTestId('partie-contacts').getByTestId('etat-partie')).toContainText('Vérifiée le');

  // Another région's dashboard is refused to an SGAR, in French.
  await ps.goto(`${appUrl()}/#/tableau-de-bord/region/52`);
  await expect(ps.getByRole('heading', { level: 1 })).toHaveText('Accès refusé');
  await expect(
    ps.getByText('Vous ne pouvez consulter que le tableau de bord de votre région (Bretagne).'),
  ).toBeVisible();
  await ctxA.close();
  await ctxS.close();
});

test('Fiches à instruire : l’avis du SGAR retire la fiche de la liste, la modification de l’agent l’y ramène ; la DAECT voit le tableau de bord de la région', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const suffix = Date.now().toString(36);
  const intitule = `Bibliothèque partagée ${suffix}`;
  const agent = await createUser();
  const ctxA = await browser.newContext();
  const pa = await ctxA.newPage();
  pa.on('dialog', (d) => void d.accept());
  await login(pa, agent);
  await ficheDeLAgent(pa, {
    pays: 'Bhoutan',
    partenaire: `Thimphou ${suffix}`,
    intitule,
    description: 'Création d’une bibliothèque partagée entre deux écoles, avec des échanges de livres et de classes.',
  });

  const ctxS = await browser.newContext();
  const ps = await ctxS.newPage();
  ps.on('dialog', (d) => void d.accept());
  const sgar = await createUser({ role: 'sgar', region: '53' });
  await loginAs(ps, sgar, TITRE);
  const ligne = () => ps.getByTestId('instruction-ligne').filter({ hasText: intitule });

  // Listed without an avis; narrowed by pays, thématique and statut « sans avis ».
  await ps.getByRole('link', { name: 'Fiches à instruire' }).first().click();
  await expect(ps.getByRole('heading', { level: 1 })).toHaveText('Fiches à instruire');
  const nombre = ps.getByTestId('instruction-nombre');
  await expect(nombre).toHaveText(/^\d+ fiches?-projets? à instruire/);
  await ps.getByLabel('Pays').selectOption({ label: 'Bhoutan' });
  await ps.getByLabel('Thématique').selectOption({ label: 'Éducation et formation' });
  await ps.getByLabel('Statut d’instruction').selectOption({ label: 'Sans avis' });
  await expect(ligne()).toHaveCount(1);
  await expect(ligne()).toContainText('Sans avis');
  await expect(nombre).toHaveText(/^\d+ fiches?-projets? à instruire sur \d+\.$/);
  for (const row of await ps.getByTestId('instruction-ligne').all()) {
    await expect(row).toContainText('(Bhoutan)');
    await expect(row).toContainText('Éducation et formation');
    await expect(row).toContainText('Sans avis');
  }
  await ps.getByLabel('Thématique').selectOption({ label: 'Santé' });
  await expect(ligne()).toHaveCount(0);
  await ps.getByLabel('Thématique').selectOption({ label: 'Éducation et formation' });
  await axeBothThemes(ps, 'fiches à instruire', 'fiches-a-instruire');

  // The row opens the fiche (its collectivité chosen); the SGAR gives an avis and sends it.
  await ligne().getByRole('button', { name: intitule }).click();
  await expect(ps.getByRole('heading', { level: 1 })).toContainText(intitule);
  await field(ps, 'Avis').selectOption({ label: 'Favorable' });
  await field(ps, 'Statut d’instruction').selectOption({ label: 'Instruit' });
  await ps.getByRole('button', { name: 'Enregistrer l’avis' }).click();
  await expect(ps.getByTestId('avis')).toContainText('Favorable — Instruit');
  await syncNow(ps);
  await ps.getByRole('link', { name: 'Fiches à instruire' }).first().click();
  await expect(nombre).toBeVisible();
  // No fiche in Bhoutan awaits an avis any more: the country is no longer among the filter's choices.
  expect(await ps.getByLabel('Pays').locator('option').allTextContents()).not.toContain('Bhoutan');
  await expect(ligne()).toHaveCount(0);

  // The agent changes the fiche and sends it; after a sync the SGAR sees it back, changed since the avis.
  await syncNow(pa);
  await pa.getByRole('link', { name: intitule }).click();
  await field(pa, 'Intitulé').fill(`${intitule} et ludothèque`);
  await pa.getByRole('button', { name: 'Enregistrer la fiche-projet' }).click();
  await expect(pa.getByRole('link', { name: `${intitule} et ludothèque` })).toBeVisible();
  await syncNow(pa);
  await syncNow(ps);
  await ps.getByLabel('Pays').selectOption({ label: 'Bhoutan' });
  await expect(ligne()).toHaveCount(1);
  await expect(ligne()).toContainText(`${intitule} et ludothèque`);
  await expect(ligne()).toContainText('Modifiée depuis l’avis');
  await expect(ligne()).toContainText('Favorable — Instruit, par');
  await ps.getByLabel('Statut d’instruction').selectOption({ label: 'Sans avis' });
  await expect(ligne()).toHaveCount(0);
  await ps.getByLabel('Statut d’instruction').selectOption({ label: 'Instruit' });
  await expect(ligne()).toHaveCount(1);
  await shot(ps, 'fiches-a-instruire-modifiee');

  // The regional dashboard counts it with the same rule; the fiche's own screen says the avis is earlier.
  const collectivite = (await serverRecord('collectivite', agent.collectiviteId!))!;
  await ps.getByRole('link', { name: 'Tableau de bord régional' }).first().click();
  await expect(ps.getByRole('heading', { level: 1 })).toHaveText(TITRE);
  await ps.getByLabel(/^Rechercher une collectivité/).fill(String(collectivite.code).split(':')[1]!);
  await expect((await lignes(ps)).map((r) => [r.code, r.aInstruire])).toEqual([[collectivite.code, '1']]);

  // The DAECT sees the région's dashboard too (drill-down), with the same rows.
  const ctxD = await browser.newContext();
  const pd = await ctxD.newPage();
  await loginAs(pd, await createUser({ role: 'daect' }), 'Tableau de bord national');
  await pd.goto(`${appUrl()}/#/tableau-de-bord/region/53`);
  await expect(pd.getByRole('heading', { level: 1 })).toHaveText(TITRE);
  await expect(async () => {
    const data = await regionRecords('53');
    const expected = (await attenduAffiche(pd, data)).sort(byCode);
    if (JSON.stringify((await lignes(pd)).sort(byCode)) !== JSON.stringify(expected)) await syncNow(pd);
    expect((await lignes(pd)).sort(byCode)).toEqual((await attenduAffiche(pd, await regionRecords('53'))).sort(byCode));
  }).toPass({ timeout: 90_000 });
  await ctxA.close();
  await ctxS.close();
  await ctxD.close();
});
