import { createUser, expect, field, login, shot, test } from './support/fixtures';

/** Web Mercator pixel of a point at a zoom level (Leaflet's default CRS, 256 px tiles). */
function project(lat: number, lon: number, zoom: number): { x: number; y: number } {
  const size = 256 * 2 ** zoom;
  const s = Math.sin((lat * Math.PI) / 180);
  return { x: (size * (lon + 180)) / 360, y: size * (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) };
}

test.use({ viewport: { width: 1280, height: 1200 } });

test('carte : le partenaire placé apparaît, son pays est coloré, un clic sur le point ouvre le partenariat', async ({
  page,
}) => {
  await login(page, await createUser());
  await page.goto(page.url().replace(/#.*$/, '#/partenariats/nouveau?nature=cooperation_decentralisee'));
  await field(page, 'Pays').selectOption({ label: 'Mali' });
  await field(page, 'Nom du partenaire').fill('Kayes');
  await field(page, 'Date de signature de la convention').fill('2010-03-02');
  await field(page, 'Latitude').fill('14,45');
  await field(page, 'Longitude').fill('-11,44');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Kayes');
  await page.getByRole('link', { name: 'Ajouter une fiche-projet' }).click();
  await field(page, 'Intitulé').fill('Santé maternelle');
  await field(page, 'Description / objectifs').fill(
    'Équipement de deux maternités et formation de sages-femmes du cercle de Kayes.',
  );
  await page.locator('label', { hasText: /^Santé$/ }).click();
  await field(page, 'Statut').selectOption({ label: 'En cours' });
  await field(page, 'Date de début').fill('2023-01-01');
  await page.getByRole('button', { name: 'Enregistrer la fiche-projet' }).click();
  await expect(page.getByRole('link', { name: 'Santé maternelle' })).toBeVisible();

  await page.getByRole('link', { name: 'Carte' }).first().click();
  await expect(page.getByTestId('carte-resume')).toContainText('1 partenaire(s) dans 1 pays.');
  await expect(
    page
      .getByRole('table', { name: /Répartition par pays/ })
      .getByRole('row')
      .filter({ hasText: 'Mali' }),
  ).toContainText('1');
  const c = project(20, 10, 2); // the map opens centred on 20° N, 10° E at zoom 2
  const p = project(14.45, -11.44, 2);
  await page.waitForTimeout(300); // let the canvas draw its first frame
  await shot(page, 'carte');
  // Clicked again until the partenariat opens, the map's place measured each time: the page may still
  // move (the fonts arrive after the first paint) and the canvas may not have its marker yet (a click
  // on the empty map does nothing).
  await expect(async () => {
    const box = (await page.getByTestId('carte').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2 + (p.x - c.x), box.y + box.height / 2 + (p.y - c.y));
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Kayes', { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
});
