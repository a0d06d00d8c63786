// Issue 15 in real browsers: the SGAR of the région gives an avis on a fiche-projet offline, it leaves when the
// network returns; the collectivité's agent reads it (who, when) on a fiche the SGAR may only consult; once the
// agent changes the fiche, the SGAR sees that the avis concerns an earlier version of it.
import {
  addAction,
  appUrl,
  createUser,
  expect,
  expectNoAxeViolations,
  field,
  login,
  serverRecord,
  shot,
  syncNow,
  test,
  tick,
  waitSynced,
} from './support/fixtures';

const CONSULTATION = 'Consultation : seule la collectivité modifie ses fiches-projets.';
const ANTERIEURE = 'Cet avis porte sur une version antérieure de la fiche';

function today(): string {
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date()).split('-');
  return `${d}/${m}/${y}`;
}

test('avis : le SGAR donne un avis hors ligne, l’agent le lit avec son auteur et sa date, puis modifie la fiche et l’avis porte sur une version antérieure', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const agent = await createUser();
  const sgar = await createUser({ role: 'sgar', region: '53' });
  const ctxA = await browser.newContext();
  const ctxS = await browser.newContext();
  const pa = await ctxA.newPage();
  const ps = await ctxS.newPage();
  for (const p of [pa, ps]) p.on('dialog', (d) => void d.accept());

  // The agent writes a fiche-projet and sends it.
  await login(pa, agent);
  await pa.getByRole('link', { name: 'Actions extérieures' }).first().click();
  await addAction(pa, 'Burkina Faso', 'Koudougou');
  await pa.getByRole('link', { name: 'Ajouter une fiche-projet' }).click();
  await field(pa, 'Intitulé').fill('Jardins scolaires');
  await field(pa, 'Description / objectifs').fill(
    'Création de jardins potagers dans six écoles, avec la formation des enseignants et des parents d’élèves.',
  );
  await tick(pa, 'Éducation et formation');
  await field(pa, 'Statut').selectOption({ label: 'En cours' });
  await field(pa, 'Date de début').fill('2025-09-01');
  await pa.getByRole('button', { name: 'Enregistrer la fiche-projet' }).click();
  await expect(pa.getByRole('link', { name: 'Jardins scolaires' })).toBeVisible();
  await syncNow(pa);

  // The SGAR of the région chooses the collectivité and opens the fiche: read-only, and told why.
  const collectivite = await serverRecord('collectivite', agent.collectiviteId!);
  const nom = String(collectivite?.nom);
  await ps.goto(`${appUrl()}/#/`);
  await ps.getByLabel(/^Adresse électronique/).fill(sgar.email);
  await ps.getByLabel(/^Mot de passe/).fill(sgar.password);
  await ps.getByRole('button', { name: 'Se connecter' }).click();
  await expect(ps.getByRole('heading', { level: 1 })).toHaveText('Tableau de bord régional — Bretagne', {
    timeout: 30_000,
  });
  await waitSynced(ps);
  await ps.getByRole('button', { name: 'Changer de collectivité' }).first().click();
  await expect(ps.getByRole('heading', { level: 1 })).toHaveText('Choisir une collectivité');
  await ps.getByLabel(/^Rechercher une collectivité/).fill(agent.collectiviteCode!);
  await ps.getByRole('button', { name: new RegExp(`^${nom.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} — `) }).click();
  await expect(ps.getByRole('heading', { level: 1 })).toHaveText(/Campagne de mise à jour/);
  // The app shell must be in the service worker's cache before the network goes away.
  await ps.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await ps.getByRole('link', { name: 'Actions extérieures' }).first().click();
  await ps.getByRole('link', { name: 'Koudougou' }).click();
  await ps.getByRole('link', { name: 'Jardins scolaires' }).click();
  await expect(ps.getByRole('heading', { level: 1 })).toContainText('Jardins scolaires');
  await expect(ps.getByText(CONSULTATION)).toBeVisible();
  await expect(field(ps, 'Intitulé')).toBeDisabled();
  await expect(ps.getByRole('button', { name: 'Enregistrer la fiche-projet' })).toHaveCount(0);
  await expect(ps.getByText('Aucun avis n’a encore été donné sur cette fiche-projet.')).toBeVisible();
  await expectNoAxeViolations(ps, 'fiche-projet en consultation (SGAR)');
  await shot(ps, 'avis-sgar-fiche-consultation');

  // Offline, the SGAR gives the avis: a required choice is asked for, then it is saved on this device.
  await ctxS.setOffline(true);
  await ps.getByRole('button', { name: 'Enregistrer l’avis' }).click();
  const summary = ps.getByRole('alert').filter({ hasText: 'Le formulaire contient' });
  await expect(summary).toContainText('« Avis » : choisissez une valeur de la liste.');
  await field(ps, 'Avis').selectOption({ label: 'Réservé' });
  await field(ps, 'Statut d’instruction').selectOption({ label: 'En cours' });
  await field(ps, 'Commentaire').fill('Préciser le calendrier de formation des enseignants.');
  await expectNoAxeViolations(ps, 'formulaire d’avis');
  await shot(ps, 'avis-sgar-formulaire');
  await ps.getByRole('button', { name: 'Enregistrer l’avis' }).click();
  const avisSgar = ps.getByTestId('avis');
  await expect(avisSgar).toContainText('Réservé — En cours');
  await expect(avisSgar).toContainText(`Avis donné par Utilisateur test`);
  await expect(avisSgar).toContainText(`le ${today()}`);
  await expect(ps.getByRole('heading', { name: 'Modifier votre avis' })).toBeVisible();
  await expect(ps.getByTestId('etat-attente')).toContainText('1 modification en attente');
  await shot(ps, 'avis-sgar-hors-ligne');

  // Back online: the avis leaves with the next sync.
  await ctxS.setOffline(false);
  await syncNow(ps);
  const auteur = (await avisSgar.textContent())!.match(/Avis donné par (Utilisateur test \d+)/)![1]!;

  // The agent reads it on the fiche, with who and when, and no form of their own.
  await syncNow(pa);
  await pa.getByRole('link', { name: 'Jardins scolaires' }).click();
  const avisAgent = pa.getByTestId('avis');
  await expect(avisAgent).toContainText('Réservé — En cours');
  await expect(avisAgent).toContainText('Préciser le calendrier de formation des enseignants.');
  await expect(avisAgent).toContainText(`Avis donné par ${auteur}, le ${today()}.`);
  await expect(avisAgent).not.toContainText(ANTERIEURE);
  await expect(pa.getByRole('button', { name: /Enregistrer l’avis/ })).toHaveCount(0);
  await expect(pa.getByText(CONSULTATION)).toHaveCount(0);
  await shot(pa, 'avis-agent-lecture');

  // The agent changes the fiche and sends it.
  await field(pa, 'Intitulé').fill('Jardins scolaires et cantines');
  await pa.getByRole('button', { name: 'Enregistrer la fiche-projet' }).click();
  await expect(pa.getByRole('link', { name: 'Jardins scolaires et cantines' })).toBeVisible();
  await syncNow(pa);
  await pa.getByRole('link', { name: 'Jardins scolaires et cantines' }).click();
  await expect(pa.getByTestId('avis')).toContainText(ANTERIEURE);
  await shot(pa, 'avis-agent-fiche-modifiee');

  // The SGAR, after a sync, sees the avis marked as concerning an earlier version of the fiche.
  await syncNow(ps);
  await expect(ps.getByRole('heading', { level: 1 })).toContainText('Jardins scolaires et cantines');
  await expect(avisSgar).toContainText(ANTERIEURE);
  await shot(ps, 'avis-sgar-version-anterieure');

  // Changing the avis renews it on the current version.
  await field(ps, 'Avis').selectOption({ label: 'Favorable' });
  await field(ps, 'Statut d’instruction').selectOption({ label: 'Instruit' });
  await ps.getByRole('button', { name: 'Enregistrer l’avis modifié' }).click();
  await expect(avisSgar).toContainText('Favorable — Instruit');
  await expect(avisSgar).not.toContainText(ANTERIEURE);
  await syncNow(ps);
  await ctxA.close();
  await ctxS.close();
});
