// Guarantee 12 in the browser: after syncs, every record a device holds equals the server's, field by
// field, as the "Vérifier la copie" check of the synchronisation screen proves (digests per bucket).
import {
  addAction,
  appUrl,
  createUser,
  expect,
  expectCopyMatchesServer,
  expectNoAxeViolations,
  field,
  shot,
  syncNow,
  test,
  twoColleagues,
  waitSynced,
} from './support/fixtures';

test('deux postes d’une commune : après des modifications croisées, chaque copie est identique à celle du serveur', async ({
  browser,
}) => {
  const { ctxA, ctxB, pa, pb } = await twoColleagues(browser);
  await pa.getByRole('link', { name: 'Autres actions extérieures' }).first().click();
  await addAction(pa, 'Niger', 'Commune de Maradi');
  await syncNow(pa);
  await syncNow(pb);
  await pb.getByRole('link', { name: 'Élus et cadres' }).first().click();
  await pb.getByRole('link', { name: 'Ajouter un élu ou un cadre' }).click();
  await field(pb, 'Catégorie').selectOption('elu');
  await field(pb, 'Prénom').fill('Pierre');
  await field(pb, 'Nom').fill('Durand');
  await field(pb, 'Titre / fonction').fill('Adjoint aux relations internationales');
  await field(pb, 'Courriel').fill('pierre.durand@mairie-exemple.fr');
  await pb.getByRole('button', { name: 'Enregistrer' }).click();
  await syncNow(pb);
  await syncNow(pa);
  await expectCopyMatchesServer(pa);
  await expectCopyMatchesServer(pb);
  await expectNoAxeViolations(pb, 'l’écran de synchronisation après vérification');
  await shot(pb, 'copie-verifiee');
  await ctxA.close();
  await ctxB.close();
});

test('SGAR : la première synchronisation de la région donne une copie identique à celle du serveur', async ({
  page,
}) => {
  const sgar = await createUser({ role: 'sgar', region: '53' });
  await page.goto(`${appUrl()}/#/`);
  await page.getByLabel(/^Adresse électronique/).fill(sgar.email);
  await page.getByLabel(/^Mot de passe/).fill(sgar.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  // An SGAR without a chosen collectivité lands on its région's dashboard.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tableau de bord régional — Bretagne');
  await waitSynced(page);
  await expectCopyMatchesServer(page);
  await expect(page.getByTestId('verification-copie')).toContainText(/\d/);
});
