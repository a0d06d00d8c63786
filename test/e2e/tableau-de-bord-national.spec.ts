// Issue 15, items 4 and 5: the DAECT's national dashboard (the circular's figures and the campaign's progress
// per région, from the device's national copy) and « Collectivités à jour », the list that decides co-funding
// eligibility. Every figure is checked against the server's database as it stands after the DAECT's sync
// (other specs add collectivités and attestations to the shared server meanwhile).
import { readFileSync } from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import { PARTIES, type AttestationCampagne, type Campagne } from '../../src-shared/domain/campagne';
import { campagneCourante, etatCollectivite, jourEnFrance } from '../../src-shared/domain/campagneEtat';
import { REGION_NOMS } from '../../src-shared/reference/regions';
import {
  appUrl,
  createUser,
  expect,
  expectNoAxeViolations,
  login,
  serverNational,
  serverRecord,
  shot,
  syncNow,
  test,
  waitSynced,
  type E2EUser,
} from './support/fixtures';

type Server = Awaited<ReturnType<typeof serverNational>>;

/** A partner's name as the screen says it compares them: case, accents, punctuation and spacing ignored. */
const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

function currentCampaign(d: Server): Campagne {
  const c = campagneCourante(d.campagnes as Campagne[], jourEnFrance(new Date()));
  if (!c) throw new Error('no campaign on the server');
  return c;
}

function etats(d: Server): Map<string, 'a_jour' | 'partiel' | 'pas_a_jour'> {
  const c = currentCampaign(d);
  const out = new Map<string, 'a_jour' | 'partiel' | 'pas_a_jour'>();
  for (const col of d.collectivites) {
    const atts = d.attestations.filter((a) => a.collectiviteId === col.id) as AttestationCampagne[];
    out.set(col.id, etatCollectivite(c, atts).etat);
  }
  return out;
}

/** The figures and the per-région rows the dashboard must show, from the server's rows. */
function expected(d: Server) {
  const ids = new Set(d.collectivites.map((c) => c.id));
  const coops = d.partenariats.filter((p) => p.nature === 'cooperation_decentralisee');
  const figures = {
    engagees: [...new Set(d.partenariats.map((p) => p.collectiviteId))].filter((id) => ids.has(id)).length,
    partenaires: new Set(coops.map((p) => `${p.pays}|${fold(p.nomPartenaire)}`)).size,
    pays: new Set(d.partenariats.map((p) => p.pays)).size,
    projets: d.fiches,
    autresActions: d.partenariats.filter((p) => p.nature === 'action_exterieure').length,
    inscrites: d.collectivites.length,
    cooperations: coops.length,
  };
  const e = etats(d);
  const rows: Record<string, { nom: string; total: number; aJour: number; partiel: number; pasAJour: number }> = {};
  for (const [code, nom] of Object.entries(REGION_NOMS))
    rows[code] = { nom, total: 0, aJour: 0, partiel: 0, pasAJour: 0 };
  for (const c of d.collectivites) {
    const key = c.region ?? '';
    rows[key] ??= {
      nom: c.region ? `région ${c.region}` : 'Hors région (collectivités d’outre-mer)',
      total: 0,
      aJour: 0,
      partiel: 0,
      pasAJour: 0,
    };
    for (const r of [rows[key]!]) {
      r.total++;
      const s = e.get(c.id)!;
      if (s === 'a_jour') r.aJour++;
      else if (s === 'partiel') r.partiel++;
      else r.pasAJour++;
    }
  }
  return { figures, rows };
}

