// Issue 17 in a real browser: the DAECT imports an existing Atlas from « Importer un Atlas » — a small CSV of the
// ministry's layout for a collectivité the seed does not hold (partner named for this run), simulated then
// imported, its progress shown while the server writes it; the partenariat is then on the server; axe in both
// themes. Acts only on the records it creates.
import type { Page } from '@playwright/test';
import { loadOfficialCollectivites } from '../../src-server/reference/officialCollectivites';
import { foldText } from '../../src-shared/reference/collectivites/normalize';
import { naturalId } from '../../src-shared/sync/ids';
import {
  createUser,
  expect,
  expectNoAxeViolations,
  login,
  loginDaect,
  serverRecord,
  shot,
  syncNow,
  test,
} from './support/fixtures';

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

  // The import is a job of the server that the screen follows. Its first status request is held until the
  // progress has been looked at (a small file is written in one batch, faster than any poll otherwise).
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route(/\/api\/v1\/import-atlas\/[0-9a-f-]{36}$/, async (route) => {
    await held;
    // A request the app gave up on meanwhile (its own time limit, on a loaded machine) is already closed.
    await route.continue().catch(() => undefined);
  });
  await page.getByRole('button', { name: 'Importer ces données' }).click();
  const progression = page.getByTestId('import-progression');
  await expect(page.getByRole('heading', { name: 'Import en cours — projets.csv' })).toBeFocused();
  await expect(progression.getByRole('status')).toHaveText(/^(Préparation de l’import|Lot \d+ sur \d+ écrit — )/);
  await expect(progression.locator('progress')).toHaveAccessibleName(/Préparation de l’import|Lot /);
  await shot(page, 'import-atlas-en-cours');
  await expectNoAxeViolations(page, 'import-atlas en cours (clair)');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-fr-theme', 'dark');
  await expectNoAxeViolations(page, 'import-atlas en cours (sombre)');
  await page.emulateMedia({ colorScheme: 'light' });
  release();
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  await expect(page.getByRole('heading', { name: /^Import terminé — import de l’Atlas / })).toBeVisible({
    timeout: 60_000,
  });
  await expect(progression).toHaveCount(0);
  await expect(row('Fiches-projets créées / mises à jour / inchangées')).toContainText('1 / 0 / 0');
  const part = await serverRecord('partenariat', partId);
  expect(part).toMatchObject({ nomPartenaire: partenaire, pays: 'SN' });
  await shot(page, 'import-atlas-termine');

  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-fr-theme', 'dark');
  await expectNoAxeViolations(page, 'import-atlas terminé (sombre)');
  await shot(page, 'import-atlas-termine-sombre');
});

