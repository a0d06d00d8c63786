import { readFileSync } from 'node:fs';
import {
  addAction,
  createUser,
  expect,
  field,
  tick,
  login,
  serverRecord,
  shot,
  syncNow,
  test,
} from './support/fixtures';

test('c. coopération décentralisée : partenaire en majuscules corrigé, fiche-projet complète, cofinancements, impression', async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  await login(page, await createUser());
  await page.getByRole('link', { name: 'Coopérations' }).first().click();
  await page.getByRole('link', { name: 'Ajouter une coopération décentralisée' }).click();
  await field(page, 'Pays').selectOption({ label: 'Sénégal' });
  await field(page, 'Nom du partenaire').fill('SAINT-LOUIS DU SÉNÉGAL');
  await expect(page.getByText('Le nom du partenaire est écrit en majuscules')).toBeVisible();
  await page.getByRole('button', { name: 'Corriger en « Saint-Louis du Sénégal »' }).click();
  await expect(field(page, 'Nom du partenaire')).toHaveValue('Saint-Louis du Sénégal');
  await tick(page, 'Jumelage');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(
    page
      .getByText('« Date de signature de la convention » est obligatoire pour une coopération décentralisée.')
      .first(),
  ).toBeVisible();
  await field(page, 'Date de signature de la convention').fill('2019-05-14');
  await page.getByTestId('choix-localisation').click({ position: { x: 200, y: 120 } });
  await expect(field(page, 'Latitude')).not.toHaveValue('');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Saint-Louis du Sénégal');

  await page.getByRole('link', { name: 'Ajouter une fiche-projet' }).click();
  await page.getByRole('button', { name: 'Enregistrer la fiche-projet' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'Le formulaire contient' });
  await expect(summary).toContainText('« Intitulé » est obligatoire.');
  await expect(summary).toContainText("« Thématiques d'intervention »");
  await field(page, 'Intitulé').fill('Accès à l’eau potable dans les quartiers nord');
  await field(page, 'Description / objectifs').fill('Forages');
  await expect(page.getByText('La description est très courte')).toBeVisible();
  await field(page, 'Description / objectifs').fill(
    'Construction de trois forages et formation d’un comité de gestion de l’eau dans les quartiers nord.',
  );
  await tick(page, 'Eau et assainissement');
  await field(page, 'Statut').selectOption({ label: 'En cours' });
  await field(page, 'Date de début').fill('2024-01-15');
  await field(page, 'Date de fin').fill('2023-01-01');
  await field(page, 'Coût total (€)').fill('100 000');
  await field(page, 'Participation de la collectivité (€)').fill('20000');
  await page.getByRole('button', { name: 'Ajouter un cofinancement' }).click();
  await page.getByLabel('Financeur de la ligne 1').selectOption({ label: "Agence de l'eau" });
  await page.getByLabel('Montant de la ligne 1 (€)').fill('50000');
  await page.getByRole('button', { name: 'Ajouter un cofinancement' }).click();
  await page.getByLabel('Financeur de la ligne 2').selectOption({ label: 'MEAE / DAECT' });
  await page.getByLabel('Montant de la ligne 2 (€)').fill('30 000,00');
  await expect(page.getByTestId('total-cofinancements')).toHaveText(/80\s000,00\s€/);
  await tick(page, '6. Eau propre et assainissement');
  await field(page, 'Base du dispositif « 1 % »').selectOption('oudin_santini');
  await page.getByRole('button', { name: 'Enregistrer la fiche-projet' }).click();
  await expect(
    page.getByText('« Date de fin » doit être postérieure ou égale à la date de début.').first(),
  ).toBeVisible();
  await field(page, 'Date de fin').fill('2026-12-31');
  await page.getByRole('button', { name: 'Enregistrer la fiche-projet' }).click();
  const link = page.getByRole('link', { name: 'Accès à l’eau potable dans les quartiers nord' });
  await expect(link).toBeVisible();

  // Edit, then the printable page.
  await link.click();
  await field(page, 'Bénéficiaires').fill('12 000 habitants');
  await page.getByRole('button', { name: 'Enregistrer la fiche-projet' }).click();
  await page.getByRole('link', { name: 'Accès à l’eau potable dans les quartiers nord' }).click();
  await expect(field(page, 'Bénéficiaires')).toHaveValue('12 000 habitants');
  await shot(page, 'fiche-projet');
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.atlas-fiche-print')).toBeVisible();
  await expect(page.locator('.atlas-fiche-print')).toContainText("Agence de l'eau : 50 000,00 €");
  await shot(page, 'fiche-projet-impression');
  const pdf = await page.pdf({ format: 'A4' });
  expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length).toBe(1);
  await page.emulateMedia({ media: 'screen' });

  // Delete the fiche (with undo offered). Offline for the undo: online, the sync that follows an edit by
  // 3 s may send the delete first.
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Supprimer la fiche-projet' }).click();
  await expect(page.getByRole('button', { name: 'Annuler' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Accès à l’eau potable dans les quartiers nord' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Annuler' }).click();
  await expect(page.getByRole('link', { name: 'Accès à l’eau potable dans les quartiers nord' })).toBeVisible();
  await context.setOffline(false);
  await syncNow(page);
});

