// The public Atlas (/atlas/): read without JavaScript (home, a collectivité, a fiche, a country, search, filters),
// axe clean in both themes, the map enhanced with JavaScript, the sitemap and ETags, and an edit synced by an agent
// shown on its collectivité's public page within a minute.
import type { Browser, Page } from '@playwright/test';
import {
  addAction,
  appUrl,
  createUser,
  expect,
  expectNoAxeViolations,
  login,
  serverRecord,
  shot,
  syncNow,
  test,
} from './support/fixtures';
import { collectiviteId } from '../../src-shared/sync/ids';

/**
 * axe on the same address in the light and the dark theme (the design system's CSS variables, set on <html>): axe
 * runs as a script in the page, so it is run in a context of its own with JavaScript — the page is the same HTML.
 */
async function axeBothThemes(page: Page, label: string): Promise<void> {
  const browser = page.context().browser() as Browser;
  const ctx = await browser.newContext({ javaScriptEnabled: true });
  const p = await ctx.newPage();
  await p.goto(page.url());
  await expectNoAxeViolations(p, `${label} (clair)`);
  await p.evaluate(() => document.documentElement.setAttribute('data-fr-theme', 'dark'));
  await expectNoAxeViolations(p, `${label} (sombre)`);
  await ctx.close();
}

test.describe('sans JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('accueil, collectivité, fiche, pays, recherche et filtres se lisent sans JavaScript', async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto(`${appUrl()}/atlas/`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      'L’Atlas français de la coopération décentralisée',
    );
    const chiffres = page.getByTestId('chiffres');
    const chiffresText = ((await chiffres.textContent()) ?? '').replace(/\s+/g, ' ');
    for (const label of ['collectivités engagées', 'partenaires', 'pays', 'projets', 'actions'])
      expect(chiffresText).toMatch(new RegExp(`\\d+ ${label} `));
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    await expect(page.getByRole('link', { name: 'Contenu' })).toHaveAttribute('href', '#contenu');
    await expect(page.getByRole('link', { name: 'Données ouvertes' }).first()).toHaveAttribute(
      'href',
      '/atlas/donnees',
    );
    await shot(page, 'atlas-accueil');
    await axeBothThemes(page, 'atlas accueil');

    // A collectivité of the seed: its page, from the server's record.
    const rennes = await serverRecord('collectivite', collectiviteId('commune:35238'));
    await page.goto(`${appUrl()}/atlas/collectivites/commune-35238`);
    await expect(page).toHaveURL(/\/atlas\/collectivites\/commune-35238-rennes$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(String(rennes!.nom));
    for (const h of [
      'Identité',
      'Réseaux',
      'Coopérations décentralisées',
      'Autres actions extérieures',
      'Fiches-projets',
    ])
      await expect(page.getByRole('heading', { level: 2, name: h })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'Aide publique au développement (APD)' })).toBeVisible();
    await shot(page, 'atlas-collectivite');
    await axeBothThemes(page, 'atlas collectivité');

    // A fiche of hers.
    const ficheLink = page
      .getByRole('table', { name: /Fiches-projets de/ })
      .getByRole('link')
      .first();
    const intitule = (await ficheLink.textContent())!.trim();
    await ficheLink.click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(intitule);
    await expect(page.getByTestId('fiche')).toContainText(String(rennes!.nom));
    await shot(page, 'atlas-fiche');
    await axeBothThemes(page, 'atlas fiche');

    // Its country.
    const paysLink = page.getByTestId('fiche').getByRole('link').nth(1);
    const pays = (await paysLink.textContent())!.trim();
    await paysLink.click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(pays);
    await expect(page.getByRole('link', { name: String(rennes!.nom) })).toBeVisible();
    await shot(page, 'atlas-pays');
    await axeBothThemes(page, 'atlas pays');

    // Search from the header (a GET form).
    await page.getByRole('searchbox', { name: 'Rechercher dans l’Atlas' }).fill('Rennes');
    await page.getByRole('search').first().getByRole('button', { name: 'Rechercher' }).click();
    await expect(page).toHaveURL(/\/atlas\/recherche\?q=Rennes/);
    await expect(page.getByRole('heading', { level: 2, name: /Collectivités/ })).toBeVisible();
    await expect(page.getByRole('link', { name: String(rennes!.nom), exact: true })).toBeVisible();
    await shot(page, 'atlas-recherche');
    await axeBothThemes(page, 'atlas recherche');

    // Filters: région Bretagne on the list of collectivités.
    await page.goto(`${appUrl()}/atlas/collectivites`);
    await page.getByLabel('Région').selectOption({ label: 'Bretagne' });
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await expect(page).toHaveURL(/region=53/);
    const rows = page.getByRole('table').getByRole('row');
    await expect(rows.nth(1)).toBeVisible();
    for (const cell of await page.getByRole('table').locator('tbody tr td:nth-child(3)').allTextContents())
      expect(cell).toContain('Bretagne');
    await expect(page.getByRole('button', { name: 'Filtrer' })).toBeVisible();
    await shot(page, 'atlas-collectivites-filtres');
    await axeBothThemes(page, 'atlas collectivités filtrées');

    // The same filters on the list of countries: Rennes's country is among those of Bretagne.
    await page.goto(`${appUrl()}/atlas/pays`);
    await page.getByLabel('Région').selectOption({ label: 'Bretagne' });
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await expect(page).toHaveURL(/\/atlas\/pays\?region=53/);
    await expect(page.getByTestId('nombre-resultats')).toContainText('pays');
    await expect(page.getByRole('table').getByRole('link', { name: pays, exact: true })).toBeVisible();

    // The map page reads as a table without JavaScript (the map stays hidden).
    await page.goto(`${appUrl()}/atlas/carte?region=53`);
    await expect(page.getByTestId('nombre-resultats')).toContainText('partenariat');
    await expect(page.locator('#carte')).toBeHidden();
    await expect(page.getByRole('table')).toBeVisible();
  });
});