// The mark « Repris de l’Atlas existant — à vérifier »: the DAECT imports two projects of a fresh collectivité
// (partner named for this run); its agent sees the mark on the dashboard (part d), the fiches list and the fiche,
// edits one fiche, syncs, and the mark leaves that fiche (on the server too) while the other keeps it.
test('repris de l’Atlas existant : la marque sur le tableau de bord et les fiches, jusqu’à la modification', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const run = Date.now().toString(36).slice(-5);
  const agent = await createUser();
  const c = loadOfficialCollectivites().find((x) => x.code === agent.collectiviteCode)!;
  const partenaire = `Kolda ${run}`;
  const csv =
    '\uFEFFCode INSEE;Collectivité française;Pays;Collectivité partenaire;Titre du projet;Description;Thématique;Date de début;Montant total\r\n' +
    `${c.codeInsee};${c.nom};Sénégal;${partenaire};Maraîchage ${run};Jardins partagés et formation;Santé;01/02/2021;8 000,00 €\r\n` +
    `${c.codeInsee};${c.nom};Sénégal;${partenaire};Bibliothèque ${run};Fonds de livres et animation;Santé;01/03/2022;5 000,00 €\r\n`;
  const daect = await createUser({ role: 'daect' });
  const ctxD = await browser.newContext();
  const pd = await ctxD.newPage();
  await loginDaect(pd, daect);
  await pd.getByRole('link', { name: 'Importer un Atlas' }).first().click();
  await pd
    .locator('#import-fichier')
    .setInputFiles({ name: 'reprise.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await pd.getByRole('button', { name: 'Simuler l’import' }).click();
  await pd.getByRole('button', { name: 'Importer ces données' }).click();
  await expect(pd.getByRole('heading', { name: /^Import terminé — import de l’Atlas / })).toBeVisible({
    timeout: 60_000,
  });
  await ctxD.close();
  const partId = naturalId('partenariat', ['import', agent.collectiviteCode!, 'SN', foldText(partenaire)]);
  const part = await serverRecord('partenariat', partId);
  expect(part).toMatchObject({ nature: 'action_exterieure', nomPartenaire: partenaire });
  expect(typeof part!.reprisLe).toBe('string');

  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  page.on('dialog', (d) => void d.accept());
  await login(page, agent);
  // Dashboard, part d: the partenariat and its two fiches (the collectivité is fresh: nothing else is marked).
  const partD = page.getByTestId('partie-actions_exterieures');
  await expect(partD.getByTestId('reprise-partie')).toContainText('Repris de l’Atlas existant — à vérifier');
  await expect(partD.getByTestId('reprise-partie')).toContainText('3 enregistrements');
  await expect(partD.getByTestId('reprise-partie')).toContainText('attestez la partie');
  await expect(page.getByTestId('partie-cooperations').getByTestId('reprise-partie')).toHaveCount(0);
  await shot(page, 'reprise-tableau-de-bord');
  await expectNoAxeViolations(page, 'reprise tableau de bord (clair)');

  // The partenariats list of part d: the partenariat marked.
  await page.getByRole('link', { name: 'Actions extérieures' }).first().click();
  const partRow = page.getByRole('row').filter({ has: page.getByRole('link', { name: partenaire }) });
  await expect(partRow.getByTestId('marque-reprise')).toBeVisible();
  await expect(page.getByTestId('reprise-liste')).toContainText('1 partenariat repris');
  await shot(page, 'reprise-partenariats');
  await expectNoAxeViolations(page, 'reprise partenariats (clair)');
  await page.getByRole('link', { name: 'Tableau de bord' }).first().click();

  // The fiches list: both fiches marked.
  await page.getByRole('link', { name: 'Voir toutes les fiches-projets' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Toutes les fiches-projets');
  const ligne = (t: string) => page.getByRole('row').filter({ has: page.getByRole('link', { name: t }) });
  await expect(ligne(`Maraîchage ${run}`).getByTestId('marque-reprise')).toBeVisible();
  await expect(ligne(`Bibliothèque ${run}`).getByTestId('marque-reprise')).toBeVisible();
  await expect(page.getByTestId('reprise-liste')).toContainText('2 fiches-projets reprises');
  await shot(page, 'reprise-fiches');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-fr-theme', 'dark');
  await expectNoAxeViolations(page, 'reprise fiches (sombre)');
  await page.emulateMedia({ colorScheme: 'light' });

  // The fiche: the notice, then an edit of one field.
  await page.getByRole('link', { name: `Maraîchage ${run}` }).click();
  await expect(page.getByTestId('notice-reprise')).toContainText('Vérifiez et modifiez si besoin');
  await shot(page, 'reprise-fiche');
  await expectNoAxeViolations(page, 'reprise fiche (clair)');
  await page.getByLabel('Bénéficiaires').fill('Trente familles du quartier');
  await page.getByRole('button', { name: 'Enregistrer la fiche-projet' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(partenaire);
  await syncNow(page);
  await page.getByRole('link', { name: 'Tableau de bord' }).first().click();
  await expect(partD.getByTestId('reprise-partie')).toContainText('2 enregistrements');
  await page.getByRole('link', { name: 'Voir toutes les fiches-projets' }).click();
  await expect(ligne(`Maraîchage ${run}`).getByTestId('marque-reprise')).toHaveCount(0);
  await expect(ligne(`Bibliothèque ${run}`).getByTestId('marque-reprise')).toBeVisible();
  await shot(page, 'reprise-fiches-apres-modification');
  const fiches = [await serverRecord('ficheProjet', await ficheId(page, `Maraîchage ${run}`))];
  expect(fiches[0]).toMatchObject({ beneficiaires: 'Trente familles du quartier', reprisLe: null });
  expect(await serverRecord('ficheProjet', await ficheId(page, `Bibliothèque ${run}`))).toMatchObject({
    reprisLe: part!.reprisLe,
  });

  // Attesting part d is the verification of what is left: the mark goes from the dashboard and the list.
  await page.getByRole('link', { name: 'Tableau de bord' }).first().click();
  await partD.getByRole('button', { name: /J’ai vérifié cette partie/ }).click();
  await expect(partD.getByTestId('reprise-partie')).toHaveCount(0);
  await page.getByRole('link', { name: 'Voir toutes les fiches-projets' }).click();
  await expect(ligne(`Bibliothèque ${run}`)).toBeVisible();
  await expect(page.getByTestId('marque-reprise')).toHaveCount(0);
  await ctx.close();
});

/** The id of a fiche from its link in the list (…/fiches/<id>). */
async function ficheId(page: Page, intitule: string): Promise<string> {
  const h = await page.getByRole('link', { name: intitule }).getAttribute('href');
  return h!.split('/').pop()!;
}
