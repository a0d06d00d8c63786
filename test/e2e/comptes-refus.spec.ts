// Refusing an account request: a person asks for an account and confirms the address; the SGAR of the
// région refuses the request on the "Demandes de compte" screen, in a DSFR modal that asks the reason
// (required, its error said the DSFR way); the author's mail carries the reason, and the login says the
// request was refused, with the reason.
import {
  appUrl,
  createUser,
  expect,
  expectNoAxeViolations,
  shot,
  test,
  waitForMail,
  waitSynced,
} from './support/fixtures';

test('le SGAR refuse une demande de compte avec un motif : fenêtre accessible, courriel avec le motif, connexion refusée', async ({
  browser,
}) => {
  test.setTimeout(180_000); // two browsers on a shared machine
  // A fresh collectivité of région 53, the SGAR's région.
  const code = (await createUser({ collectiviteCode: 'fresh' })).collectiviteCode!;
  const sgarUser = await createUser({ role: 'sgar', region: '53' });

  // The request, confirmed through its mailed link (the request screen has its own test: comptes.spec.ts).
  const email = `refuse.${Date.now().toString(36)}@mairie-exemple.fr`;
  const password = 'mot-de-passe-du-demandeur';
  const nom = 'Loïc Demandeur';
  const req = await fetch(`${appUrl()}/api/v1/accounts/request`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, nom, fonction: 'Stagiaire', collectiviteCode: code, password }),
  });
  expect(req.status).toBe(202);
  const link = /https?:\/\/\S+\/api\/v1\/accounts\/verify\?token=[A-Za-z0-9_-]+/.exec(
    await waitForMail(email, /accounts\/verify/),
  )![0];
  expect((await fetch(link)).status).toBe(200);

  // The SGAR opens the requests of its région.
  const sgarCtx = await browser.newContext();
  const page = await sgarCtx.newPage();
  await page.goto(`${appUrl()}/#/`);
  await page.getByLabel('Adresse électronique').fill(sgarUser.email);
  await page.getByLabel('Mot de passe').fill(sgarUser.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tableau de bord régional — Bretagne', {
    timeout: 30_000,
  });
  await waitSynced(page);
  await page.getByRole('link', { name: 'Demandes de compte' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demandes de compte');
  const row = page.getByTestId('demandes-compte').getByRole('row').filter({ hasText: email });
  await expect(row).toContainText(nom);
  await expect(row.getByRole('button', { name: `Valider la demande de ${nom}` })).toBeVisible();
  const refuser = row.getByRole('button', { name: `Refuser la demande de ${nom}` });

  // The modal: named by its title, the focus on the reason.
  await refuser.click();
  const dialog = page.getByRole('dialog', { name: `Refuser la demande de ${nom} ?` });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(`${nom} (${email}), Stagiaire`);
  const motif = dialog.getByRole('textbox', { name: /^Motif du refus/ });
  await expect(motif).toBeFocused();
  await expectNoAxeViolations(page, 'fenêtre de refus d’une demande de compte');
  await shot(page, 'comptes-refus-fenetre');

  // Échap closes it, nothing is refused, the focus goes back to « Refuser ».
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(refuser).toBeFocused();
  await expect(row).toBeVisible();

  // Keyboard only: Entrée opens it again; without a reason, the field says what is missing.
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await expect(motif).toBeFocused();
  await expect(motif).toHaveValue('');
  await dialog.getByRole('button', { name: 'Refuser la demande' }).click();
  await expect(motif).toHaveAttribute('aria-invalid', 'true');
  await expect(motif).toBeFocused();
  await expect(motif).toHaveAccessibleDescription(/Indiquez le motif du refus \(au moins 3 caractères\)/);
  await expect(dialog.locator('.fr-input-group--error .fr-error-text')).toHaveText(
    'Indiquez le motif du refus (au moins 3 caractères) : il est envoyé à l’auteur de la demande.',
  );
  await expectNoAxeViolations(page, 'fenêtre de refus, motif manquant');
  await shot(page, 'comptes-refus-motif-manquant');

  // With a reason: refused, said, and the row leaves the list.
  const reason = 'Stage terminé : la collectivité demandera un compte pour la personne qui reprend le dossier.';
  await motif.fill(reason);
  await expect(motif).not.toHaveAttribute('aria-invalid', 'true'); // the error goes once the reason is enough
  await dialog.getByRole('button', { name: 'Refuser la demande' }).click();
  await expect(dialog).toBeHidden();
  const done = page.getByTestId('demande-traitee');
  await expect(done).toHaveText(`Demande de ${nom} (${email}) refusée : son auteur a été prévenu par courriel.`);
  await expect(done).toBeFocused();
  await expect(row).toHaveCount(0);
  await shot(page, 'comptes-refus-fait');

  // The author's mail carries the reason and whom to ask.
  const mail = await waitForMail(email, /a été refusée/);
  expect(mail).toContain(`Motif : ${reason}`);
  expect(mail).toContain(`(${sgarUser.email}), SGAR de votre région, qui a examiné votre demande`);

  // And the login says so, with the reason.
  const authorCtx = await browser.newContext();
  const author = await authorCtx.newPage();
  await author.goto(`${appUrl()}/#/`);
  await author.getByLabel('Adresse électronique').fill(email);
  await author.getByLabel('Mot de passe').fill(password);
  await author.getByRole('button', { name: 'Se connecter' }).click();
  await expect(author.getByRole('alert')).toContainText(`Votre demande de compte a été refusée (motif : ${reason}).`);
  await shot(author, 'comptes-refus-connexion');
  await sgarCtx.close();
  await authorCtx.close();
});