const int = (s: string | null) => Number((s ?? '').replace(/\(.*$/, '').replace(/\D/g, ''));

/** What the dashboard shows: its figures and its table's rows (name, link and counts). */
async function shown(page: Page) {
  const figure = async (key: string) =>
    int(await page.getByTestId(`chiffre-${key}`).locator('[data-valeur]').textContent());
  const figures = {
    engagees: await figure('engagees'),
    partenaires: await figure('partenaires'),
    pays: await figure('pays'),
    projets: await figure('projets'),
    autresActions: await figure('autresActions'),
    inscrites: int(await page.getByTestId('chiffre-inscrites').textContent()),
    cooperations: int(await page.getByTestId('chiffre-cooperations').textContent()),
  };
  const raw = await page
    .getByTestId('tableau-regions')
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => ({
        code: tr.getAttribute('data-region') ?? '',
        nom: tr.querySelector('th')!.textContent ?? '',
        href: tr.querySelector('th a')?.getAttribute('href') ?? null,
        cells: [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''),
      })),
    );
  const rows: Record<string, { nom: string; total: number; aJour: number; partiel: number; pasAJour: number }> = {};
  for (const r of raw) {
    expect(r.href, r.nom).toBe(r.code ? `#/tableau-de-bord/region/${r.code}` : null);
    rows[r.code] = {
      nom: r.nom,
      total: int(r.cells[0]!),
      aJour: int(r.cells[1]!),
      partiel: int(r.cells[2]!),
      pasAJour: int(r.cells[3]!),
    };
  }
  return { figures, rows };
}

/** Compares the screen with the server; a difference left by another spec's write is synced again. */
async function expectMatchesServer(page: Page): Promise<Server> {
  let d: Server | null = null;
  await expect(async () => {
    d = await serverNational();
    const want = expected(d);
    const got = await shown(page);
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      await syncNow(page);
      d = await serverNational();
    }
    expect(await shown(page)).toEqual(expected(d));
  }).toPass({ timeout: 90_000 });
  return d!;
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** An agent of a fresh commune of Bretagne attests its five parts for the current campaign and syncs. */
async function agentAJour(browser: Browser): Promise<{ agent: E2EUser; col: Record<string, unknown> }> {
  const agent = await createUser();
  const ctx = await browser.newContext();
  const pa = await ctx.newPage();
  await login(pa, agent);
  for (const p of PARTIES) {
    const card = pa.getByTestId(`partie-${p}`);
    await card.getByRole('button', { name: /J’ai vérifié cette partie/ }).click();
    await expect(card.getByTestId('etat-partie')).toContainText('Vérifiée le');
  }
  await expect(pa.getByTestId('atlas-a-jour')).toContainText('Vos pages de l’Atlas sont à jour');
  await syncNow(pa);
  await ctx.close();
  return { agent, col: (await serverRecord('collectivite', agent.collectiviteId!))! };
}

/** The server's à jour collectivités (of one région or all), in name order. */
function aJourNames(d: Server, region?: string): string[] {
  const e = etats(d);
  return d.collectivites
    .filter((c) => e.get(c.id) === 'a_jour' && (region === undefined || c.region === region))
    .map((c) => c.nom)
    .sort(new Intl.Collator('fr').compare);
}

async function loginDaect(page: Page, user: E2EUser) {
  await login(page, user);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tableau de bord national');
  await expect(page.getByTestId('tableau-regions')).toBeVisible();
}