test('d. action extérieure : validation, modification, suppression, conversion en coopération décentralisée avec ses fiches ; export CSV relu', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await login(page, await createUser());
  await page.getByRole('link', { name: 'Actions extérieures' }).first().click();
  await page.getByRole('link', { name: 'Ajouter une action extérieure' }).click();
  // The creation form's messages: at the field and summarised at the top; no convention asked for here.
  const summary = page.getByRole('alert').filter({ hasText: 'Le formulaire contient' });
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(summary).toContainText('Le formulaire contient 2 erreurs');
  await expect(summary).toContainText('« Pays » est obligatoire.');
  await expect(summary).toContainText('« Nom du partenaire » est obligatoire.');
  await expect(summary).not.toContainText('Date de signature de la convention');
  await expect(field(page, 'Nom du partenaire')).toHaveAttribute('aria-invalid', 'true');
  await field(page, 'Pays').selectOption({ label: 'Burkina Faso' });
  await field(page, 'Nom du partenaire').fill('Koudougu');
  await field(page, 'Latitude').fill('12,25');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(summary).toContainText('La localisation demande une latitude et une longitude.');
  await field(page, 'Longitude').fill('200');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(summary).toContainText('« Longitude » doit être comprise entre -180 et 180.');
  await shot(page, 'action-exterieure-validation');
  await field(page, 'Latitude').fill('');
  await field(page, 'Longitude').fill('');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Koudougu');

  // Edit it: the form comes prefilled; a cleared name is refused; the list shows the saved values.
  await expect(field(page, 'Nom du partenaire')).toHaveValue('Koudougu');
  await expect(field(page, 'Pays')).toHaveValue('BF');
  await field(page, 'Nom du partenaire').fill('  ');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(summary).toContainText('« Nom du partenaire » est obligatoire.');
  await field(page, 'Nom du partenaire').fill('Koudougou');
  await field(page, 'Type de partenaire').selectOption({ label: 'Municipalité' });
  await tick(page, 'Jumelage');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('d. Autres actions extérieures');
  const koudougou = page.getByRole('row').filter({ hasText: 'Koudougou' });
  await expect(koudougou.getByRole('cell').nth(1)).toHaveText('Oui');
  await expect(page.getByRole('link', { name: 'Koudougu', exact: true })).toHaveCount(0);

  // Delete another action (from its page, confirmed): gone from the list, and from the server once synced.
  const boboId = await addAction(page, 'Burkina Faso', 'Bobo-Dioulasso');
  await syncNow(page);
  await page.getByRole('button', { name: 'Supprimer le partenariat' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('d. Autres actions extérieures');
  await expect(page.getByRole('status').filter({ hasText: /Partenariat supprimé\s: Bobo-Dioulasso\./ })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Bobo-Dioulasso' })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: /Burkina Faso/ })).toContainText('(1)');
  await syncNow(page);
  expect((await serverRecord('partenariat', boboId))?.deleted).toBe(true);

  await page.getByRole('link', { name: 'Koudougou' }).click();
  await page.getByRole('link', { name: 'Ajouter une fiche-projet' }).click();
  await field(page, 'Intitulé').fill('Échanges scolaires; "classe verte"');
  await field(page, 'Description / objectifs').fill(
    'Correspondance entre écoles et séjour d’une classe de CM2, avec un volet de formation des enseignants.',
  );
  await tick(page, 'Éducation et formation');
  await field(page, 'Statut').selectOption({ label: 'En projet' });
  await field(page, 'Date de début').fill('2025-09-01');
  await field(page, 'Coût total (€)').fill('1234,56');
  await page.getByRole('button', { name: 'Enregistrer la fiche-projet' }).click();
  await expect(page.getByRole('link', { name: 'Échanges scolaires; "classe verte"' })).toBeVisible();

  await page.getByRole('button', { name: 'Convertir en coopération décentralisée' }).click();
  await page.locator('#conversion-date').fill('');
  await page.getByRole('button', { name: 'Confirmer la conversion' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Date de signature de la convention' })).toBeVisible();
  await page.locator('#conversion-date').fill('2025-06-30');
  await page.getByRole('button', { name: 'Confirmer la conversion' }).click();
  await expect(page.getByRole('button', { name: 'Convertir en coopération décentralisée' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Échanges scolaires; "classe verte"' })).toBeVisible();
  await syncNow(page);

  await page.getByRole('link', { name: 'Coopérations' }).first().click();
  await expect(page.getByRole('link', { name: 'Koudougou' })).toBeVisible();
  await shot(page, 'cooperations-apres-conversion');
  await page.getByRole('link', { name: 'Actions extérieures' }).first().click();
  await expect(page.getByRole('link', { name: 'Koudougou' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Coopérations' }).first().click();

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Exporter les fiches-projets (CSV)' }).click(),
  ]);
  const csv = readFileSync((await download.path())!);
  expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = csv.toString('utf8').slice(1).split('\r\n');
  expect(lines[0]).toBe(
    'Intitulé;Partenaire;Pays;Statut;Date de début;Date de fin;Thématiques;Coût total (€);Participation de la collectivité (€);Cofinancements;ODD;Dispositif 1 %;Description / objectifs',
  );
  expect(lines[1]).toContain(
    '"Échanges scolaires; ""classe verte""";Koudougou;Burkina Faso;En projet;01/09/2025;;Éducation et formation;1234,56;',
  );

  const [dl2] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Exporter les partenariats (CSV)' }).click(),
  ]);
  const csv2 = readFileSync((await dl2.path())!).toString('utf8');
  expect(csv2).toContain('Coopération décentralisée;Burkina Faso;Koudougou;Municipalité;oui;30/06/2025;Active');
});