test('la carte s’enrichit avec JavaScript : fond hors ligne et points regroupés', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(`${appUrl()}/atlas/carte`);
  const carte = page.locator('#carte');
  await expect(carte).toBeVisible();
  await expect(carte).toHaveAttribute('data-points-charges', /^[1-9]\d*$/);
  await expect(carte.locator('.leaflet-overlay-pane path').first()).toBeAttached();
  await expect(carte.locator('.marker-cluster, .leaflet-interactive').first()).toBeVisible();
  expect(errors, 'pas d’erreur (CSP comprise)').toEqual([]);
  await shot(page, 'atlas-carte');
  await expectNoAxeViolations(page, 'atlas carte');
});

test('plan du site, robots.txt, ETag et 304', async ({ request }) => {
  const sm = await request.get(`${appUrl()}/atlas/sitemap.xml`);
  expect(sm.status()).toBe(200);
  const body = await sm.text();
  expect(body).toContain('/atlas/collectivites/commune-35238-rennes</loc>');
  expect(body).toMatch(/\/atlas\/projets\/[0-9a-f-]{36}-/);
  expect(body).toMatch(/\/atlas\/pays\/[a-z]{2}-/);
  const robots = await (await request.get(`${appUrl()}/robots.txt`)).text();
  expect(robots).toContain('Allow: /atlas/');
  const first = await request.get(`${appUrl()}/atlas/collectivites/commune-35238-rennes`);
  const etag = first.headers()['etag']!;
  expect(etag).toBeTruthy();
  expect(first.headers()['cache-control']).toContain('max-age=');
  const again = await request.get(`${appUrl()}/atlas/collectivites/commune-35238-rennes`, {
    headers: { 'if-none-match': etag },
  });
  expect(again.status()).toBe(304);
});

test('une modification synchronisée par un agent paraît sur la page publique en moins d’une minute', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const agent = await createUser();
  const coll = await serverRecord('collectivite', agent.collectiviteId!);
  await login(page, agent);
  await page.getByRole('link', { name: 'Actions extérieures' }).first().click();
  const nom = `Partenaire public ${Date.now().toString(36)}`;
  await addAction(page, 'Mali', nom);
  await syncNow(page);
  const synced = Date.now();

  // A visitor without JavaScript reloads the collectivité's public page until the partner shows.
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const visitor = await ctx.newPage();
  const url = `${appUrl()}/atlas/collectivites/${String(coll!.code).replace(':', '-')}`;
  await expect
    .poll(
      async () => {
        await visitor.goto(url);
        return visitor.getByText(nom).count();
      },
      { timeout: 60_000, intervals: [1_000, 2_000, 5_000] },
    )
    .toBeGreaterThan(0);
  expect(Date.now() - synced).toBeLessThan(60_000);
  await expect(visitor.getByRole('heading', { level: 1 })).toHaveText(String(coll!.nom));
  await shot(visitor, 'atlas-collectivite-apres-modification');
  await ctx.close();
});
