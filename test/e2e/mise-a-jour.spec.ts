// The Electron-only screens, run in Chromium against a fake main process behind the real
// host/electron.ts: the update notice (states, install refused mid-edit) and the weak-storage warning.
import { appUrl, createUser, expect, expectNoAxeViolations, field, login, shot, test } from './support/fixtures';
import { emitUpdate, fakeMainLog, useFakeElectron } from './support/fakeElectron';

test('mise à jour : disponible, téléchargement, prête ; installation refusée pendant une saisie', async ({ page }) => {
  // zod runs jitless (main.tsx): under the strict CSP it must not even try `new Function`.
  const cspViolations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|unsafe-eval/i.test(m.text())) cspViolations.push(m.text());
  });
  await useFakeElectron(page);
  const user = await createUser();
  await login(page, user);
  const notice = page.getByTestId('mise-a-jour');
  await expect(notice).toHaveCount(0);
  // The app went through the Electron host: the version, the edit state and the secrets crossed "IPC".
  expect((await fakeMainLog(page)).channels).toEqual(
    // A fresh copy at login: the desktop's backup of pending changes was looked for.
    expect.arrayContaining(['updates:state', 'secrets:set', 'settings:getServerUrl', 'backup:read']),
  );

  await emitUpdate(page, { state: 'available', version: '1.4.0' });
  await expect(notice).toContainText('La version 1.4.0 de l’application est disponible');
  await emitUpdate(page, { state: 'downloading', version: '1.4.0', percent: 37.4 });
  await expect(notice.getByRole('progressbar', { name: 'Progression du téléchargement' })).toHaveAttribute(
    'value',
    '37',
  );
  await expect(notice).toContainText('37 %');
  await expect(notice.getByRole('button', { name: 'Redémarrer et installer maintenant' })).toHaveCount(0);
  await expectNoAxeViolations(page, 'avis de téléchargement');

  await emitUpdate(page, { state: 'ready', version: '1.4.0' });
  await expect(notice).toContainText(
    'Une nouvelle version (1.4.0) est prête. Elle s’installera à la fermeture de l’application.',
  );
  await expectNoAxeViolations(page, 'avis de mise à jour prête');
  await shot(page, 'mise-a-jour-prete');

  // A contact form being typed in: the host is told, and "install now" is refused in French.
  await page.getByRole('link', { name: 'Élus et cadres' }).first().click();
  await page.getByRole('link', { name: 'Ajouter un élu ou un cadre' }).click();
  await field(page, 'Prénom').fill('Anne');
  await expect.poll(async () => (await fakeMainLog(page)).editStates.at(-1)).toBe(true);
  await notice.getByRole('button', { name: 'Redémarrer et installer maintenant' }).click();
  await expect(notice.getByRole('alert')).toContainText(
    'Une saisie est en cours : enregistrez ou annulez le formulaire ouvert',
  );
  expect((await fakeMainLog(page)).installCalls).toBe(0);
  await expect(field(page, 'Prénom')).toHaveValue('Anne');
  await shot(page, 'mise-a-jour-refusee-saisie');

  // Saved: the form is clean again, the message goes, and the installation may start.
  await field(page, 'Catégorie').selectOption('elu');
  await field(page, 'Nom').fill('Le Goff');
  await field(page, 'Titre / fonction').fill('Adjointe aux relations internationales');
  await field(page, 'Courriel').fill('anne.legoff@mairie-exemple.fr');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'Anne Le Goff' })).toBeVisible();
  await expect.poll(async () => (await fakeMainLog(page)).editStates.at(-1)).toBe(false);
  await expect(notice.getByRole('alert')).toHaveCount(0);
  await notice.getByRole('button', { name: 'Redémarrer et installer maintenant' }).click();
  await expect.poll(async () => (await fakeMainLog(page)).installCalls).toBe(1);
  expect(cspViolations).toEqual([]);
});

