// Disabling an account from the accounts screen: the DAECT gives a reason and disables an agent; the
// agent's open app is cut off at its next sync, says why in French, and keeps its records and its
// pending change; once re-enabled, the agent logs in again and the change goes through.
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
  await expect(daect.getByRole('heading', { level: 2, name: 'Gestion des comptes' })).toBeVisible();
  await daect.getByLabel('Rechercher un compte (nom ou adresse électronique)').fill(agentUser.email);
  await daect.getByRole('button', { name: 'Rechercher un compte' }).click();
  const row = daect.getByTestId('comptes-geres').getByRole('row').filter({ hasText: agentUser.email });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Actif');
  await row.getByRole('button', { name: /^Désactiver/ }).click();
  const form = daect.getByTestId('desactiver-compte');
  await expect(form.getByRole('heading')).toBeFocused();
  const confirm = form.getByRole('button', { name: 'Confirmer la désactivation' });
  await expect(confirm).toBeDisabled(); // a reason is required
  await form.getByLabel(/^Motif/).fill('Agent parti de la collectivité');
  await expectNoAxeViolations(daect, 'désactivation d’un compte');
  await shot(daect, 'comptes-desactivation');
  await confirm.click();
  await expect(daect.getByTestId('compte-gere')).toContainText('est désactivé');
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
  await expect(daect.getByTestId('compte-gere')).toContainText('est réactivé');
  await expect(row).toContainText('Actif');
  await agent.getByLabel(`Mot de passe de ${agentUser.email}`).fill(agentUser.password);
  await agent.getByRole('button', { name: 'Se reconnecter' }).click();
  await waitSynced(agent);
  await expect(agent.getByTestId('session-fermee')).toBeHidden();
  await agentCtx.close();
  await daectCtx.close();
});
