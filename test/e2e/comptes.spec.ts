// Account requests end to end: a person asks for an account on the Connexion screen, confirms the
// address through the mailed link, an approved agent of the same collectivité approves the request on
// the "Demandes de compte" screen, and the new account logs in and reads the collectivité's data.
import type { Page } from '@playwright/test';
import {
  appUrl,
  createUser,
  expect,
  expectNoAxeViolations,
  field,
  login,
  shot,
  syncNow,
  test,
  waitForMail,
  waitSynced,
} from './support/fixtures';

async function mailMatching(to: string, re: RegExp): Promise<RegExpExecArray> {
  return re.exec(await waitForMail(to, re))!;
}

async function collectiviteNom(code: string): Promise<string> {
  const insee = code.split(':')[1]!;
  const r = await fetch(`${appUrl()}/api/v1/reference/collectivites?q=${insee}&limit=20`);
  const hit = ((await r.json()) as { results: { code: string; nom: string }[] }).results.find((h) => h.code === code);
  if (!hit) throw new Error(`collectivité ${code} introuvable dans le répertoire`);
  return hit.nom;
}

async function openComptes(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Demandes de compte' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demandes de compte');
}

test('demande de compte → lien de confirmation → validation par un agent de la collectivité → connexion', async ({
  browser,
}) => {
  test.setTimeout(180_000); // two people in two browsers, a dozen screens: long on a shared machine
  const colleague = await createUser({ collectiviteCode: 'fresh' });
  const code = colleague.collectiviteCode!;
  const nomCollectivite = await collectiviteNom(code);

  // The approved colleague records a contact: the data the new account must be able to read.
  const agentCtx = await browser.newContext();
  const agent = await agentCtx.newPage();
  await login(agent, colleague);
  await agent.getByRole('link', { name: 'Élus et cadres' }).first().click();
  await agent.getByRole('link', { name: 'Ajouter un élu ou un cadre' }).click();
  await field(agent, 'Catégorie').selectOption('elu');
  await field(agent, 'Prénom').fill('Gwenaëlle');
  await field(agent, 'Nom').fill('Le Bihan');
  await field(agent, 'Titre / fonction').fill('Maire');
  await field(agent, 'Courriel').fill('maire@mairie-exemple.fr');
  await agent.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(agent.getByRole('row').filter({ hasText: 'Gwenaëlle Le Bihan' })).toBeVisible();
  await syncNow(agent);

  // The request, on the Connexion screen of another browser.
  const email = `demandeur.${Date.now().toString(36)}@mairie-exemple.fr`;
  const password = 'mot-de-passe-du-demandeur';
  const newCtx = await browser.newContext();
  const page = await newCtx.newPage();
  await page.goto(`${appUrl()}/#/`);
  await page.getByRole('tab', { name: 'Demander un compte' }).click();
  await field(page, 'Votre collectivité').fill(code.split(':')[1]!);
  const choice = page.getByRole('radio', { name: new RegExp(`^${nomCollectivite}`) });
  await page.locator(`label[for="${await choice.getAttribute('id')}"]`).click();
  await expect(choice).toBeChecked();
  await field(page, 'Prénom et nom').fill('Yannick Demandeur');
  await field(page, 'Fonction').fill('Chargé de coopération');
  await field(page, 'Adresse électronique professionnelle').fill(email);
  await field(page, 'Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Envoyer la demande' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Demande envoyée' })).toBeVisible();

  // The mailed link confirms the address (followed exactly as written in the .eml).
  const [link] = await mailMatching(email, /https?:\/\/\S+\/api\/v1\/accounts\/verify\?token=[A-Za-z0-9_-]+/);
  expect(link.startsWith(appUrl())).toBe(true);
  await page.goto(link);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Adresse confirmée');

  // Confirmed but not yet approved: the login says why.
  await page.goto(`${appUrl()}/#/`);
  await page.getByLabel('Adresse électronique').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('alert')).toContainText('attend sa validation');

  // The colleague approves it on the new screen, after a confirmation.
  await openComptes(agent);
  const row = agent.getByRole('row').filter({ hasText: email });
  await expect(row).toContainText('Yannick Demandeur');
  await expect(row).toContainText('Chargé de coopération');
  await expect(row).toContainText(nomCollectivite);
  await expect(row.getByRole('cell').nth(3)).toHaveText(/^\d{2}\/\d{2}\/\d{4} à \d{2}:\d{2}$/);
  await expectNoAxeViolations(agent, 'demandes de compte');
  await shot(agent, 'comptes-liste');
  await row.getByRole('button', { name: 'Valider la demande de Yannick Demandeur' }).click();
  const confirm = agent.getByTestId('confirmer-compte');
  await expect(confirm.getByRole('heading')).toBeFocused();
  await expect(confirm).toContainText(`Valider le compte de Yannick Demandeur ?`);
  await expect(confirm).toContainText(nomCollectivite);
  await expectNoAxeViolations(agent, 'confirmation de validation');
  await shot(agent, 'comptes-confirmation');
  // Cancel gives focus back; nothing is approved.
  await confirm.getByRole('button', { name: 'Annuler' }).click();
  await expect(confirm).toBeHidden();
  await expect(row.getByRole('button', { name: /^Valider/ })).toBeFocused();
  await row.getByRole('button', { name: /^Valider/ }).click();
  await confirm.getByRole('button', { name: 'Confirmer la validation' }).click();
  // One sentence, the account named once (it used to say « … validé. Le compte est validé ; … »).
  await expect(agent.getByTestId('demande-traitee')).toHaveText(
    `Compte de Yannick Demandeur (${email}) validé : son titulaire a été prévenu par courriel.`,
  );
  await expect(agent.getByTestId('aucune-demande')).toHaveText('Aucune demande de compte en attente.');
  await shot(agent, 'comptes-valide');
  await mailMatching(email, /Votre compte est validé/);

  // The new account logs in and reads its collectivité's data, synced from the server.
  await login(page, { id: '', email, password, collectiviteId: null, collectiviteCode: code });
  await expect(page.getByRole('banner')).toContainText(nomCollectivite);
  await page.getByRole('link', { name: 'Élus et cadres' }).first().click();
  await expect(page.getByRole('row').filter({ hasText: 'Gwenaëlle Le Bihan' })).toBeVisible();
  await shot(page, 'comptes-nouveau-compte');
  await agentCtx.close();
  await newCtx.close();
});

