import { createUser, expect, field, tick, login, shot, syncNow, test } from './support/fixtures';

test('b. associations et réseaux : liste de référence ou nom libre, modifier, supprimer', async ({ page }) => {
  await login(page, await createUser());
  await page.getByRole('link', { name: 'Réseaux' }).first().click();
  await page.getByRole('link', { name: 'Ajouter un réseau' }).click();
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Le formulaire contient' })).toContainText(
    '« Réseau » est obligatoire',
  );
  await field(page, 'Réseau').selectOption({ label: 'Cités Unies France' });
  await tick(page, 'Réseau utilisé pour les actions extérieures');
  await field(page, 'Depuis (année)').fill('2199');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByText('« Depuis (année) »').first()).toBeVisible();
  await field(page, 'Depuis (année)').fill('2012');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'Cités Unies France' })).toContainText('2012');

  // A network typed by hand.
  await page.getByRole('link', { name: 'Ajouter un réseau' }).click();
  await field(page, 'Réseau').selectOption('__autre');
  await field(page, 'Nom du réseau').fill('Réseau Bretagne Solidaire Sud');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  const row = page.getByRole('row').filter({ hasText: 'Réseau Bretagne Solidaire Sud' });
  await expect(row).toBeVisible();
  await row.getByRole('link', { name: /Modifier/ }).click();
  await tick(page, 'La collectivité est adhérente', false);
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(
    page.getByRole('row').filter({ hasText: 'Réseau Bretagne Solidaire Sud' }).getByRole('cell').nth(1),
  ).toHaveText('Non');
  await shot(page, 'reseaux');
  await page
    .getByRole('row')
    .filter({ hasText: 'Réseau Bretagne Solidaire Sud' })
    .getByRole('button', { name: /Supprimer/ })
    .click();
  await expect(page.getByRole('row').filter({ hasText: 'Réseau Bretagne Solidaire Sud' })).toHaveCount(0);
  await syncNow(page);
});

test('e. APD : déclaration annuelle, lignes, totaux calculés par année, pays et catégorie', async ({ page }) => {
  await login(page, await createUser());
  await page.getByRole('link', { name: 'APD' }).first().click();
  await field(page, 'Année de la déclaration').fill('2025');
  await page.getByRole('button', { name: 'Ouvrir ou créer la déclaration de cette année' }).click();
  await expect(page.getByRole('heading', { name: /Déclaration 2025/ })).toBeVisible();
  await page.getByRole('button', { name: 'Ajouter la ligne' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Le formulaire contient' })).toContainText('« Pays »');
  await field(page, 'Pays').selectOption({ label: 'Sénégal' });
  await field(page, 'Catégorie').selectOption({ label: '1 % eau et assainissement' });
  await field(page, 'Montant (€)').fill('12 500,50');
  await page.getByRole('button', { name: 'Ajouter la ligne' }).click();
  await expect(page.getByTestId('total-apd')).toHaveText(/12\s500,50\s€/);
  await field(page, 'Pays').selectOption({ label: 'Multi-pays' });
  await field(page, 'Catégorie').selectOption({ label: 'Contributions multilatérales' });
  await field(page, 'Montant (€)').fill('1000');
  await page.getByRole('button', { name: 'Ajouter la ligne' }).click();
  await expect(page.getByTestId('total-apd')).toHaveText(/13\s500,50\s€/);
  await expect(page.getByRole('table', { name: 'Total par pays' })).toContainText('Multi-pays');
  await expect(page.getByRole('table', { name: 'Total par catégorie' })).toContainText('1 % eau et assainissement');
  await shot(page, 'apd');
  // A negative amount is refused with the shared message.
  await field(page, 'Pays').selectOption({ label: 'Mali' });
  await field(page, 'Catégorie').selectOption({ label: "Bourses d'étudiants" });
  await field(page, 'Montant (€)').fill('-5');
  await page.getByRole('button', { name: 'Ajouter la ligne' }).click();
  await expect(page.getByText('« Montant » doit être supérieur à 0 €.').first()).toBeVisible();
  await page
    .getByRole('row')
    .filter({ hasText: 'Multi-pays' })
    .first()
    .getByRole('button', { name: /Supprimer/ })
    .click();
  await expect(page.getByTestId('total-apd')).toHaveText(/12\s500,50\s€/);
  await syncNow(page);
});
