// Issue 14, what a new user met in the forms: every error at the first submit, required-ness true to the
// schema, business rules that match reality (errors and warnings), a form that follows the nature of the
// partnership, one name per field.
import {
  addAction,
  createUser,
  expect,
  expectNoAxeViolations,
  field,
  login,
  shot,
  tick,
  test,
} from './support/fixtures';

const nextYear = new Date().getFullYear() + 1;

test('partenariat : toutes les erreurs au premier envoi, statut rempli par défaut sans astérisque, convention dans le futur refusée', async ({
  page,
}) => {
  await login(page, await createUser());
  await page.getByRole('link', { name: 'Coopérations' }).first().click();
  await page.getByRole('link', { name: 'Ajouter une coopération décentralisée' }).click();
  await expect(page.locator('.fr-breadcrumb')).toContainText('Nouvelle coopération décentralisée');
  // « Statut » holds « Active » from the start: no empty entry, no asterisk.
  const statut = field(page, 'Statut');
  await expect(statut).toHaveValue('active');
  await expect(statut.locator('option')).toHaveText(['Active', 'En sommeil', 'Terminée']);
  await expect(page.locator(`label[for="${await statut.getAttribute('id')}"]`)).not.toContainText('*');
  await expect(page.getByText('Orthographe exacte, pas tout en majuscules')).toBeVisible();

  await page.getByRole('button', { name: 'Enregistrer' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'Le formulaire contient' });
  await expect(summary).toContainText('Le formulaire contient 3 erreurs');
  await expect(summary.getByRole('listitem')).toHaveText([
    '« Pays » est obligatoire.',
    '« Nom du partenaire » est obligatoire.',
    '« Date de signature de la convention » est obligatoire pour une coopération décentralisée.',
  ]);
  await shot(page, 'regles-partenariat-toutes-les-erreurs');
  await expectNoAxeViolations(page, 'le formulaire de coopération en erreur');

  await field(page, 'Pays').selectOption({ label: 'Sénégal' });
  await field(page, 'Nom du partenaire').fill('Podor');
  await field(page, 'Date de signature de la convention').fill(`${nextYear}-03-01`);
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(summary.getByRole('listitem')).toHaveText([
    '« Date de signature de la convention » ne peut pas être dans le futur : indiquez la date à laquelle la convention a été signée.',
  ]);
  await shot(page, 'regles-convention-future');
  await field(page, 'Date de signature de la convention').fill('2020-03-01');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Podor');
  await expect(field(page, 'Statut')).toHaveValue('active');
});

