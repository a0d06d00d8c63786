import { appUrl, createUser, expect, expectNoAxeViolations, shot, test, waitSynced } from './support/fixtures';

test('SGAR : choisit une collectivité de sa région et la consulte en lecture seule', async ({ page }) => {
  const user = await createUser({ role: 'sgar' });
  await page.goto(`${appUrl()}/#/`);
  await page.getByLabel(/^Adresse électronique/).fill(user.email);
  await page.getByLabel(/^Mot de passe/).fill(user.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  // Its home is its région's dashboard; the chooser is one click away.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tableau de bord régional — Bretagne');
  await waitSynced(page);
  await page.getByRole('button', { name: 'Changer de collectivité' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Choisir une collectivité');
  // Other specs add communes to the shared test server: the région's list may show Saint-Brieuc past its
  // first hundred, so it is searched for (choix-collectivite.spec.ts checks the whole list).
  await page.getByLabel(/^Rechercher une collectivité/).fill('brieuc');
  await expect(page.getByRole('button', { name: /^Saint-Brieuc — / })).toBeVisible();
  await expectNoAxeViolations(page, 'choix de collectivité');
  await shot(page, 'sgar-choix-collectivite');
  await page.getByRole('button', { name: /^Saint-Brieuc — / }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Campagne de mise à jour/);
  await expect(page.getByTestId('partie-contacts')).toBeVisible();
  await expect(page.getByRole('button', { name: /J’ai vérifié cette partie/ })).toHaveCount(0);
  await page.getByRole('link', { name: 'Élus et cadres' }).first().click();
  await expect(page.getByRole('link', { name: 'Ajouter un élu ou un cadre' })).toHaveCount(0);
  await expect(page.getByRole('row').nth(1)).toBeVisible();
});

test('mot de passe oublié puis lien de réinitialisation : messages à la saisie et jeton refusé par le serveur', async ({
  page,
}) => {
  await page.goto(`${appUrl()}/#/`);
  await page.getByRole('tab', { name: 'Mot de passe oublié' }).click();
  await page.getByLabel(/^Adresse électronique/).fill('personne@mairie-exemple.fr');
  await page.getByRole('button', { name: 'Recevoir le lien' }).click();
  await expect(page.getByRole('status').filter({ hasText: /courriel/ })).toBeVisible();

  await page.goto(`${appUrl()}/#/mot-de-passe/reinitialiser?token=${'a'.repeat(32)}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Choisir un nouveau mot de passe');
  await page.getByLabel(/^Nouveau mot de passe/).fill('court');
  await page.getByLabel(/^Confirmez le mot de passe/).fill('autre');
  await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Le formulaire contient' })).toContainText('identiques');
  await page.getByLabel(/^Nouveau mot de passe/).fill('un-mot-de-passe-solide-2026');
  await page.getByLabel(/^Confirmez le mot de passe/).fill('un-mot-de-passe-solide-2026');
  await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
  await expect(page.getByRole('alert').filter({ hasText: /lien|jeton|expir|invalide/i })).toBeVisible();
  await expectNoAxeViolations(page, 'réinitialisation du mot de passe');
  await shot(page, 'reinitialisation');
});

test('demande de compte : collectivité cherchée dans le référentiel officiel, demande envoyée', async ({ page }) => {
  await page.goto(`${appUrl()}/#/`);
  await page.getByRole('tab', { name: 'Demander un compte' }).click();
  await page.getByRole('button', { name: 'Envoyer la demande' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Le formulaire contient' })).toBeVisible();
  await page.getByLabel(/^Votre collectivité/).fill('Plérin');
  await page
    .getByRole('radio', { name: /^Plérin/ })
    .first()
    .check({ force: true });
  await page.getByLabel(/^Prénom et nom/).fill('Soizic Le Floch');
  await page.getByLabel(/^Fonction/).fill('Chargée de coopération');
  await page.getByLabel(/^Adresse électronique professionnelle/).fill(`soizic.${Date.now()}@mairie-exemple.fr`);
  await page.getByLabel(/^Mot de passe/).fill('un-mot-de-passe-solide-2026');
  await page.getByRole('button', { name: 'Envoyer la demande' }).click();
  await expect(page.getByRole('heading', { name: 'Demande envoyée' })).toBeVisible();
  await shot(page, 'demande-de-compte');
});
