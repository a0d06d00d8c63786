import { createUser, expect, field, login, shot, syncNow, test, waitSynced } from './support/fixtures';

test('tableau de bord : les cinq parties attestées (la dernière hors ligne) → « Vos pages de l’Atlas sont à jour » ; coordonnées', async ({
  page,
  context,
}) => {
  await login(page, await createUser());
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Campagne de mise à jour \d{4}/);
  const parts = ['contacts', 'reseaux', 'cooperations', 'actions_exterieures'];
  for (const p of parts) {
    const card = page.getByTestId(`partie-${p}`);
    await expect(card.getByTestId('etat-partie')).toHaveText('À vérifier');
    await card.getByRole('button', { name: /J’ai vérifié cette partie/ }).click();
    await expect(card.getByTestId('etat-partie')).toContainText('Vérifiée le');
  }
  await expect(page.getByTestId('atlas-a-jour')).toHaveCount(0);
  await context.setOffline(true);
  const apd = page.getByTestId('partie-apd');
  await apd.getByRole('button', { name: /J’ai vérifié cette partie/ }).click();
  await expect(apd.getByTestId('etat-partie')).toContainText(/Vérifiée le .* par Utilisateur test/);
  await expect(page.getByTestId('atlas-a-jour')).toContainText('Vos pages de l’Atlas sont à jour');
  await expect(page.getByTestId('atlas-a-jour')).toContainText('cofinancements');
  await context.setOffline(false);
  await syncNow(page);
  await shot(page, 'tableau-de-bord-a-jour');

  // Coordonnées: a wrong postcode is refused at the field, a right one saved.
  await page.getByRole('button', { name: 'Modifier les coordonnées' }).click();
  await field(page, 'Code postal').fill('2200');
  await page.getByRole('button', { name: 'Enregistrer les coordonnées' }).click();
  await expect(page.getByText('« Code postal » doit comporter 5 chiffres.').first()).toBeVisible();
  await field(page, 'Code postal').fill('22800');
  await field(page, 'Adresse').fill('1 place de la Mairie');
  await page.getByRole('button', { name: 'Enregistrer les coordonnées' }).click();
  await expect(page.getByText('1 place de la Mairie')).toBeVisible();
  await syncNow(page);
  await waitSynced(page);
});

test('brouillon : une saisie interrompue par un rechargement est proposée à la réouverture', async ({ page }) => {
  await login(page, await createUser());
  await page.goto(`${page.url().split('#')[0]}#/contacts/nouveau`);
  await field(page, 'Prénom').fill('Gwenaëlle');
  await field(page, 'Nom').fill('Riou');
  await page.waitForTimeout(700); // the draft is saved 400 ms after the last keystroke
  await page.reload();
  await expect(page.getByText('Un brouillon non enregistré existe')).toBeVisible();
  await expect(field(page, 'Prénom')).toHaveValue('');
  await page.getByRole('button', { name: 'Reprendre le brouillon' }).click();
  await expect(field(page, 'Prénom')).toHaveValue('Gwenaëlle');
  await expect(field(page, 'Nom')).toHaveValue('Riou');
  // Leaving a dirty form asks first; dismissing keeps the user on the form.
  page.removeAllListeners('dialog');
  page.once('dialog', (d) => {
    expect(d.message()).toContain('modifications non enregistrées');
    void d.dismiss();
  });
  await page.getByRole('link', { name: 'Réseaux' }).first().click();
  await expect(field(page, 'Prénom')).toHaveValue('Gwenaëlle');
  await shot(page, 'brouillon');
});

test('tableau de bord : les conseils de qualité des formulaires, par partie, avec un lien, sans bloquer l’attestation', async ({
  page,
}) => {
  await login(page, await createUser());
  await page.getByRole('link', { name: 'Coopérations' }).first().click();
  await page.getByRole('link', { name: 'Ajouter une coopération décentralisée' }).click();
  await field(page, 'Pays').selectOption({ label: 'Sénégal' });
  await field(page, 'Nom du partenaire').fill('DAKAR');
  await field(page, 'Date de signature de la convention').fill('2019-05-14');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('DAKAR');

  await page.getByRole('link', { name: 'Tableau de bord' }).first().click();
  const card = page.getByTestId('partie-cooperations');
  const conseils = card.getByTestId('conseils-partie');
  await expect(conseils).toContainText('1 conseil de qualité');
  await conseils.getByText('1 conseil').click();
  await expect(conseils.getByRole('listitem')).toContainText('DAKAR : Le nom du partenaire est écrit en majuscules');
  // Advice is not a problem: the part can be attested as it is.
  await expect(card.getByTestId('etat-partie')).toHaveText('À vérifier');
  await card.getByRole('button', { name: /J’ai vérifié cette partie/ }).click();
  await expect(card.getByTestId('etat-partie')).toContainText('Vérifiée le');
  await expect(page.getByTestId('partie-contacts').getByTestId('conseils-partie')).toHaveCount(0);
  await shot(page, 'tableau-de-bord-conseils');
  // The link opens the record's form, where the same advice offers its fix.
  await conseils.getByRole('link', { name: 'DAKAR' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('DAKAR');
  await expect(page.getByText('Le nom du partenaire est écrit en majuscules')).toBeVisible();
});