test('demandes de compte : page vide, message clair hors ligne, erreur du serveur puis nouvel essai', async ({
  page,
  context,
}) => {
  const user = await createUser({ collectiviteCode: 'fresh' });
  await login(page, user);
  await openComptes(page);
  await expect(page.getByTestId('aucune-demande')).toHaveText('Aucune demande de compte en attente.');
  await expect(
    page.getByText('Voici les demandes de compte des personnes de votre collectivité.', { exact: false }),
  ).toBeVisible();

  await context.setOffline(true);
  const offline = page.getByTestId('comptes-hors-ligne');
  await expect(offline).toContainText('Connexion au serveur nécessaire');
  await expect(offline).toContainText('en ligne seulement');
  await expect(page.getByTestId('aucune-demande')).toBeHidden();
  await expectNoAxeViolations(page, 'demandes de compte hors ligne');
  await shot(page, 'comptes-hors-ligne');

  await context.setOffline(false);
  await expect(offline).toBeHidden();
  await expect(page.getByTestId('aucune-demande')).toBeVisible();
  await waitSynced(page);

  // A server that answers with a web page (captive portal): the error says why, and "Réessayer" recovers.
  await page.route('**/api/v1/accounts/pending', (r) =>
    r.fulfill({ status: 200, contentType: 'text/html', body: '<html><body>Portail Wi-Fi</body></html>' }),
  );
  await page.getByRole('link', { name: 'Synchronisation' }).first().click();
  await openComptes(page);
  const error = page.getByRole('alert').filter({ hasText: 'Impossible d’afficher les demandes de compte' });
  await expect(error).toContainText('page web au lieu des données attendues');
  await expect(error).toContainText('en ligne seulement');
  await shot(page, 'comptes-erreur');
  await page.unroute('**/api/v1/accounts/pending');
  await error.getByRole('button', { name: 'Réessayer' }).click();
  await expect(page.getByTestId('aucune-demande')).toBeVisible();
  await expect(error).toBeHidden();
});
