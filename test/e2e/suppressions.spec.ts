// Issue 14: deletes (a question in a DSFR modal only for records with children, an undo held out of the
// sync long enough to be used online), the toasts' wording, drafts after a save, long text, the logout
// question in a modal with a proper plural.
import type { Page } from '@playwright/test';
import {
  addContact,
  createUser,
  expect,
  expectNoAxeViolations,
  field,
  login,
  serverRecord,
  shot,
  syncNow,
  test,
} from './support/fixtures';

async function openDeclaration(page: Page, annee: string) {
  await page.getByRole('link', { name: 'APD' }).first().click();
  await field(page, 'Année de la déclaration').fill(annee);
  await page.getByRole('button', { name: 'Ouvrir ou créer la déclaration de cette année' }).click();
  await expect(page.getByRole('heading', { name: new RegExp(`Déclaration ${annee}`) })).toBeVisible();
}

async function addLigne(page: Page, pays: string, categorie: string, montant: string) {
  await field(page, 'Pays').selectOption({ label: pays });
  await field(page, 'Catégorie').selectOption({ label: categorie });
  await field(page, 'Montant (€)').fill(montant);
  await page.getByRole('button', { name: 'Ajouter la ligne' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Ligne ajoutée.' })).toBeVisible();
}

/** The page is no wider than the window (no horizontal scroll). */
async function expectNoHorizontalScroll(page: Page, where: string) {
  const { scroll, viewport } = await page.evaluate(() => ({
    scroll: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
    viewport: window.innerWidth,
  }));
  expect(scroll, `largeur de la page (${where})`).toBeLessThanOrEqual(viewport);
}

test('brouillon : une ligne refusée puis une ligne valide ne laissent aucun brouillon, même après rechargement', async ({
  page,
}) => {
  await login(page, await createUser());
  await openDeclaration(page, '2023');
  await field(page, 'Pays').selectOption({ label: 'Mali' });
  await field(page, 'Catégorie').selectOption({ label: 'Contributions multilatérales' });
  await field(page, 'Montant (€)').fill('-5');
  // Long enough for the draft to be written (it is debounced).
  await page.waitForTimeout(800);
  await page.getByRole('button', { name: 'Ajouter la ligne' }).click();
  await expect(page.getByText('« Montant » doit être supérieur à 0 €.').first()).toBeVisible();
  await field(page, 'Montant (€)').fill('250');
  await page.waitForTimeout(800);
  await page.getByRole('button', { name: 'Ajouter la ligne' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Ligne ajoutée.' })).toBeVisible();
  await expect(page.getByTestId('total-apd')).toHaveText(/250,00\s€/);
  await page.waitForTimeout(1_000);
  await expect(page.getByText('Un brouillon non enregistré existe')).toHaveCount(0);
  await shot(page, 'suppressions-brouillon-apres-enregistrement');
  await page.reload();
  await expect(page.getByRole('heading', { name: /Déclaration 2023/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Ajouter une ligne' })).toBeVisible();
  await page.waitForTimeout(1_000);
  await expect(page.getByText('Un brouillon non enregistré existe')).toHaveCount(0);

  // The form still keeps drafts for the next line.
  await field(page, 'Montant (€)').fill('12');
  await page.waitForTimeout(1_000);
  await page.reload();
  await expect(page.getByText('Un brouillon non enregistré existe')).toBeVisible();
});

test('suppression d’un enregistrement avec des enfants : une modale DSFR dit ce qui part avec lui', async ({
  page,
}) => {
  await login(page, await createUser());
  await openDeclaration(page, '2025');
  await addLigne(page, 'Sénégal', '1 % eau et assainissement', '1000');
  await addLigne(page, 'Mali', 'Contributions multilatérales', '500');

  // Leaving a line being typed for another line's edit is asked in a modal too (was a native confirm()).
  await field(page, 'Montant (€)').fill('42');
  const mali = page.getByRole('row').filter({ hasText: 'Mali' }).first();
  await mali.getByRole('button', { name: /^Modifier/ }).click();
  const leave = page.getByRole('dialog', { name: 'Abandonner la saisie en cours ?' });
  await expect(leave).toContainText('Votre brouillon reste conservé.');
  await expectNoAxeViolations(page, 'question avant d’abandonner une saisie de ligne');
  await leave.getByRole('button', { name: 'Continuer la saisie' }).click();
  await expect(leave).toBeHidden();
  await expect(field(page, 'Montant (€)')).toHaveValue('42');
  await mali.getByRole('button', { name: /^Modifier/ }).click();
  await leave.getByRole('button', { name: 'Abandonner la saisie' }).click();
  await expect(page.getByRole('heading', { name: /^Modifier la ligne Mali/ })).toBeVisible();
  await page.getByRole('button', { name: 'Annuler la modification' }).click();
  await expect(page.getByRole('heading', { name: 'Ajouter une ligne' })).toBeVisible();

  const button = page.getByRole('button', { name: 'Supprimer la déclaration 2025' });
  await button.click();
  const dialog = page.getByRole('dialog', { name: 'Supprimer la déclaration d’APD « 2025 » et ses 2 lignes ?' });
  await expect(dialog).toBeVisible();
  // The focus is in the modal (showModal() traps it there).
  await expect
    .poll(() => dialog.evaluate((d) => d.contains(document.activeElement) && document.activeElement !== d))
    .toBe(true);
  await expectNoAxeViolations(page, 'question avant de supprimer une déclaration et ses lignes');
  await shot(page, 'suppressions-modale-declaration');
  // The focus stays inside the modal.
  for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
  expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  // Échap closes it and gives the focus back; nothing is deleted.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(button).toBeFocused();
  await expect(page.getByTestId('total-apd')).toHaveText(/1\s500,00\s€/);
  // "Annuler" too.
  await button.click();
  await dialog.getByRole('button', { name: 'Annuler' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('total-apd')).toHaveText(/1\s500,00\s€/);
  // Confirmed: the declaration and its lines go, and can still be brought back.
  await button.click();
  await dialog.getByRole('button', { name: 'Supprimer', exact: true }).click();
  const toast = page.locator('.atlas-toast');
  await expect(toast).toContainText(/Déclaration d’APD supprimée\s: 2025\./);
  await expect(page.getByRole('table', { name: 'Déclarations par année' })).toContainText(
    'Aucune déclaration pour l’instant.',
  );
  await toast.getByRole('button', { name: 'Annuler' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Suppression annulée.' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Déclarations par année' })).toContainText('Déclaration 2025');

  // A record without children is deleted at once, no question; the toast says the noun, then nothing to guess.
  await page.getByRole('link', { name: 'Déclaration 2025' }).click();
  await page
    .getByRole('row')
    .filter({ hasText: 'Mali' })
    .first()
    .getByRole('button', { name: /^Supprimer/ })
    .click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(toast).toContainText(/^Ligne supprimée\./);
});

test('en ligne, une suppression reste annulable : annulée après 5 s elle n’atteint pas le serveur ; sinon elle part seule', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await login(page, await createUser());
  const id = await addContact(page, 'Claire', 'Le Goff-Quéré');
  await syncNow(page);
  expect((await serverRecord('contact', id))?.deleted).toBe(false);

  const row = page.getByRole('row').filter({ hasText: 'Claire Le Goff-Quéré' });
  await row.getByRole('button', { name: /Supprimer/ }).click();
  const toast = page.locator('.atlas-toast');
  await expect(toast).toContainText(/Élu ou cadre supprimé\s: Claire Le Goff-Quéré\./);
  await expect(row).toHaveCount(0);
  await shot(page, 'suppressions-toast-contact');
  // Online, past the 3 s after which an edit is sent: the delete waits for its undo.
  await page.waitForTimeout(5_000);
  expect((await serverRecord('contact', id))?.deleted).toBe(false);
  await toast.getByRole('button', { name: 'Annuler' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Suppression annulée.' })).toBeVisible();
  await expect(row).toBeVisible();
  await page.waitForTimeout(3_000);
  expect((await serverRecord('contact', id))?.deleted).toBe(false);

  // Deleted and left alone: it reaches the server by itself once the undo's time is over.
  await row.getByRole('button', { name: /Supprimer/ }).click();
  await expect(row).toHaveCount(0);
  await expect
    .poll(async () => (await serverRecord('contact', id))?.deleted, { timeout: 30_000, intervals: [1_000] })
    .toBe(true);
  await expect(toast).toContainText(/La suppression a été envoyée au serveur\s: elle ne peut plus être annulée\./);
  await expect(toast.getByRole('button', { name: 'Annuler' })).toHaveCount(0);
  // Closing the message lets the undo go: the delete leaves with the next sync, without the 10 s wait.
  const other = await addContact(page, 'Yann', 'Riou');
  await syncNow(page);
  await page
    .getByRole('row')
    .filter({ hasText: 'Yann Riou' })
    .getByRole('button', { name: /Supprimer/ })
    .click();
  await expect(toast).toContainText(/Élu ou cadre supprimé\s: Yann Riou\./);
  const closed = Date.now();
  await toast.getByRole('button', { name: 'Fermer le message' }).click();
  await expect
    .poll(async () => (await serverRecord('contact', other))?.deleted, { timeout: 30_000, intervals: [500] })
    .toBe(true);
  expect(Date.now() - closed).toBeLessThan(9_000);
});

test('texte très long : la page ne déborde pas (liste, fiche, impression, conseil, message)', async ({ page }) => {
  test.setTimeout(120_000);
  await login(page, await createUser());
  await page.goto(page.url().replace(/#.*$/, '#/partenariats/nouveau?nature=action_exterieure'));
  await field(page, 'Pays').selectOption({ label: 'Sénégal' });
  // 5,000 capitals without a space: the "Conseil" quotes it shortened, and nothing widens the page.
  await field(page, 'Nom du partenaire').fill('M'.repeat(5_000));
  const conseil = page.locator('.fr-alert--warning').filter({ hasText: 'Conseil' });
  await expect(conseil).toBeVisible();
  expect((await conseil.innerText()).length).toBeLessThan(600);
  await expectNoHorizontalScroll(page, 'formulaire, conseil sur un nom de 5 000 caractères');
  await shot(page, 'suppressions-long-conseil');
  // The longest name the Atlas accepts (200), unbroken, saved.
  const nom = `Ndiaganiao${'o'.repeat(190)}`;
  await field(page, 'Nom du partenaire').fill(nom);
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Ndiaganiao');
  await expectNoHorizontalScroll(page, 'page du partenariat');

  await page.getByRole('link', { name: 'Ajouter une fiche-projet' }).click();
  const intitule = `Forages${'x'.repeat(293)}`;
  await field(page, 'Intitulé').fill(intitule);
  await field(page, 'Description / objectifs').fill(
    `Construction de forages et formation d’un comité de gestion : ${'y'.repeat(1_500)}`,
  );
  await page.locator('label', { hasText: /^Eau et assainissement$/ }).click();
  await field(page, 'Statut').selectOption({ label: 'En cours' });
  await field(page, 'Date de début').fill('2024-01-15');
  await page.getByRole('button', { name: 'Enregistrer la fiche-projet' }).click();
  const link = page.getByRole('link', { name: intitule });
  await expect(link).toBeVisible();
  await expectNoHorizontalScroll(page, 'liste des fiches-projets');
  await page.getByRole('link', { name: 'Actions extérieures' }).first().click();
  await expect(page.getByRole('link', { name: nom })).toBeVisible();
  await expectNoHorizontalScroll(page, 'liste des partenariats');
  await shot(page, 'suppressions-long-liste');
  await page.getByRole('link', { name: nom }).click();
  await page.getByRole('link', { name: intitule }).click();
  await expect(field(page, 'Intitulé')).toHaveValue(intitule);
  await expectNoHorizontalScroll(page, 'page de la fiche-projet');
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.atlas-fiche-print')).toBeVisible();
  await expectNoHorizontalScroll(page, 'vue d’impression');
  await shot(page, 'suppressions-long-impression');
  await page.emulateMedia({ media: 'screen' });

  // The toast of its delete.
  await page.getByRole('button', { name: 'Supprimer la fiche-projet' }).click();
  const toast = page.locator('.atlas-toast');
  await expect(toast).toContainText(/Fiche-projet supprimée\s: Forages/);
  const box = await toast.boundingBox();
  expect(box!.width).toBeLessThanOrEqual(page.viewportSize()!.width);
  await expectNoHorizontalScroll(page, 'message de suppression');
  await shot(page, 'suppressions-long-message');
});

test('déconnexion avec des modifications non envoyées : modale DSFR, singulier et pluriel', async ({
  page,
  context,
}) => {
  await login(page, await createUser());
  await context.setOffline(true);
  await addContact(page, 'Anne', 'Martin');
  const logout = page.getByRole('button', { name: 'Se déconnecter' });
  await logout.click();
  const dialog = page.getByRole('dialog', { name: 'Se déconnecter et abandonner les modifications non envoyées ?' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('1 modification n’a pas encore été envoyée au serveur.');
  await expectNoAxeViolations(page, 'question avant la déconnexion');
  await shot(page, 'suppressions-deconnexion-1');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(logout).toBeFocused();

  await addContact(page, 'Bruno', 'Kermarrec');
  await addContact(page, 'Chloé', 'Riou');
  await logout.click();
  await expect(dialog).toContainText('3 modifications n’ont pas encore été envoyées au serveur.');
  await dialog.getByRole('button', { name: 'Rester connecté' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('row').filter({ hasText: 'Chloé Riou' })).toBeVisible();
  await logout.click();
  await dialog.getByRole('button', { name: 'Se déconnecter quand même' }).click();
  await expect(page.getByRole('button', { name: 'Se connecter' })).toBeVisible();
});
