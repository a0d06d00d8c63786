// Wording (issue 14): countries with their article, the official names, France out of the partner countries,
// records named by their labels on the synchronisation screen, the map's legend, and the page's <title>.
import type { Page } from '@playwright/test';
import {
  addAction,
  appUrl,
  createUser,
  expect,
  expectNoAxeViolations,
  field,
  login,
  shot,
  test,
} from './support/fixtures';

/** The collectivité's name, as the header shows it under the service's name. */
async function collectiviteNom(page: Page): Promise<string> {
  const tagline = page.locator('.fr-header__service-tagline').first();
  await expect(tagline).not.toBeEmpty();
  return ((await tagline.textContent()) ?? '').trim();
}

test('titre de la page : « Connexion — Atlas hors ligne », puis « <écran> — <collectivité> — Atlas hors ligne »', async ({
  page,
}) => {
  await page.goto(`${appUrl()}/#/`);
  await expect(page).toHaveTitle('Connexion — Atlas hors ligne');
  await login(page, await createUser());
  const nom = await collectiviteNom(page);
  const h1 = ((await page.getByRole('heading', { level: 1 }).textContent()) ?? '').trim();
  await expect(page).toHaveTitle(`${h1} — ${nom} — Atlas hors ligne`);
  for (const [lien, ecran] of [
    ['Élus et cadres', 'a. Élus et cadres territoriaux'],
    ['Réseaux', 'b. Associations et réseaux'],
    ['Actions extérieures', 'd. Autres actions extérieures'],
    ['Carte', 'Carte des partenariats'],
    ['Synchronisation', 'Synchronisation'],
  ] as const) {
    await page.getByRole('navigation').getByRole('link', { name: lien, exact: true }).first().click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(ecran);
    await expect(page).toHaveTitle(`${ecran} — ${nom} — Atlas hors ligne`);
  }
  // A record's screen: its name, once read, and not the sync badge of its heading.
  await page.getByRole('navigation').getByRole('link', { name: 'Actions extérieures', exact: true }).first().click();
  await addAction(page, 'Niger', 'Commune de Maradi');
  await expect(page).toHaveTitle(`Commune de Maradi — ${nom} — Atlas hors ligne`);
});

test('pays : « au Niger », « aux Comores », noms officiels, et ni la France ni ses territoires parmi les pays partenaires', async ({
  page,
}) => {
  await login(page, await createUser());
  const actions = page.getByRole('navigation').getByRole('link', { name: 'Actions extérieures', exact: true }).first();
  for (const [pays, nom] of [
    ['Niger', 'Commune de Maradi'],
    ['Comores', 'Mutsamudu'],
    ['Tchéquie', 'Brno'],
  ] as const) {
    await actions.click();
    await addAction(page, pays, nom);
  }
  await actions.click();
  // Each country's table is named with the right preposition (read by screen readers).
  await expect(page.getByRole('table', { name: 'Partenariats au Niger' })).toContainText('Commune de Maradi');
  await expect(page.getByRole('table', { name: 'Partenariats aux Comores' })).toContainText('Mutsamudu');
  await expect(page.getByRole('table', { name: 'Partenariats en Tchéquie' })).toContainText('Brno');
  await expect(page.getByText(/en Niger|en Comores/)).toHaveCount(0);
  await expectNoAxeViolations(page, 'actions extérieures par pays');
  await shot(page, 'libelles-pays');

  await page.getByRole('link', { name: 'Ajouter une action extérieure' }).click();
  const pays = field(page, 'Pays');
  const options = await pays.locator('option').allTextContents();
  for (const nom of ['Arabie saoudite', 'Émirats arabes unis', 'Tchéquie', "Côte d'Ivoire", 'Niger', 'Monaco'])
    expect(options, nom).toContain(nom);
  for (const nom of ['France', 'Guadeloupe', 'Martinique', 'Guyane', 'La Réunion', 'Mayotte', 'Nouvelle-Calédonie'])
    expect(options, nom).not.toContain(nom);
  for (const nom of ['Arabie Saoudite', 'République Tchèque', 'Émirats Arabes Unis', "Côte-d'Ivoire"])
    expect(options, nom).not.toContain(nom);
  await expectNoAxeViolations(page, 'formulaire de partenariat');
});

test('synchronisation : une adhésion en attente est nommée par son réseau, jamais par son code', async ({
  page,
  context,
}) => {
  await login(page, await createUser());
  await context.setOffline(true);
  await page.getByRole('navigation').getByRole('link', { name: 'Réseaux', exact: true }).first().click();
  await page.getByRole('link', { name: 'Ajouter un réseau' }).click();
  await field(page, 'Réseau').selectOption({ label: 'AFCCRE' });
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'AFCCRE' })).toBeVisible();
  await page.getByRole('navigation').getByRole('link', { name: 'Synchronisation', exact: true }).click();
  const row = page.getByTestId('attente').first();
  await expect(row.getByRole('rowheader')).toHaveText('Adhésion « AFCCRE »');
  await expect(page.getByTestId('liste-attente')).not.toContainText('afccre');
  await expectNoAxeViolations(page, 'synchronisation');
  await shot(page, 'libelles-synchronisation');
  await context.setOffline(false);
});

test('carte : une légende dit ce que sont les points, par leur forme autant que leur couleur', async ({ page }) => {
  await login(page, await createUser());
  // One partner of each nature, placed, so that both kinds of point are on the map.
  for (const [nature, pays, nom, lat, lon] of [
    ['cooperation_decentralisee', 'Mali', 'Kayes', '14,45', '-11,44'],
    ['action_exterieure', 'Niger', 'Maradi', '13,5', '7,1'],
  ] as const) {
    await page.goto(`${appUrl()}/#/partenariats/nouveau?nature=${nature}`);
    await field(page, 'Pays').selectOption({ label: pays });
    await field(page, 'Nom du partenaire').fill(nom);
    if (nature === 'cooperation_decentralisee')
      await field(page, 'Date de signature de la convention').fill('2010-03-02');
    await field(page, 'Latitude').fill(lat);
    await field(page, 'Longitude').fill(lon);
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText(nom);
  }
  await page.getByRole('navigation').getByRole('link', { name: 'Carte', exact: true }).first().click();
  const legende = page.getByRole('list', { name: 'Légende des points' });
  await expect(legende.getByRole('listitem')).toHaveText([
    'Disque plein rouge : coopération décentralisée',
    'Cercle vide vert : action extérieure',
  ]);
  await expect(
    page.getByText('un disque plein pour une coopération décentralisée, un cercle vide pour une'),
  ).toBeVisible();
  await expect(page.getByTestId('carte-resume')).toContainText('2 partenaire(s) dans 2 pays.');
  await page.waitForTimeout(300); // the canvas draws its points on the next frame
  await expectNoAxeViolations(page, 'carte et sa légende');
  await shot(page, 'libelles-carte-legende');
});
