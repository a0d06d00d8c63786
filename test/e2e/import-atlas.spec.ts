// Issue 17 in a real browser: the DAECT imports an existing Atlas from « Importer un Atlas » — a small CSV of the
// ministry's layout for a collectivité the seed does not hold (partner named for this run), simulated then
// imported; the partenariat is then on the server; axe in both themes. Acts only on the records it creates.
import type { Page } from '@playwright/test';
import { foldText } from '../../src-shared/reference/collectivites/normalize';
import { naturalId } from '../../src-shared/sync/ids';
import {
  appUrl,
  createUser,
  expect,
  expectNoAxeViolations,
  serverRecord,
  shot,
  test,
  waitSynced,
} from './support/fixtures';

async function loginDaect(page: Page, user: { email: string; password: string }) {
  await page.goto(`${appUrl()}/#/`);
  await page.getByLabel('Adresse électronique').fill(user.email);
  await page.getByLabel('Mot de passe').fill(user.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tableau de bord national', { timeout: 60_000 });
  await waitSynced(page);
}

test('importer un Atlas existant : simulation, rapport, import, données sur le serveur', async ({ page }) => {
  test.setTimeout(180_000);
  const run = Date.now().toString(36).slice(-5);
  const partenaire = `Ziguinchor ${run}`;
  const csv =
    '\uFEFFCode INSEE;Collectivité française;Pays;Collectivité partenaire;Titre du projet;Description;Thématique;Date de début;Montant total\r\n' +
    `29019;Brest;Sénégal;${partenaire};Projet d’essai ${run};"Description\r\nsur deux lignes";Santé;01/02/2021;12 000,00 €\r\n` +
    `;Trifouilly-les-Oies;Sénégal;${partenaire};Projet refusé ${run};Texte;Santé;01/02/2021;\r\n`;
  const user = await createUser({ role: 'daect' });
  await loginDaect(page, user);
  await page.getByRole('link', { name: 'Importer un Atlas' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Importer un Atlas existant');
  await page
    .locator('#import-fichier')
    .setInputFiles({ name: 'projets.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Simuler l’import' }).click();
  await expect(page.getByRole('heading', { name: 'Simulation — rien n’a encore été écrit' })).toBeVisible({
    timeout: 30_000,
  });
  const row = (name: string) => page.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
  await expect(row('Fiches-projets à créer / à mettre à jour / inchangées')).toContainText('1 / 0 / 0');
  await expect(row('Lignes refusées')).toContainText('1');
  await expect(row('Collectivités inconnues')).toContainText('1');
  const partId = naturalId('partenariat', ['import', 'commune:29019', 'SN', foldText(partenaire)]);
  expect(await serverRecord('partenariat', partId)).toBeNull();
  await shot(page, 'import-atlas-simulation');
  await expectNoAxeViolations(page, 'import-atlas simulation (clair)');

  await page.getByRole('button', { name: 'Importer ces données' }).click();
  await expect(page.getByRole('heading', { name: /^Import terminé — import de l’Atlas / })).toBeVisible({
    timeout: 60_000,
  });
  await expect(row('Fiches-projets créées / mises à jour / inchangées')).toContainText('1 / 0 / 0');
  const part = await serverRecord('partenariat', partId);
  expect(part).toMatchObject({ nomPartenaire: partenaire, pays: 'SN' });
  await shot(page, 'import-atlas-termine');

  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-fr-theme', 'dark');
  await expectNoAxeViolations(page, 'import-atlas terminé (sombre)');
  await shot(page, 'import-atlas-termine-sombre');
});