test('DAECT : accueil sur le tableau de bord national, chiffres et avancement par région identiques au serveur', async ({
  page,
}) => {
  test.setTimeout(150_000);
  await loginDaect(page, await createUser({ role: 'daect' }));
  await expect(page.getByRole('link', { name: 'Tableau de bord national' }).first()).toHaveAttribute(
    'aria-current',
    'page',
  );
  const d = await expectMatchesServer(page);
  const want = expected(d);
  // The seed has coopérations, actions and a campaign open today: nothing is hollow.
  expect(want.figures.engagees).toBeGreaterThan(0);
  expect(want.figures.autresActions).toBeGreaterThan(0);
  expect(want.figures.projets).toBeGreaterThan(0);
  await expect(page.getByTestId('campagne-nationale')).toContainText(`Campagne du`);
  await expect(page.getByRole('heading', { level: 2, name: /^Campagne \d{4} : avancement par région$/ })).toBeVisible();
  // The definitions are said on screen.
  await expect(page.getByTestId('chiffre-engagees')).toContainText(
    'Collectivités ayant au moins une coopération décentralisée ou une action extérieure.',
  );
  // The map: one labelled disc per région, the same share as the table's.
  const labels = page.locator('.atlas-carte-region');
  await expect(labels).toHaveCount(Object.keys(REGION_NOMS).length);
  // Metropolitan discs carry the share, the framed régions d'outre-mer their name too.
  for (const code of ['53', '84', '04']) {
    const cell = await page
      .locator(`[data-testid="tableau-regions"] tr[data-region="${code}"] td`)
      .nth(1)
      .textContent();
    const share = /\((.*)\)/.exec(cell ?? '')![1]!;
    await expect(page.locator(`.atlas-carte-region-${code}`)).toHaveText(
      code === '04' ? `La Réunion : ${share}` : share,
    );
  }
  await shot(page, 'tableau-de-bord-national');

  // Each région leads to its list; the chooser stays reachable.
  await expect(page.getByRole('link', { name: 'Bretagne', exact: true })).toHaveAttribute(
    'href',
    '#/tableau-de-bord/region/53',
  );
  await page.getByRole('button', { name: 'Changer de collectivité' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Choisir une collectivité');
  await page.getByRole('link', { name: 'Tableau de bord national' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tableau de bord national');
});

test('une collectivité qui atteste ses cinq parties entre dans « Collectivités à jour » (liste, export CSV, impression) et dans le compte de sa région', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  // The agent attests the five parts of a fresh commune of Bretagne for the current campaign, and syncs.
  const { agent, col } = await agentAJour(browser);
  const nom = String(col.nom);

  // The DAECT syncs: the commune is in the list, with its région, département, type and today's date.
  await loginDaect(page, await createUser({ role: 'daect' }));
  await page.getByRole('link', { name: 'Collectivités à jour' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Collectivités à jour');
  const table = page.getByTestId('a-jour-liste');
  const today = jourEnFrance(new Date()).split('-').reverse().join('/');
  const row = table.getByRole('row', { name: new RegExp(`^${esc(nom)} `) });
  await expect(async () => {
    if (!(await row.count())) await syncNow(page);
    await expect(row).toHaveText(`${nom}Commune${String(col.departement)}Bretagne${today}`, { timeout: 2_000 });
  }).toPass({ timeout: 60_000 });

  // The whole list is the server's à jour collectivités, in name order, counted.
  let listed: string[] = [];
  await expect(async () => {
    const want = aJourNames(await serverNational());
    listed = await table.locator('tbody th').allTextContents();
    if (JSON.stringify(listed) !== JSON.stringify(want)) await syncNow(page);
    listed = await table.locator('tbody th').allTextContents();
    expect(listed).toEqual(aJourNames(await serverNational()));
    await expect(page.getByTestId('a-jour-nombre')).toHaveText(
      `${listed.length} collectivité${listed.length > 1 ? 's' : ''} à jour.`,
    );
  }).toPass({ timeout: 60_000 });
  expect(listed).toContain(nom);

  // The CSV holds the list as shown: the same collectivités, each with the same cells.
  const csvOf = async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Exporter la liste (CSV)' }).click(),
    ]);
    return { name: download.suggestedFilename(), text: readFileSync((await download.path())!, 'utf8') };
  };
  const rowsOnScreen = async () =>
    table
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent ?? '')));
  const all = await csvOf();
  expect(all.name).toMatch(/^collectivites-a-jour-campagne-\d{4}-france\.csv$/);
  expect(all.text.startsWith('\uFEFF')).toBe(true);
  const lines = all.text.slice(1).trimEnd().split('\r\n');
  expect(lines[0]).toBe('Collectivité;Code officiel;Type;Département;Région;Dernière attestation');
  const screen = await rowsOnScreen();
  expect(
    lines
      .slice(1)
      .map((l) => l.split(';'))
      .map((c) => [c[0], c[2], c[3] || '—', c[4] || '—', c[5]]),
  ).toEqual(screen);
  expect(lines).toContain(`${nom};${col.code};Commune;${col.departement};Bretagne;${today}`);

  // Filtered by région and searched: the count says so, the export follows.
  await page.getByLabel('Région', { exact: true }).selectOption({ label: 'Bretagne' });
  await page.getByLabel(/^Rechercher une collectivité/).fill(nom);
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await expect(page.getByTestId('a-jour-nombre')).toHaveText(`1 collectivité sur ${listed.length} à jour correspond.`);
  const one = await csvOf();
  expect(one.name).toMatch(/^collectivites-a-jour-campagne-\d{4}-bretagne\.csv$/);
  expect(one.text.slice(1).trimEnd().split('\r\n')).toEqual([
    lines[0],
    `${nom};${col.code};Commune;${col.departement};Bretagne;${today}`,
  ]);

  // Printable: the nav, the header's actions and the buttons are not printed.
  await page.getByLabel(/^Rechercher une collectivité/).fill('');
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('button', { name: 'Imprimer' })).toBeHidden();
  await expect(page.getByRole('navigation', { name: /Menu principal/ })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Se déconnecter' })).toBeHidden();
  await expect(table).toBeVisible();
  await shot(page, 'collectivites-a-jour-impression');
  await page.emulateMedia({ media: 'screen' });
  await shot(page, 'collectivites-a-jour');

  // A past campaign's list, read-only: the commune attested for this one only.
  const select = page.getByLabel('Campagne', { exact: true });
  const options = await select.locator('option').allTextContents();
  expect(options[0]).toMatch(/^\d{4} \(campagne en cours\)$/);
  await select.selectOption({ index: 1 });
  await expect(page.getByTestId('a-jour-campagne')).toContainText('close : liste définitive');
  await expect(row).toHaveCount(0);
  await select.selectOption({ index: 0 });

  // Back on the dashboard, Bretagne's à jour count is the server's, the commune in it.
  await page.getByRole('link', { name: 'Tableau de bord national' }).first().click();
  const d = await expectMatchesServer(page);
  expect(etats(d).get(agent.collectiviteId!)).toBe('a_jour');
  expect(expected(d).rows['53']!.aJour).toBeGreaterThanOrEqual(1);
});

