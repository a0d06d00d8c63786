// The synchronisation screen in a real browser: pending changes listed with a link to their record,
// every unsent delete undoable (not only the last toast's), and a conflict shown in French words with
// who and when on both sides, settled by a third value chosen on the spot.
import type { Page } from '@playwright/test';
import {
  addAction,
  createUser,
  expect,
  expectNoAxeViolations,
  field,
  login,
  serverRecord,
  shot,
  syncNow,
  test,
  twoColleagues,
} from './support/fixtures';

async function addContact(page: Page, prenom: string, nom: string, fonction: string) {
  await page.getByRole('link', { name: 'Élus et cadres' }).first().click();
  await page.getByRole('link', { name: 'Ajouter un élu ou un cadre' }).click();
  await field(page, 'Catégorie').selectOption('elu');
  await field(page, 'Prénom').fill(prenom);
  await field(page, 'Nom').fill(nom);
  await field(page, 'Titre / fonction').fill(fonction);
  await field(page, 'Courriel').fill(`${prenom}.${nom}@mairie-exemple.fr`.toLowerCase().replace(/\s/g, ''));
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('row').filter({ hasText: `${prenom} ${nom}` })).toBeVisible();
}

test('en attente : chaque modification listée avec son enregistrement, ses champs, son âge et un lien vers son formulaire', async ({
  page,
  context,
}) => {
  await login(page, await createUser());
  await addContact(page, 'Anne', 'Le Goff', 'Adjointe');
  await syncNow(page);
  // Live regions are there before anything happens, so their later changes are announced.
  await expect(page.getByTestId('etat-connexion')).toHaveAttribute('role', 'status');
  await expect(page.getByTestId('derniere-erreur')).toHaveAttribute('role', 'status');

  await context.setOffline(true);
  await page
    .getByRole('row')
    .filter({ hasText: 'Anne Le Goff' })
    .getByRole('link', { name: /Modifier/ })
    .click();
  await field(page, 'Titre / fonction').fill('Adjointe aux relations internationales');
  await field(page, 'Téléphone').fill('02 96 00 00 00');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'Adjointe aux relations internationales' })).toBeVisible();
  await expect(page.getByTestId('etat-connexion')).toContainText('Hors ligne');

  await page.getByRole('link', { name: 'Synchronisation' }).first().click();
  const rows = page.getByTestId('attente');
  await expect(rows).toHaveCount(1);
  await expect(rows.first().getByRole('rowheader')).toHaveText('Élu ou cadre « Anne Le Goff »');
  await expect(rows.first()).toContainText('Modification');
  await expect(rows.first()).toContainText('Titre / fonction, Téléphone');
  await expect(rows.first()).toContainText(/à l’instant|il y a \d+ minute/);
  await expectNoAxeViolations(page, 'synchronisation, une modification en attente');
  await shot(page, 'synchronisation-en-attente');

  await rows.first().getByRole('link', { name: 'Ouvrir Élu ou cadre « Anne Le Goff »' }).click();
  await expect(field(page, 'Titre / fonction')).toHaveValue('Adjointe aux relations internationales');

  await context.setOffline(false);
  await syncNow(page);
  await page.getByRole('link', { name: 'Synchronisation' }).first().click();
  await expect(page.getByText('Aucune modification en attente')).toBeVisible();
  await expect(page.getByTestId('attente')).toHaveCount(0);
});

