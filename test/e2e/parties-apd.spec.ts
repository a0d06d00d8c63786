// e. APD beyond adding: the year's validation, the line form's messages, editing a line in the same form
// (prefilled, by keyboard too), cancelling an edit, deleting a line and the whole declaration.
import { createUser, expect, expectNoAxeViolations, field, login, shot, syncNow, test } from './support/fixtures';

test('e. APD : messages de validation, modifier une ligne (aussi au clavier), supprimer une ligne puis la déclaration', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const user = await createUser();
  await login(page, user);
  await page.getByRole('link', { name: 'APD' }).first().click();

  // The year: the shared schema refuses a declaration in the future.
  await field(page, 'Année de la déclaration').fill('2099');
  await page.getByRole('button', { name: 'Ouvrir ou créer la déclaration de cette année' }).click();
  await expect(page.locator('#apd-annee-erreur')).toHaveText(
    '« Année de la déclaration » ne peut pas être dans le futur.',
  );
  await expect(field(page, 'Année de la déclaration')).toHaveAttribute('aria-invalid', 'true');
  await field(page, 'Année de la déclaration').fill('2024');
  await page.getByRole('button', { name: 'Ouvrir ou créer la déclaration de cette année' }).click();
  await expect(page.getByRole('heading', { name: /^Déclaration 2024/ })).toBeVisible();

  // The line form: every required field, then the amount's own rules, at the field and in the summary.
  const summary = page.getByRole('alert').filter({ hasText: 'Le formulaire contient' });
  await page.getByRole('button', { name: 'Ajouter la ligne' }).click();
  await expect(summary).toContainText('Le formulaire contient 3 erreurs');
  await expect(summary).toContainText('« Pays » est obligatoire.');
  await expect(summary).toContainText('« Catégorie »');
  await expect(summary).toContainText('« Montant » est obligatoire.');
  await expect(summary).toBeFocused();
  await field(page, 'Pays').selectOption({ label: 'Sénégal' });
  await field(page, 'Catégorie').selectOption({ label: '1 % eau et assainissement' });
  await field(page, 'Montant (€)').fill('douze mille');
  await page.getByRole('button', { name: 'Ajouter la ligne' }).click();
  await expect(summary).toContainText('« Montant » doit être un montant en euros.');
  await expect(field(page, 'Montant (€)')).toHaveAttribute('aria-invalid', 'true');
  await field(page, 'Montant (€)').fill('12,345');
  await page.getByRole('button', { name: 'Ajouter la ligne' }).click();
  await expect(summary).toContainText('« Montant » ne peut avoir plus de deux décimales.');
  await field(page, 'Montant (€)').fill('12 500,50');
  await page.getByRole('button', { name: 'Ajouter la ligne' }).click();
  await expect(page.getByTestId('total-apd')).toHaveText(/^12\s500,50\s€$/);
  await expect(summary).toHaveCount(0);
  await field(page, 'Pays').selectOption({ label: 'Mali' });
  await field(page, 'Catégorie').selectOption({ label: "Bourses d'étudiants" });
  await field(page, 'Montant (€)').fill('3000');
  await page.getByRole('button', { name: 'Ajouter la ligne' }).click();
  await expect(page.getByTestId('total-apd')).toHaveText(/^15\s500,50\s€$/);

  const ligneTable = page.getByRole('table', { name: 'Lignes de la déclaration 2024' });
  const senegal = ligneTable.getByRole('row').filter({ hasText: 'Sénégal' });
  const mali = ligneTable.getByRole('row').filter({ hasText: 'Mali' });

  // Edit a line: the same form, prefilled, its title naming the line and taking the focus.
  await senegal.getByRole('button', { name: 'Modifier la ligne Sénégal, 1 % eau et assainissement' }).click();
  await expect(
    page.getByRole('heading', { name: 'Modifier la ligne Sénégal, 1 % eau et assainissement' }),
  ).toBeFocused();
  await expect(page.getByRole('button', { name: 'Ajouter la ligne' })).toHaveCount(0);
  await expect(field(page, 'Pays')).toHaveValue('SN');
  await expect(field(page, 'Catégorie').locator('option:checked')).toHaveText('1 % eau et assainissement');
  await expect(field(page, 'Montant (€)')).toHaveValue('12500,5');
  // Its validation messages, from the same shared schema.
  await field(page, 'Montant (€)').fill('');
  await page.keyboard.press('Tab');
  await field(page, 'Pays').selectOption({ index: 0 });
  await page.getByRole('button', { name: 'Enregistrer la ligne' }).click();
  await expect(summary).toContainText('Le formulaire contient 2 erreurs');
  await expect(summary).toContainText('« Pays » est obligatoire.');
  await expect(summary).toContainText('« Montant » est obligatoire.');
  await field(page, 'Pays').selectOption({ label: 'Burkina Faso' });
  await field(page, 'Catégorie').selectOption({ label: 'Contributions multilatérales' });
  await field(page, 'Montant (€)').fill('-10');
  await page.getByRole('button', { name: 'Enregistrer la ligne' }).click();
  await expect(summary).toContainText('« Montant » doit être supérieur à 0 €.');
  await field(page, 'Montant (€)').fill('15 000');
  await shot(page, 'apd-modifier-ligne');
  await expectNoAxeViolations(page, 'APD, modification d’une ligne');
  await page.getByRole('button', { name: 'Enregistrer la ligne' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Ligne modifiée.' })).toBeVisible();
  const burkina = ligneTable.getByRole('row').filter({ hasText: 'Burkina Faso' });
  await expect(burkina).toContainText('Contributions multilatérales');
  await expect(burkina).toContainText(/15\s000,00\s€/);
  await expect(senegal).toHaveCount(0);
  await expect(page.getByTestId('total-apd')).toHaveText(/^18\s000,00\s€$/);
  await expect(page.getByRole('table', { name: 'Total par catégorie' })).not.toContainText('1 % eau et assainissement');
  await expect(page.getByRole('table', { name: 'Total par pays' })).toContainText('Burkina Faso');
  // Back to the add form, the focus on the edited line's button.
  await expect(page.getByRole('heading', { name: 'Ajouter une ligne' })).toBeVisible();
  await expect(burkina.getByRole('button', { name: /^Modifier/ })).toBeFocused();

  // The same by keyboard only: Enter on "Modifier", Tab to the amount, Enter to save.
  await mali.getByRole('button', { name: /^Modifier/ }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: "Modifier la ligne Mali, Bourses d'étudiants" })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(field(page, 'Pays')).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(field(page, 'Montant (€)')).toBeFocused();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('3 500,25');
  await page.keyboard.press('Enter');
  await expect(mali).toContainText(/3\s500,25\s€/);
  await expect(page.getByTestId('total-apd')).toHaveText(/^18\s500,25\s€$/);
  await expect(mali.getByRole('button', { name: /^Modifier/ })).toBeFocused();

  // Cancelling an edit changes nothing.
  await mali.getByRole('button', { name: /^Modifier/ }).click();
  await field(page, 'Montant (€)').fill('1');
  await page.getByRole('button', { name: 'Annuler la modification' }).click();
  await expect(page.getByRole('heading', { name: 'Ajouter une ligne' })).toBeVisible();
  await expect(mali).toContainText(/3\s500,25\s€/);
  await syncNow(page);

  // Delete a line (undo offered), then the declaration itself.
  await mali.getByRole('button', { name: /^Supprimer/ }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Ligne supprimée\./ })).toBeVisible();
  await expect(mali).toHaveCount(0);
  await expect(page.getByTestId('total-apd')).toHaveText(/^15\s000,00\s€$/);
  await syncNow(page);
  // It still has a line: a modal asks first, saying what goes with it (before, a native confirm()).
  await page.getByRole('button', { name: 'Supprimer la déclaration 2024' }).click();
  const question = page.getByRole('dialog', { name: 'Supprimer la déclaration d’APD « 2024 » et sa ligne ?' });
  await expect(question).toBeVisible();
  await question.getByRole('button', { name: 'Supprimer', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: /Déclaration d’APD supprimée\s: 2024\./ })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Déclarations par année' })).toContainText(
    'Aucune déclaration pour l’instant.',
  );
  await expect(page.getByRole('heading', { name: /^Déclaration 2024/ })).toHaveCount(0);
  await shot(page, 'apd-declaration-supprimee');
  await syncNow(page);
  // Gone on the server too: the same agent on another computer finds no declaration.
  const other = await browser.newContext();
  const p2 = await other.newPage();
  await login(p2, user);
  await p2.getByRole('link', { name: 'APD' }).first().click();
  await expect(p2.getByRole('table', { name: 'Déclarations par année' })).toContainText(
    'Aucune déclaration pour l’instant.',
  );
  await other.close();
});