test('SGAR : « Collectivités à jour » de sa région, celles du serveur, sans filtre de région', async ({
  page,
  browser,
}) => {
  test.setTimeout(150_000);
  const { col } = await agentAJour(browser);
  const sgar = await createUser({ role: 'sgar', region: '53' });
  await page.goto(`${appUrl()}/#/`);
  await page.getByLabel('Adresse électronique').fill(sgar.email);
  await page.getByLabel('Mot de passe').fill(sgar.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tableau de bord régional — Bretagne', {
    timeout: 30_000,
  });
  await waitSynced(page);
  await page.getByRole('link', { name: 'Collectivités à jour' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Collectivités à jour');
  await expect(page.getByText('Collectivités de votre région (Bretagne).')).toBeVisible();
  await expect(page.getByLabel('Région', { exact: true })).toHaveCount(0);
  await expect(page.getByTestId('a-jour-campagne')).toContainText('région Bretagne');
  const table = page.getByTestId('a-jour-liste');
  await expect(async () => {
    let listed = await table.locator('tbody th').allTextContents();
    if (JSON.stringify(listed) !== JSON.stringify(aJourNames(await serverNational(), '53'))) await syncNow(page);
    listed = await table.locator('tbody th').allTextContents();
    expect(listed).toEqual(aJourNames(await serverNational(), '53'));
  }).toPass({ timeout: 60_000 });
  await expect(table.getByRole('rowheader', { name: String(col.nom), exact: true })).toHaveCount(1);
  const regions = await table.locator('tbody td:nth-of-type(3)').allTextContents();
  expect(new Set(regions)).toEqual(new Set(['Bretagne']));
  // The national dashboard is the DAECT's.
  await page.goto(`${appUrl()}/#/tableau-de-bord`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page réservée');
});

for (const scheme of ['light', 'dark'] as const) {
  test(`accessibilité (${scheme}) : tableau de bord national et « Collectivités à jour »`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: scheme });
    await loginDaect(page, await createUser({ role: 'daect' }));
    await expect(page.locator('html')).toHaveAttribute('data-fr-theme', scheme);
    await expect(page.locator('.atlas-carte-region').first()).toBeVisible();
    await expectNoAxeViolations(page, `tableau de bord national (${scheme})`);
    await shot(page, `axe-${scheme}-tableau-de-bord-national`);
    await page.goto(`${appUrl()}/#/a-jour`);
    await expect(page.getByTestId('a-jour-nombre')).toBeVisible();
    await expectNoAxeViolations(page, `collectivités à jour (${scheme})`);
    await shot(page, `axe-${scheme}-collectivites-a-jour`);
  });
}
