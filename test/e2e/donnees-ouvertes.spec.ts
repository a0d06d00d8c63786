// The open-data pages of the public Atlas (issue 17): read without JavaScript (the list of files, their
// sizes and the licence, the dictionary), every download link answers, and axe finds no violation in the
// light and the dark theme.
import { appUrl, expect, expectNoAxeViolations, shot, test } from './support/fixtures';

test('Données ouvertes : la page et le dictionnaire se lisent sans JavaScript, chaque lien de téléchargement répond', async ({
  browser,
}) => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(`${appUrl()}/atlas/donnees`);
  await expect(page.getByRole('heading', { level: 1, name: 'Données ouvertes de l’Atlas' })).toBeVisible();
  await expect(page.getByText('Licence Ouverte / Open Licence version 2.0').first()).toBeVisible();
  const table = page.getByRole('table', { name: 'Fichiers de données, par thème' });
  await expect(table.locator('tbody tr')).toHaveCount(6);
  const links = await page.locator('a[download]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
  expect(links.length).toBe(6 * 2 + 1 + 2);
  for (const href of links) {
    const r = await page.request.get(`${appUrl()}${href}`);
    expect(r.status(), href).toBe(200);
    expect((await r.body()).length, href).toBeGreaterThan(100);
  }
  // The figures of the page are those of the files: the collectivités' count is the JSON's.
  const coll = (await (await page.request.get(`${appUrl()}/atlas/donnees/collectivites.json`)).json()) as {
    enregistrements: unknown[];
  };
  await expect(table.locator('tbody tr').first().locator('td').first()).toHaveText(String(coll.enregistrements.length));
  await shot(page, 'donnees-ouvertes');
  await page.getByRole('link', { name: 'consulter le dictionnaire' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Dictionnaire des données' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Champs du fichier fiches-projets' })).toBeVisible();
  await expect(page.getByRole('rowheader', { name: 'referentContactId' })).toHaveCount(0);
  await shot(page, 'donnees-ouvertes-dictionnaire');
  await ctx.close();
});

for (const theme of ['light', 'dark'] as const) {
  test(`Données ouvertes : axe, zéro violation (thème ${theme === 'light' ? 'clair' : 'sombre'})`, async ({ page }) => {
    for (const path of ['/atlas/donnees', '/atlas/donnees/dictionnaire']) {
      await page.goto(`${appUrl()}${path}`);
      await page.evaluate((t) => document.documentElement.setAttribute('data-fr-theme', t), theme);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expectNoAxeViolations(page, `${path} (${theme})`);
      if (theme === 'dark')
        await shot(page, `donnees-ouvertes-sombre${path.endsWith('dictionnaire') ? '-dictionnaire' : ''}`);
    }
  });
}