test('action extérieure : un titre et des champs d’action extérieure, sans convention', async ({ page }) => {
  await login(page, await createUser());
  await page.getByRole('link', { name: 'Actions extérieures' }).first().click();
  await page.getByRole('link', { name: 'Ajouter une action extérieure' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ajouter une action extérieure');
  await expect(page.locator('.fr-breadcrumb')).toContainText('Nouvelle action extérieure');
  await expect(page.locator('.fr-breadcrumb')).not.toContainText('partenariat');
  await expect(page.getByText('Date de signature de la convention')).toHaveCount(0);
  await shot(page, 'regles-action-exterieure-nouvelle');
  await expectNoAxeViolations(page, 'le formulaire d’action extérieure');
  await field(page, 'Pays').selectOption({ label: 'Burkina Faso' });
  await field(page, 'Nom du partenaire').fill('Ouahigouya');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Ouahigouya');
  await expect(page.getByText('Date de signature de la convention')).toHaveCount(0);
});

test('fiche-projet : toutes les erreurs d’un coup, « Terminé » dans le futur refusé, cofinancements au-delà du coût, « Aucun » une fois', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await login(page, await createUser());
  await page.getByRole('link', { name: 'Actions extérieures' }).first().click();
  await addAction(page, 'Mali', 'Kayes');
  await page.getByRole('link', { name: 'Ajouter une fiche-projet' }).click();

  // « Base du dispositif « 1 % » » lists « Aucun » once, chosen.
  const dispositif = field(page, 'Base du dispositif « 1 % »');
  await expect(dispositif).toHaveValue('aucun');
  await expect(dispositif.locator('option', { hasText: /^Aucun$/ })).toHaveCount(1);

  await field(page, 'Intitulé').fill('Maraîchage à Kayes');
  await field(page, 'Description / objectifs').fill(
    'Aménagement de trois périmètres maraîchers et formation de deux groupements de productrices.',
  );
  await tick(page, 'Agriculture, pêche et sécurité alimentaire');
  await field(page, 'Statut').selectOption({ label: 'En cours' });
  await field(page, 'Date de début').fill('2024-01-15');
  await field(page, 'Date de fin').fill('2023-01-01');
  await field(page, 'Coût total (€)').fill('-10');
  await page.getByRole('button', { name: 'Enregistrer la fiche-projet' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'Le formulaire contient' });
  // One submit: the end before the start is there with the amount error, in the fields' order.
  await expect(summary.getByRole('listitem')).toHaveText([
    '« Date de fin » doit être postérieure ou égale à la date de début.',
    '« Coût total » ne peut pas être négatif.',
  ]);
  await shot(page, 'regles-fiche-toutes-les-erreurs');
  await expectNoAxeViolations(page, 'la fiche-projet en erreur');

  // « Terminé » with an end after today: refused. Cofinancements alone above the cost: refused.
  await field(page, 'Statut').selectOption({ label: 'Terminé' });
  await field(page, 'Date de fin').fill(`${nextYear}-06-30`);
  await field(page, 'Coût total (€)').fill('10 000');
  await page.getByRole('button', { name: 'Ajouter un cofinancement' }).click();
  await page.getByLabel('Financeur de la ligne 1').selectOption({ label: 'Autre' });
  await page.getByLabel('Montant de la ligne 1 (€)').fill('99 999');
  await page.getByRole('button', { name: 'Enregistrer la fiche-projet' }).click();
  await expect(summary.getByRole('listitem')).toHaveText([
    '« Date de fin » ne peut pas être dans le futur pour un projet « Terminé » : corrigez la date ou le statut.',
    /^« Cofinancements » : leur total \(99\s999,00\s€\) dépasse le coût total du projet \(10\s000,00\s€\)\.$/,
  ]);
  await shot(page, 'regles-fiche-termine-et-cofinancements');
  // The summary's line leads to the cofinancements' table.
  await summary.getByRole('link', { name: /« Cofinancements »/ }).click();
  await expect(page.getByRole('table', { name: 'Cofinancements' })).toBeFocused();

  // « En cours » starting in the future, participation pushing the total above the cost: warnings only.
  await field(page, 'Statut').selectOption({ label: 'En cours' });
  await field(page, 'Date de début').fill(`${nextYear}-01-15`);
  await field(page, 'Date de fin').fill(`${nextYear}-12-31`);
  await page.getByLabel('Montant de la ligne 1 (€)').fill('9 000');
  await field(page, 'Participation de la collectivité (€)').fill('2 000');
  await expect(page.getByText('Le projet est « En cours » mais sa date de début est à venir')).toBeVisible();
  await expect(
    page.getByText('Les cofinancements et la participation de la collectivité dépassent le coût total'),
  ).toBeVisible();
  await shot(page, 'regles-fiche-conseils');
  await expectNoAxeViolations(page, 'la fiche-projet avec ses conseils');
  await page.getByRole('button', { name: 'Enregistrer la fiche-projet' }).click();
  await expect(page.getByRole('link', { name: 'Maraîchage à Kayes' })).toBeVisible();
});

test('réseaux : une deuxième adhésion au même réseau est refusée, avec un lien vers l’existante', async ({ page }) => {
  await login(page, await createUser());
  await page.getByRole('link', { name: 'Réseaux' }).first().click();
  await page.getByRole('link', { name: 'Ajouter un réseau' }).click();
  await field(page, 'Réseau').selectOption({ label: 'Cités Unies France' });
  await field(page, 'Depuis (année)').fill('2012');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'Cités Unies France' })).toContainText('2012');

  await page.getByRole('link', { name: 'Ajouter un réseau' }).click();
  await field(page, 'Réseau').selectOption({ label: 'Cités Unies France' });
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'Le formulaire contient' });
  await expect(summary.getByRole('listitem')).toHaveText([
    'La collectivité adhère déjà à « Cités Unies France » : modifiez l’adhésion existante plutôt que d’en créer une seconde.',
  ]);
  await shot(page, 'regles-reseau-en-double');
  await expectNoAxeViolations(page, 'le formulaire de réseau en double');
  await page.getByRole('link', { name: 'Ouvrir l’adhésion existante à Cités Unies France' }).click();
  await expect(page.getByRole('heading', { name: 'Modifier l’adhésion' })).toBeVisible();
  await expect(field(page, 'Depuis (année)')).toHaveValue('2012');
  await expect(page.getByRole('row').filter({ hasText: 'Cités Unies France' })).toHaveCount(1);
});

test('APD : une année vide est « obligatoire »', async ({ page }) => {
  await login(page, await createUser());
  await page.getByRole('link', { name: 'APD' }).first().click();
  await field(page, 'Année de la déclaration').fill('');
  await page.getByRole('button', { name: 'Ouvrir ou créer la déclaration de cette année' }).click();
  await expect(page.locator('#apd-annee-erreur')).toHaveText('« Année de la déclaration » est obligatoire.');
  await shot(page, 'regles-apd-annee-vide');
});
