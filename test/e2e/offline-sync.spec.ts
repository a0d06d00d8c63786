// Issue 4 in a real browser: offline edits survive a reload and sync when the network returns;
// two browser contexts editing one field produce a conflict resolved on the conflicts screen.
import {
  createUser,
  expect,
  field,
  login,
  serverRecord,
  shot,
  syncNow,
  test,
  waitSynced,
  twoColleagues,
} from './support/fixtures';

test('hors ligne : modifier, recharger, la modification et son badge restent, puis tout part au retour du réseau', async ({
  page,
  context,
}) => {
  const user = await createUser();
  await login(page, user);
  // The app shell must be in the service worker's cache before the network goes away.
  // (awaited in the page, not polled: polling a promise-returning predicate timed out on a loaded machine)
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await waitSynced(page);

  await context.setOffline(true);
  await page.getByRole('link', { name: 'Élus et cadres' }).first().click();
  await page.getByRole('link', { name: 'Ajouter un élu ou un cadre' }).click();
  await field(page, 'Catégorie').selectOption('cadre');
  await field(page, 'Prénom').fill('Yann');
  await field(page, 'Nom').fill('Kerhervé');
  await field(page, 'Titre / fonction').fill('Directeur général des services');
  await field(page, 'Courriel').fill('yann.kerherve@mairie-exemple.fr');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  const row = page.getByRole('row').filter({ hasText: 'Yann Kerhervé' });
  await expect(row.getByTestId('statut-enregistrement')).toHaveText('En attente d’envoi');
  await page.getByRole('button', { name: 'Synchroniser maintenant' }).first().click();
  await expect(page.getByTestId('etat-connexion')).toContainText('Hors ligne');

  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('a. Élus et cadres territoriaux');
  await expect(row.getByTestId('statut-enregistrement')).toHaveText('En attente d’envoi');
  await expect(page.getByTestId('etat-attente')).toContainText('1 modification en attente');
  await shot(page, 'hors-ligne-apres-rechargement');

  await context.setOffline(false);
  await syncNow(page);
  await expect(row.getByTestId('statut-enregistrement')).toHaveText('Synchronisé');
  const id = (await row.getByRole('link', { name: /Modifier/ }).getAttribute('href'))!.split('/').pop()!;
  const onServer = await serverRecord('contact', id);
  expect(onServer?.nom).toBe('Kerhervé');
  expect(onServer?.courriel).toBe('yann.kerherve@mairie-exemple.fr');
});

test('conflit : deux navigateurs modifient le même champ, résolu sur l’écran des conflits par une troisième valeur', async ({
  browser,
}) => {
  const { ctxA, ctxB, pa, pb } = await twoColleagues(browser);

  await pa.getByRole('link', { name: 'Élus et cadres' }).first().click();
  await pa.getByRole('link', { name: 'Ajouter un élu ou un cadre' }).click();
  await field(pa, 'Catégorie').selectOption('elu');
  await field(pa, 'Prénom').fill('Maëlle');
  await field(pa, 'Nom').fill('Tanguy');
  await field(pa, 'Titre / fonction').fill('Maire');
  await field(pa, 'Courriel').fill('maelle.tanguy@mairie-exemple.fr');
  await pa.getByRole('button', { name: 'Enregistrer' }).click();
  await syncNow(pa);

  await syncNow(pb);
  await pb.getByRole('link', { name: 'Élus et cadres' }).first().click();
  await expect(pb.getByRole('row').filter({ hasText: 'Maëlle Tanguy' })).toBeVisible();

  // Same field, different values, each saved on its own device.
  for (const [p, value] of [
    [pa, 'Maire de la commune'],
    [pb, 'Maire et présidente de la communauté'],
  ] as const) {
    await p.getByRole('link', { name: 'Élus et cadres' }).first().click();
    await p
      .getByRole('row')
      .filter({ hasText: 'Maëlle Tanguy' })
      .getByRole('link', { name: /Modifier/ })
      .click();
    await field(p, 'Titre / fonction').fill(value);
    await p.getByRole('button', { name: 'Enregistrer' }).click();
    await expect(p.getByRole('row').filter({ hasText: value })).toBeVisible();
  }
  await syncNow(pa);
  await pb.getByRole('button', { name: 'Synchroniser maintenant' }).first().click();
  await expect(pb.getByRole('link', { name: /1 conflit à résoudre/ })).toBeVisible({ timeout: 30_000 });
  await pb.getByRole('link', { name: /1 conflit à résoudre/ }).click();
  const card = pb.getByTestId('conflit');
  await expect(card).toContainText('Titre / fonction');
  await expect(card.getByTestId('valeur-serveur')).toHaveText('Maire de la commune');
  await expect(card.getByTestId('valeur-proposee')).toHaveText('Maire et présidente de la communauté');
  await shot(pb, 'conflit');
  await card.getByLabel(/Ou saisir une autre valeur/).fill('Maire, présidente de la communauté de communes');
  await card.getByRole('button', { name: 'Utiliser cette valeur' }).click();
  await expect(pb.getByTestId('conflit')).toHaveCount(0, { timeout: 30_000 });
  await waitSynced(pb);

  await syncNow(pa);
  await pa.getByRole('link', { name: 'Élus et cadres' }).first().click();
  await expect(pa.getByRole('row').filter({ hasText: 'Maire, présidente de la communauté de communes' })).toBeVisible();
  await ctxA.close();
  await ctxB.close();
});
