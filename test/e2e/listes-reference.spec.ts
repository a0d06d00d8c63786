// Issue 15 in real browsers: the DAECT keeps the reference lists on « Listes de référence » — adds a thématique
// and a réseau, renames the réseau, syncs; an agent syncs and finds the new thématique in the fiche-projet form
// and the réseau under its new label; the DAECT retires the thématique: the agent's fiche that had it still
// shows it, ticked and marked « (retiré) », and a new fiche no longer offers it. The e2e server is shared by
// the specs: this one acts only on entries it creates (names unique to the run).
import {
  addAction,
  createUser,
  expect,
  expectNoAxeViolations,
  field,
  login,
  loginDaect,
  serverRecord,
  shot,
  syncNow,
  test,
  tick,
} from './support/fixtures';
import { naturalId } from '../../src-shared/sync/ids';
import { codeFromLabel } from '../../src-shared/domain/entreeReference';

test('listes de référence : la DAECT ajoute, renomme et retire ; l’agent voit la liste à jour et garde l’entrée retirée sur sa fiche', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const run = Date.now().toString(36).slice(-5);
  const thematique = `Tourisme solidaire ${run}`;
  const reseau = `Réseau d’essai ${run}`;
  const renomme = `Réseau d’essai renommé ${run}`;
  const daectUser = await createUser({ role: 'daect' });
  const agentUser = await createUser();
  const ctxD = await browser.newContext();
  const ctxA = await browser.newContext();
  const pd = await ctxD.newPage();
  const pa = await ctxA.newPage();
  for (const p of [pd, pa]) p.on('dialog', (d) => void d.accept());

  // The DAECT opens the lists from the navigation: the initial entries are there, counted.
  await loginDaect(pd, daectUser);
  await pd.getByRole('link', { name: 'Listes de référence' }).first().click();
  await expect(pd.getByRole('heading', { level: 1 })).toHaveText('Listes de référence');
  const thematiques = pd.getByTestId('liste-thematique');
  await expect(thematiques.getByRole('row').filter({ hasText: 'Eau et assainissement' })).toBeVisible();
  await expect(pd.getByTestId('liste-reseau').getByRole('row').filter({ hasText: 'Cités Unies France' })).toBeVisible();

  // Adds a thématique: the code follows the label.
  await thematiques.getByRole('link', { name: 'Ajouter une thématique' }).click();
  await field(pd, 'Libellé').fill(thematique);
  await expect(field(pd, 'Code')).toHaveValue(codeFromLabel(thematique));
  await shot(pd, 'listes-ajout');
  await expectNoAxeViolations(pd, 'listes de référence, ajout (clair)');
  await pd.getByRole('button', { name: 'Ajouter', exact: true }).click();
  await expect(thematiques.getByRole('row').filter({ hasText: thematique })).toContainText('Proposée');

  // Adds a réseau, then renames it.
  const reseaux = pd.getByTestId('liste-reseau');
  await reseaux.getByRole('link', { name: 'Ajouter un réseau' }).click();
  await field(pd, 'Libellé').fill(reseau);
  await field(pd, 'Région du réseau').selectOption({ label: 'Bretagne' });
  await pd.getByRole('button', { name: 'Ajouter', exact: true }).click();
  await expect(reseaux.getByRole('row').filter({ hasText: reseau })).toContainText('Bretagne');
  await syncNow(pd);
  const reseauId = naturalId('entreeReference', ['reseau', codeFromLabel(reseau)]);
  expect(await serverRecord('entreeReference', reseauId)).toMatchObject({ libelle: reseau, region: '53' });

  // The agent syncs: the new thématique is proposed in a fiche-projet; the agent joins the new réseau.
  await login(pa, agentUser);
  await pa.getByRole('link', { name: 'Actions extérieures' }).first().click();
  await addAction(pa, 'Bénin', 'Ouidah');
  await pa.getByRole('link', { name: 'Ajouter une fiche-projet' }).click();
  await field(pa, 'Intitulé').fill('Circuits de découverte');
  await field(pa, 'Description / objectifs').fill(
    'Circuits de découverte conçus avec les habitants, formation de guides et accueil de groupes scolaires.',
  );
  await tick(pa, thematique);
  await field(pa, 'Statut').selectOption({ label: 'En cours' });
  await field(pa, 'Date de début').fill('2025-09-01');
  await pa.getByRole('button', { name: 'Enregistrer la fiche-projet' }).click();
  await expect(pa.getByRole('link', { name: 'Circuits de découverte' })).toBeVisible();
  await pa.getByRole('link', { name: 'Réseaux' }).first().click();
  await pa.getByRole('link', { name: 'Ajouter un réseau' }).click();
  await field(pa, 'Réseau').selectOption({ label: reseau });
  await pa.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(pa.getByRole('row').filter({ hasText: reseau })).toBeVisible();
  await syncNow(pa);

  // The DAECT renames the réseau (its code stays) and retires the thématique; the counts include the agent's records.
  await syncNow(pd);
  await reseaux
    .getByRole('row')
    .filter({ hasText: reseau })
    .getByRole('link', { name: /Renommer/ })
    .click();
  await expect(pd.getByText(codeFromLabel(reseau), { exact: true }).first()).toBeVisible();
  await field(pd, 'Libellé').fill(renomme);
  await pd.getByRole('button', { name: 'Enregistrer le libellé' }).click();
  const row = reseaux.getByRole('row').filter({ hasText: renomme });
  await expect(row).toBeVisible();
  await expect(row.getByRole('cell').nth(3)).toHaveText('1');
  const themeRow = thematiques.getByRole('row').filter({ hasText: thematique });
  await expect(themeRow.getByRole('cell').nth(2)).toHaveText('1');
  await themeRow.getByRole('button', { name: /Retirer/ }).click();
  await expect(themeRow).toContainText('Retirée');
  await expect(themeRow.getByRole('button', { name: /Rétablir/ })).toBeVisible();
  await syncNow(pd);
  const themeId = naturalId('entreeReference', ['thematique', codeFromLabel(thematique)]);
  expect(await serverRecord('entreeReference', themeId)).toMatchObject({ retiree: true });
  expect(await serverRecord('entreeReference', reseauId)).toMatchObject({ libelle: renomme });
  await shot(pd, 'listes-reference');
  await expectNoAxeViolations(pd, 'listes de référence (clair)');
  await pd.emulateMedia({ colorScheme: 'dark' });
  await pd.reload();
  await expect(pd.locator('html')).toHaveAttribute('data-fr-theme', 'dark');
  await expect(themeRow).toContainText('Retirée');
  await expectNoAxeViolations(pd, 'listes de référence (sombre)');
  await shot(pd, 'listes-reference-sombre');

  // The agent syncs: the réseau reads by its new label; the old fiche keeps the retired thématique, marked.
  await syncNow(pa);
  await expect(pa.getByRole('row').filter({ hasText: renomme })).toBeVisible();
  await expect(pa.getByRole('row').filter({ hasText: reseau, hasNotText: renomme })).toHaveCount(0);
  await pa.getByRole('link', { name: 'Actions extérieures' }).first().click();
  await pa.getByRole('link', { name: 'Ouidah' }).click();
  await pa.getByRole('link', { name: 'Circuits de découverte' }).click();
  const kept = pa.getByRole('checkbox', { name: `${thematique} (retiré)` });
  await expect(kept).toBeChecked();
  await shot(pa, 'listes-fiche-retiree');
  // Another field of the old fiche is still saved (the server keeps the retired entry there).
  await field(pa, 'Intitulé').fill('Circuits de découverte à Ouidah');
  await pa.getByRole('button', { name: 'Enregistrer la fiche-projet' }).click();
  await expect(pa.getByRole('link', { name: 'Circuits de découverte à Ouidah' })).toBeVisible();
  await syncNow(pa);
  // A new fiche no longer offers it.
  await pa.getByRole('link', { name: 'Ajouter une fiche-projet' }).click();
  await expect(field(pa, 'Intitulé')).toBeVisible();
  await expect(pa.getByRole('checkbox', { name: new RegExp(thematique) })).toHaveCount(0);
  await expect(pa.getByRole('checkbox', { name: 'Eau et assainissement' })).toBeVisible();
  await ctxD.close();
  await ctxA.close();
});