test('suppressions : deux suppressions hors ligne, chacune annulée depuis l’écran de synchronisation', async ({
  page,
  context,
}) => {
  await login(page, await createUser());
  await addContact(page, 'Anne', 'Le Goff', 'Adjointe');
  await addContact(page, 'Bruno', 'Kermarrec', 'Directeur général des services');
  await syncNow(page);

  // Offline, so no cycle sends the deletes while the test looks at them.
  await context.setOffline(true);
  for (const name of ['Anne Le Goff', 'Bruno Kermarrec']) {
    await page
      .getByRole('row')
      .filter({ hasText: name })
      .getByRole('button', { name: /Supprimer/ })
      .click();
    await expect(page.getByRole('row').filter({ hasText: name })).toHaveCount(0);
  }
  // The toast only offers the last delete; its link leads to all of them. Through the menu here, so the
  // toast (about Bruno) stays on screen while his delete is undone elsewhere.
  const toast = page.locator('.atlas-toast');
  await expect(toast.getByRole('link', { name: 'Toutes les suppressions annulables' })).toHaveAttribute(
    'href',
    /synchronisation$/,
  );
  await page.getByRole('navigation').getByRole('link', { name: 'Synchronisation', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Synchronisation');
  await expect(toast).toContainText(/Élu ou cadre supprimé\s: Bruno Kermarrec\./);
  const items = page.getByTestId('suppression');
  await expect(items).toHaveCount(2);
  await shot(page, 'synchronisation-suppressions');

  await page.getByRole('button', { name: 'Annuler la suppression : Élu ou cadre « Anne Le Goff »' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Suppression annulée : Élu ou cadre « Anne Le Goff » est de retour.' }),
  ).toBeVisible();
  await expect(items).toHaveCount(1);
  await page.getByRole('button', { name: 'Annuler la suppression : Élu ou cadre « Bruno Kermarrec »' }).click();
  await expect(items).toHaveCount(0);
  // Undone here: the toast about that delete goes (it must not say the delete was sent).
  await expect(toast).toHaveCount(0, { timeout: 3_000 });
  await expect(page.getByText('Aucune suppression à annuler.')).toBeVisible();

  await page.getByRole('link', { name: 'Élus et cadres' }).first().click();
  const anne = page.getByRole('row').filter({ hasText: 'Anne Le Goff' });
  await expect(anne).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: 'Bruno Kermarrec' })).toBeVisible();
  const id = (await anne.getByRole('link', { name: /Modifier/ }).getAttribute('href'))!.split('/').pop()!;
  await context.setOffline(false);
  await syncNow(page);
  expect((await serverRecord('contact', id))?.deleted).toBe(false);
});

test('conflit : valeurs en français avec qui et quand des deux côtés, troisième valeur choisie dans une liste', async ({
  browser,
}) => {
  const { ctxA, ctxB, pa, pb } = await twoColleagues(browser);

  await pa.getByRole('link', { name: 'Actions extérieures' }).first().click();
  const id = await addAction(pa, 'Sénégal', 'Ville de Thiès');
  await syncNow(pa);
  await syncNow(pb);

  // B edits offline so that A's edit surely reaches the server first.
  await ctxB.setOffline(true);
  for (const [p, statut] of [
    [pb, 'Terminée'],
    [pa, 'En sommeil'],
  ] as const) {
    await p.getByRole('link', { name: 'Actions extérieures' }).first().click();
    await p.getByRole('link', { name: 'Ville de Thiès', exact: true }).click();
    await field(p, 'Statut').selectOption({ label: statut });
    await p.getByRole('button', { name: 'Enregistrer' }).click();
    await expect(p.getByRole('heading', { level: 1 })).toHaveText('d. Autres actions extérieures');
  }
  await syncNow(pa);
  await ctxB.setOffline(false);
  await pb.getByRole('button', { name: 'Synchroniser maintenant' }).first().click();
  await expect(pb.getByRole('link', { name: /1 conflit à résoudre/ })).toBeVisible({ timeout: 30_000 });
  await pb.getByRole('link', { name: /1 conflit à résoudre/ }).click();

  const card = pb.getByTestId('conflit');
  await expect(card.getByRole('heading')).toHaveText('Partenariat « Ville de Thiès » — champ « Statut »');
  await expect(card.getByTestId('valeur-serveur')).toHaveText('En sommeil');
  await expect(card.getByTestId('valeur-proposee')).toHaveText('Terminée');
  const when = /le \d{2}\/\d{2}\/\d{4} à \d{2}:\d{2}$/;
  await expect(card.getByTestId('auteur-serveur')).toHaveText(
    new RegExp(`^Valeur enregistrée sur le serveur par .+ ${when.source}`),
  );
  await expect(card.getByTestId('auteur-proposee')).toHaveText(new RegExp(`^Valeur proposée par .+ ${when.source}`));
  await expectNoAxeViolations(pb, 'synchronisation, un conflit');
  await shot(pb, 'synchronisation-conflit-libelles');

  await card.getByLabel('Ou choisir une autre valeur pour « Statut »').selectOption({ label: 'Active' });
  await card.getByRole('button', { name: 'Utiliser cette valeur' }).click();
  await expect(pb.getByTestId('conflit')).toHaveCount(0, { timeout: 30_000 });
  await syncNow(pb);
  expect((await serverRecord('partenariat', id))?.statut).toBe('active');
  await ctxA.close();
  await ctxB.close();
});
