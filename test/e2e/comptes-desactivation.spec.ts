// Disabling an account from the accounts screen: the DAECT finds the agent in the account list, gives a
// reason in the modal and disables it; the agent's open app is cut off at its next sync, says why in
// French, and keeps its records and its pending change; once re-enabled (after a confirmation), the agent
// logs in again and the change goes through.
import {
  appUrl,
  createUser,
  expect,
  expectNoAxeViolations,
  field,
  login,
  shot,
  test,
  waitSynced,
} from './support/fixtures';

test('la DAECT désactive un compte : le poste de l’agent dit pourquoi et garde ses données ; réactivation', async ({
  browser,
}) => {
  test.setTimeout(180_000); // two people in two browsers on a shared machine
  const agentUser = await createUser({ collectiviteCode: 'fresh' });
  const daectUser = await createUser({ role: 'daect' });

  const agentCtx = await browser.newContext();
  const agent = await agentCtx.newPage();
  await login(agent, agentUser);
  const addContact = async (prenom: string, nom: string) => {
    await agent.getByRole('link', { name: 'Élus et cadres' }).first().click();
    await agent.getByRole('link', { name: 'Ajouter un élu ou un cadre' }).click();
    await field(agent, 'Catégorie').selectOption('elu');
    await field(agent, 'Prénom').fill(prenom);
    await field(agent, 'Nom').fill(nom);
    await field(agent, 'Titre / fonction').fill('Adjointe');
    await field(agent, 'Courriel').fill(`${prenom.toLowerCase()}.${nom.toLowerCase()}@mairie-exemple.fr`);
    await agent.getByRole('button', { name: 'Enregistrer' }).click();
    await expect(agent.getByRole('row').filter({ hasText: `${prenom} ${nom}` })).toBeVisible();
  };
  await addContact('Soizic', 'Avant');
  await waitSynced(agent);

  // The DAECT finds the account and disables it with a reason.
  const daectCtx = await browser.newContext();
  const daect = await daectCtx.newPage();
  await daect.goto(`${appUrl()}/#/`);
  await daect.getByLabel('Adresse électronique').fill(daectUser.email);
  await daect.getByLabel('Mot de passe').fill(daectUser.password);
  await daect.getByRole('button', { name: 'Se connecter' }).click();
  await expect(daect.getByRole('heading', { level: 1 })).toHaveText('Tableau de bord national', { timeout: 30_000 });
  await daect.getByRole('link', { name: 'Demandes de compte' }).first().click();
  await expect(daect.getByRole('heading', { level: 2, name: 'Tous les comptes' })).toBeVisible();
  await daect.getByLabel('Rechercher un compte (nom, adresse électronique ou collectivité)').fill(agentUser.email);
  await daect.getByRole('button', { name: 'Rechercher un compte' }).click();
  const row = daect.getByTestId(`compte-${agentUser.id}`);
  await expect(daect.getByTestId('comptes-compte')).toHaveText('1 compte correspondant à la recherche et aux filtres.');
  await expect(row).toContainText('Approuvé');
  const disable = row.getByRole('button', { name: /^Désactiver/ });
  await disable.click();
  const dialog = daect.getByRole('dialog', { name: /^Désactiver le compte de / });
  const motif = dialog.getByRole('textbox', { name: /^Motif de la désactivation/ });
  await expect(motif).toBeFocused();
  // Échap: nothing is disabled, the focus goes back to the button.
  await daect.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(disable).toBeFocused();
  await disable.click();
  await expect(motif).toBeFocused();
  // A reason is required: the schema the server checks it with says what is missing.
  await dialog.getByRole('button', { name: 'Désactiver le compte' }).click();
  await expect(motif).toHaveAttribute('aria-invalid', 'true');
  await expect(motif).toHaveAccessibleDescription(/Indiquez le motif de la désactivation \(au moins 3 caractères\)/);
  await motif.fill('Agent parti de la collectivité');
  await expectNoAxeViolations(daect, 'désactivation d’un compte');
  await shot(daect, 'comptes-desactivation');
  await dialog.getByRole('button', { name: 'Désactiver le compte' }).click();
  await expect(dialog).toBeHidden();
  await expect(daect.getByTestId('compte-gere')).toContainText('est désactivé : ses sessions sont fermées');
  await expect(daect.getByTestId('compte-gere')).toBeFocused();
  await expect(row).toContainText('Désactivé');
  await expect(row).toContainText('motif : Agent parti de la collectivité');

  // The agent's app, still open, writes on: its next sync is refused and says why; nothing is lost.
  await addContact('Morgane', 'Après');
  const alert = agent.getByTestId('session-fermee');
  await expect(alert).toContainText('Votre compte a été désactivé (motif : Agent parti de la collectivité).', {
    timeout: 30_000,
  });
  await expect(alert).toContainText('Vos données et vos modifications restent sur ce poste');
  await expect(agent.getByRole('heading', { level: 2, name: 'Votre compte a été désactivé' })).toBeVisible();
  await expect(agent.getByTestId('etat-attente')).toContainText('1 modification en attente');
  await agent.reload();
  await agent.getByRole('link', { name: 'Élus et cadres' }).first().click();
  await expect(agent.getByRole('row').filter({ hasText: 'Soizic Avant' })).toBeVisible();
  await expect(agent.getByRole('row').filter({ hasText: 'Morgane Après' })).toBeVisible();
  await expect(agent.getByTestId('session-fermee')).toContainText('Agent parti de la collectivité');
  await shot(agent, 'compte-desactive-poste');

  // Re-enabled: the agent logs in again from the same screen and the pending change is sent.
  await row.getByRole('button', { name: /^Réactiver/ }).click();
  const confirm = daect.getByRole('dialog', { name: /^Réactiver le compte de / });
  await expect(confirm).toContainText('pourra de nouveau se connecter');
  await confirm.getByRole('button', { name: 'Réactiver le compte' }).click();
  await expect(daect.getByTestId('compte-gere')).toContainText('est réactivé : son titulaire peut se reconnecter');
  await expect(row).toContainText('Approuvé');
  await agent.getByLabel(`Mot de passe de ${agentUser.email}`).fill(agentUser.password);
  await agent.getByRole('button', { name: 'Se reconnecter' }).click();
  await waitSynced(agent);
  await expect(agent.getByTestId('session-fermee')).toBeHidden();
  await agentCtx.close();
  await daectCtx.close();
});