test('mise à jour : refus EDITS_UNSAVED du poste expliqué, erreur sans alarme, avis masquable', async ({ page }) => {
  await useFakeElectron(page, { refuseInstall: true });
  await login(page, await createUser());
  const notice = page.getByTestId('mise-a-jour');
  await emitUpdate(page, { state: 'ready', version: '2.0.1' });
  await notice.getByRole('button', { name: 'Redémarrer et installer maintenant' }).click();
  await expect(notice.getByRole('alert')).toContainText('L’installation attend la fin de votre saisie');

  await emitUpdate(page, { state: 'error', message: 'net::ERR_INTERNET_DISCONNECTED' });
  await expect(notice).toContainText('Mise à jour reportée');
  await expect(notice).not.toContainText('ERR_');
  await expect(notice).not.toContainText('L’installation attend'); // the refusal belonged to the previous state
  await expect(notice.locator('.fr-alert--error')).toHaveCount(0);
  await shot(page, 'mise-a-jour-erreur');
  await notice.getByRole('button', { name: 'Masquer ce message' }).click();
  await expect(notice).toHaveCount(0);
  // A new state shows again.
  await emitUpdate(page, { state: 'available', version: '2.0.2' });
  await expect(page.getByTestId('mise-a-jour')).toContainText('2.0.2');
});

test('adresse du serveur : avertissement quand le jeton est conservé sans protection du système', async ({
  page,
  browser,
}) => {
  await useFakeElectron(page, { secretsWeak: true, secretsBackend: 'basic_text' });
  await page.goto(`${appUrl()}/#/`);
  await page.getByRole('tab', { name: 'Adresse du serveur' }).click();
  const warning = page.getByTestId('secrets-faibles');
  await expect(warning).toContainText('Session conservée sans la protection du système');
  await expect(warning).toContainText('Linux sans trousseau de clés');
  await expectNoAxeViolations(page, 'avertissement stockage faible');
  await shot(page, 'connexion-stockage-faible');

  // Protected by the system: no warning.
  const ctx = await browser.newContext();
  const safe = await ctx.newPage();
  await useFakeElectron(safe, { secretsWeak: false, secretsBackend: 'gnome_libsecret' });
  await safe.goto(`${appUrl()}/#/`);
  await safe.getByRole('tab', { name: 'Adresse du serveur' }).click();
  await expect(safe.getByLabel('Adresse du serveur CNCD')).toHaveValue(appUrl());
  await expect(safe.getByTestId('secrets-faibles')).toHaveCount(0);
  await ctx.close();
});

test('adresse du serveur : changer de serveur demande confirmation et ne touche pas à la source des mises à jour', async ({
  page,
}) => {
  await useFakeElectron(page);
  await page.goto(`${appUrl()}/#/`);
  await page.getByRole('tab', { name: 'Adresse du serveur' }).click();
  const address = page.getByLabel('Adresse du serveur CNCD');
  await expect(address).toHaveValue(appUrl());

  // The same address: nothing to confirm, nothing saved.
  await page.getByRole('button', { name: 'Enregistrer l’adresse' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Adresse/ })).toHaveText('Adresse inchangée.');

  await address.fill('https://recette.cncd.example.fr');
  await page.getByRole('button', { name: 'Enregistrer l’adresse' }).click();
  const dialog = page.getByRole('dialog', { name: 'Changer de serveur de synchronisation ?' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('synchronisées avec https://recette.cncd.example.fr au lieu de');
  await expect(dialog).toContainText('Les mises à jour de l’application ne changent pas de source');
  await expectNoAxeViolations(page, 'confirmation du changement de serveur');
  await shot(page, 'connexion-confirmer-serveur');

  // Cancelled: nothing reaches the host.
  await dialog.getByRole('button', { name: 'Annuler' }).click();
  await expect(dialog).toBeHidden();
  expect((await fakeMainLog(page)).serverUrls).toEqual([]);

  // Confirmed: saved once.
  await page.getByRole('button', { name: 'Enregistrer l’adresse' }).click();
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Changer de serveur' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: /^Adresse/ })).toHaveText('Adresse enregistrée.');
  expect((await fakeMainLog(page)).serverUrls).toEqual(['https://recette.cncd.example.fr']);
});
