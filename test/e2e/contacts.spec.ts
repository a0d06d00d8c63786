import { createUser, expect, field, login, shot, syncNow, test, serverRecord } from './support/fixtures';

test('a. élus et cadres : ajouter, messages de validation, modifier, supprimer puis annuler', async ({
  page,
  context,
}) => {
  const user = await createUser();
  await login(page, user);
  await page.getByRole('link', { name: 'Élus et cadres' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('a. Élus et cadres territoriaux');
  await page.getByRole('link', { name: 'Ajouter un élu ou un cadre' }).click();

  // Validation: empty form, then a bad e-mail.
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'Le formulaire contient' });
  await expect(summary).toBeVisible();
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('« Prénom » est obligatoire.');
  await field(page, 'Catégorie').selectOption('elu');
  await field(page, 'Prénom').fill('Anne');
  await field(page, 'Nom').fill('Le Goff');
  await field(page, 'Titre / fonction').fill('Adjointe aux relations internationales');
  await field(page, 'Courriel').fill('anne.legoff@mairie');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByText("« Courriel » n'est pas une adresse électronique valide").first()).toBeVisible();
  await shot(page, 'contacts-validation');
  await field(page, 'Courriel').fill('anne.legoff@mairie-exemple.fr');
  await page.getByRole('button', { name: 'Enregistrer' }).click();

  const row = page.getByRole('row').filter({ hasText: 'Anne Le Goff' });
  await expect(row).toBeVisible();
  await syncNow(page);
  await expect(row.getByTestId('statut-enregistrement')).toHaveText('Synchronisé');

  // Edit.
  await row.getByRole('link', { name: /Modifier/ }).click();
  await field(page, 'Téléphone').fill('02 96 00 00 00');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('row').filter({ hasText: '02 96 00 00 00' })).toBeVisible();
  await shot(page, 'contacts-liste');

  // Search from the header finds the contact.
  await page.getByRole('searchbox', { name: 'Rechercher' }).fill('legoff');
  await page.getByRole('searchbox', { name: 'Rechercher' }).press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Recherche : « legoff »');
  await expect(page.getByRole('link', { name: 'Anne Le Goff' })).toBeVisible();
  await page.getByRole('link', { name: 'Élus et cadres' }).first().click();

  // Delete, undo, delete again and sync: the server has the tombstone.
  const id = await row
    .getByRole('link', { name: /Modifier/ })
    .getAttribute('href')
    .then((h) => h!.split('/').pop()!);
  // Offline for the undo: online, the sync that follows an edit by 3 s may send the delete first.
  await context.setOffline(true);
  await row.getByRole('button', { name: /Supprimer/ }).click();
  await expect(row).toHaveCount(0);
  await page.getByRole('button', { name: 'Annuler' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'Anne Le Goff' })).toBeVisible();
  await page
    .getByRole('row')
    .filter({ hasText: 'Anne Le Goff' })
    .getByRole('button', { name: /Supprimer/ })
    .click();
  await expect(row).toHaveCount(0);
  const toast = page.locator('.atlas-toast');
  await expect(toast.getByRole('button', { name: 'Annuler' })).toBeVisible();
  await context.setOffline(false);
  await syncNow(page);
  // Sent: the toast no longer offers an undo that could only fail.
  await expect(toast).toContainText(/La suppression a été envoyée au serveur\s: elle ne peut plus être annulée\./);
  await expect(toast.getByRole('button', { name: 'Annuler' })).toHaveCount(0);
  await shot(page, 'contacts-suppression-envoyee');
  const onServer = await serverRecord('contact', id);
  expect(onServer?.deleted).toBe(true);
});
