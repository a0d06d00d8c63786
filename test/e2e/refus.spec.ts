import { expect, field, shot, syncNow, test, twoColleagues } from './support/fixtures';

test('refus : une fiche créée sous un partenariat supprimé ailleurs est refusée, expliquée, signalée sur le tableau de bord, puis abandonnée', async ({
  browser,
}) => {
  const { ctxA, ctxB, pa, pb } = await twoColleagues(browser);

  await pa.goto(pa.url().replace(/#.*$/, '#/partenariats/nouveau?nature=action_exterieure'));
  await field(pa, 'Pays').selectOption({ label: 'Bénin' });
  await field(pa, 'Nom du partenaire').fill('Abomey');
  await pa.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(pa.getByRole('heading', { level: 1 })).toContainText('Abomey');
  await syncNow(pa);

  await syncNow(pb);
  await pb.getByRole('link', { name: 'Actions extérieures' }).first().click();
  await pb.getByRole('link', { name: 'Abomey' }).click();
  await pb.getByRole('link', { name: 'Ajouter une fiche-projet' }).click();
  await field(pb, 'Intitulé').fill('Festival des arts');
  await field(pb, 'Description / objectifs').fill(
    'Accueil d’artistes et ateliers partagés entre les deux villes pendant une semaine.',
  );
  await pb.locator('label', { hasText: /^Culture et patrimoine$/ }).click();
  await field(pb, 'Statut').selectOption({ label: 'En projet' });
  await field(pb, 'Date de début').fill('2026-05-01');

  // Meanwhile the partnership is deleted on the other computer.
  await pa.getByRole('button', { name: 'Supprimer le partenariat' }).click();
  await expect(pa.getByRole('heading', { level: 1 })).toHaveText('d. Autres actions extérieures');
  await syncNow(pa);

  await pb.getByRole('button', { name: 'Enregistrer la fiche-projet' }).click();
  await pb.getByRole('button', { name: 'Synchroniser maintenant' }).first().click();
  const problem = pb.getByRole('link', { name: '1 modification refusée' });
  await expect(problem).toBeVisible({ timeout: 30_000 });
  await problem.click();
  await shot(pb, 'synchronisation-refus');
  const card = pb.getByTestId('refus');
  await expect(card).toContainText(
    'Le partenariat auquel se rattache cet enregistrement n’existe pas ou a été supprimé.',
  );
  await pb.getByRole('link', { name: 'Tableau de bord' }).first().click();
  // The fiche's partnership is gone, so no part can claim it: the dashboard says so on its own.
  await expect(pb.getByTestId('problemes-sync')).toContainText('1 modification à reprendre');
  // Abandoning the refused creation settles it.
  await pb.getByRole('link', { name: 'Voir la synchronisation' }).click();
  await pb.getByRole('button', { name: 'Abandonner cette modification' }).click();
  // Asked in a DSFR modal (before, a native confirm() that the test's dialog handler accepted).
  const question = pb.getByRole('dialog', { name: 'Abandonner cette modification ?' });
  await expect(question).toContainText('L’enregistrement reprendra la version du serveur.');
  await question.getByRole('button', { name: 'Abandonner la modification' }).click();
  await expect(pb.getByTestId('refus')).toHaveCount(0);
  await pb.getByRole('link', { name: 'Tableau de bord' }).first().click();
  await expect(pb.getByTestId('problemes-sync')).toHaveCount(0);
  await ctxA.close();
  await ctxB.close();
});
