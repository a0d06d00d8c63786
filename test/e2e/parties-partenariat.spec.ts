// c. A coopération décentralisée itself: edited (prefilled form, the edit's validation messages, the list
// and the server showing the new values) and deleted (undo until the next sync, tombstone on the server).
import { createUser, expect, field, login, serverRecord, shot, syncNow, test, tick } from './support/fixtures';

test('c. partenariat : modifier (formulaire prérempli, messages de validation), supprimer avec annulation jusqu’à la synchronisation', async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  await login(page, await createUser());
  await page.getByRole('link', { name: 'Coopérations' }).first().click();
  await page.getByRole('link', { name: 'Ajouter une coopération décentralisée' }).click();
  await field(page, 'Pays').selectOption({ label: 'Sénégal' });
  await field(page, 'Nom du partenaire').fill('Tambacounda');
  await tick(page, 'Jumelage');
  await field(page, 'Date de signature de la convention').fill('2018-03-01');
  await field(page, 'Latitude').fill('13,77');
  await field(page, 'Longitude').fill('-13,67');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Tambacounda');
  const id = new URL(page.url()).hash.split('/').pop()!;
  await syncNow(page);

  await page.getByRole('link', { name: 'Coopérations' }).first().click();
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: /^Tambacounda/ }) });
  await expect(row.getByRole('cell')).toHaveText(['Tambacounda', 'Oui', '01/03/2018', 'Active', '0', /.*/]);

  // The form comes back prefilled with what was saved.
  await row.getByRole('link', { name: 'Tambacounda' }).click();
  await expect(field(page, 'Nom du partenaire')).toHaveValue('Tambacounda');
  await expect(field(page, 'Pays')).toHaveValue('SN');
  await expect(page.getByRole('checkbox', { name: /^Jumelage/ })).toBeChecked();
  await expect(field(page, 'Date de signature de la convention')).toHaveValue('2018-03-01');
  await expect(field(page, 'Statut')).toHaveValue('active');
  await expect(field(page, 'Latitude')).toHaveValue('13,77');
  await expect(field(page, 'Longitude')).toHaveValue('-13,67');

  // Editing is held to the same rules as creating: three errors at once, each at its field and in the summary.
  await field(page, 'Nom du partenaire').fill('');
  await field(page, 'Date de signature de la convention').fill('');
  await field(page, 'Latitude').fill('95');
  // Leave the field first: its error, shown on blur, moves the button between press and release of a click.
  await page.keyboard.press('Tab');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'Le formulaire contient' });
  await expect(summary).toContainText('Le formulaire contient 3 erreurs');
  await expect(summary).toContainText('« Nom du partenaire » est obligatoire.');
  await expect(summary).toContainText(
    '« Date de signature de la convention » est obligatoire pour une coopération décentralisée.',
  );
  await expect(summary).toContainText('« Latitude » doit être comprise entre -90 et 90.');
  await expect(summary).toBeFocused();
  for (const name of ['Nom du partenaire', 'Date de signature de la convention', 'Latitude']) {
    await expect(field(page, name)).toHaveAttribute('aria-invalid', 'true');
  }
  // A link of the summary leads to its field.
  await summary.getByRole('link', { name: '« Latitude » doit être comprise entre -90 et 90.' }).click();
  await expect(field(page, 'Latitude')).toBeFocused();
  await shot(page, 'partenariat-modification-erreurs');

  await field(page, 'Nom du partenaire').fill('Région de Tambacounda');
  await field(page, 'Type de partenaire').selectOption({ label: 'Région' });
  await tick(page, 'Jumelage', false);
  await field(page, 'Date de signature de la convention').fill('2020-11-20');
  await field(page, 'Statut').selectOption({ label: 'En sommeil' });
  await field(page, 'Latitude').fill('13,5');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('c. Coopérations décentralisées');
  const edited = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'Région de Tambacounda' }) });
  await expect(edited.getByRole('cell')).toHaveText([
    'Région de Tambacounda',
    'Non',
    '20/11/2020',
    'En sommeil',
    '0',
    /.*/,
  ]);
  await expect(page.getByRole('link', { name: 'Tambacounda', exact: true })).toHaveCount(0);
  await syncNow(page);
  const onServer = await serverRecord('partenariat', id);
  expect(onServer).toMatchObject({
    nomPartenaire: 'Région de Tambacounda',
    typePartenaire: 'region',
    jumelage: false,
    statut: 'en_sommeil',
    latitude: 13.5,
    longitude: -13.67,
    deleted: false,
  });
  await shot(page, 'partenariat-modifie');

  // Delete: confirmed, undone from the message, then deleted for good once synced. Offline for the undo:
  // online, the sync that follows an edit by 3 s may send the delete before the click on « Annuler ».
  await context.setOffline(true);
  await edited.getByRole('link', { name: 'Région de Tambacounda' }).click();
  await page.getByRole('button', { name: 'Supprimer le partenariat' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('c. Coopérations décentralisées');
  await expect(page.getByRole('link', { name: 'Région de Tambacounda' })).toHaveCount(0);
  await expect(page.getByText('Aucun partenariat enregistré pour l’instant.')).toBeVisible();
  await page.getByRole('button', { name: 'Annuler', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Suppression annulée.' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Région de Tambacounda' })).toBeVisible();
  await context.setOffline(false);

  await page.getByRole('link', { name: 'Région de Tambacounda' }).click();
  await page.getByRole('button', { name: 'Supprimer le partenariat' }).click();
  await expect(page.getByRole('link', { name: 'Région de Tambacounda' })).toHaveCount(0);
  await syncNow(page);
  expect((await serverRecord('partenariat', id))?.deleted).toBe(true);
  // Sent to the server: the undo is no longer possible, and the message says so instead of offering it.
  await expect(page.locator('.atlas-toast')).toContainText(
    /La suppression a été envoyée au serveur\s: elle ne peut plus être annulée\./,
  );
  await expect(page.getByRole('button', { name: 'Annuler', exact: true })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Région de Tambacounda' })).toHaveCount(0);
});
