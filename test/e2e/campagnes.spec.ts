// Issue 15: the update campaigns. The DAECT creates a campaign and changes its dates (a FUTURE year, 2035,
// whose dates exclude today: it must not become the current campaign of the server the other specs share),
// and reads a past campaign; the SGAR reads them; the agent sees the days left, then — the browser's clock
// moved to the closing day, then past it — the last day, then the campaign closed and no way to attest.
import type { Page } from '@playwright/test';
import type { Campagne } from '../../src-shared/domain/campagne';
import { jourEnFrance, jourEnLettres, phraseDelai } from '../../src-shared/domain/campagneEtat';
import { naturalId } from '../../src-shared/sync/ids';
import {
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
  waitSynced,
  type E2EUser,
} from './support/fixtures';

const FUTURE = 2035;

/** Logs in an SGAR or the DAECT (no collectivité: its dashboard comes first). */
async function loginState(page: Page, user: E2EUser) {
  await page.goto(`${appUrl()}/#/`);
  await page.getByLabel(/^Adresse électronique/).fill(user.email);
  await page.getByLabel(/^Mot de passe/).fill(user.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Tableau de bord (national|régional)/, {
    timeout: 30_000,
  });
  await waitSynced(page);
}

/** The current campaign as the server holds it (the seed's: this year's, open today). */
async function currentCampaign(): Promise<Campagne> {
  const annee = Number(jourEnFrance(new Date()).slice(0, 4));
  const row = await serverRecord('campagne', naturalId('campagne', [annee]));
  expect(row, `campagne ${annee} sur le serveur`).not.toBeNull();
  return {
    id: String(row!.id),
    annee,
    dateOuverture: String(row!.dateOuverture),
    dateCloture: String(row!.dateCloture),
  };
}

async function axeBothThemes(page: Page, label: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect(page.locator('html')).toHaveAttribute('data-fr-theme', scheme);
    await expectNoAxeViolations(page, `${label} (${scheme})`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

test('DAECT : crée une campagne, change ses dates, la voit dans la liste ; une campagne passée en lecture seule', async ({
  page,
}) => {
  // Five screens checked by axe in two themes, two syncs: more than the default minute on a busy machine.
  test.setTimeout(180_000);
  const current = await currentCampaign();
  await loginState(page, await createUser({ role: 'daect' }));
  await page.getByRole('link', { name: 'Campagnes', exact: true }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Campagnes de mise à jour');
  const list = page.getByTestId('liste-campagnes');
  await expect(list.getByTestId(`campagne-${current.annee}`)).toContainText('Ouverte');
  await expect(list.getByTestId(`campagne-${current.annee - 1}`)).toContainText('Close');
  await axeBothThemes(page, 'liste des campagnes');
  await shot(page, 'campagnes-liste');

  // A new campaign: the year proposed is the next one; the DAECT types a later one and its dates.
  await page.getByRole('button', { name: /^Créer la campagne \d{4}$/ }).click();
  await expect(field(page, 'Année')).toHaveValue(/^\d{4}$/);
  await field(page, 'Année').fill(String(FUTURE));
  await field(page, 'Date d’ouverture').fill(`${FUTURE}-03-01`);
  await field(page, 'Date de clôture').fill(`${FUTURE}-02-01`);
  await page.getByRole('button', { name: 'Créer la campagne', exact: true }).click();
  await expect(
    page.getByText("« Date de clôture » doit être postérieure à la date d'ouverture.").first(),
  ).toBeVisible();
  await axeBothThemes(page, 'nouvelle campagne, erreurs');
  await shot(page, 'campagnes-nouvelle-erreurs');
  await field(page, 'Date de clôture').fill(`${FUTURE}-06-30`);
  await page.getByRole('button', { name: 'Créer la campagne', exact: true }).click();
  const row = list.getByTestId(`campagne-${FUTURE}`);
  await expect(row).toContainText('À venir');
  await expect(row.getByRole('link', { name: `Campagne ${FUTURE}` })).toBeFocused();
  await expect(row).toContainText('01/03/2035');
  await syncNow(page);
  expect(await serverRecord('campagne', naturalId('campagne', [FUTURE]))).toMatchObject({
    annee: FUTURE,
    dateOuverture: `${FUTURE}-03-01`,
    dateCloture: `${FUTURE}-06-30`,
  });

  // Its page: change its dates (nothing to close: it is not open).
  await row.getByRole('link', { name: `Campagne ${FUTURE}` }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Campagne ${FUTURE}`);
  await expect(page.getByTestId('etat-campagne')).toHaveText('À venir');
  await expect(page.getByRole('button', { name: 'Clôturer la campagne' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Modifier les dates' }).click();
  await field(page, 'Date de clôture').fill(`${FUTURE}-07-15`);
  await axeBothThemes(page, 'dates d’une campagne');
  await page.getByRole('button', { name: 'Enregistrer les dates' }).click();
  await expect(page.getByTestId('dates-campagne')).toContainText('clôture le 15 juillet 2035');
  await expect(page.getByRole('button', { name: 'Modifier les dates' })).toBeFocused();
  await syncNow(page);
  expect(await serverRecord('campagne', naturalId('campagne', [FUTURE]))).toMatchObject({
    dateCloture: `${FUTURE}-07-15`,
  });
  await page.getByRole('link', { name: 'Campagnes', exact: true }).first().click();
  await expect(list.getByTestId(`campagne-${FUTURE}`)).toContainText('15/07/2035');

  // The open campaign: closing asks first (a DSFR modal); cancelled, nothing changes. (Closing it for real
  // would end the campaign the other specs attest in; the closing date it sets is tested in
  // campagne-etat.test.ts, its effect on the server in campagne-cloture.test.ts.)
  await list.getByRole('link', { name: `Campagne ${current.annee}` }).click();
  await expect(page.getByTestId('etat-campagne')).toHaveText('Ouverte');
  await page.getByRole('button', { name: 'Clôturer la campagne' }).click();
  const dialog = page.getByRole('dialog', { name: `Clôturer la campagne ${current.annee} ?` });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Les attestations faites aujourd’hui restent valables');
  await expectNoAxeViolations(page, 'confirmation de clôture');
  await shot(page, 'campagne-cloture-confirmation');
  await dialog.getByRole('button', { name: 'Annuler' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('dates-campagne')).toContainText(`clôture le ${jourEnLettres(current.dateCloture)}`);
  await expect(page.getByTestId('bilan-campagne')).toContainText(/Sur les [\d  ]+ collectivités de votre périmètre/);
  await axeBothThemes(page, 'campagne ouverte');
  await shot(page, 'campagne-ouverte');

  // A past campaign: read only, with its attestations per part.
  await page.getByRole('link', { name: 'Campagnes', exact: true }).first().click();
  await list.getByRole('link', { name: `Campagne ${current.annee - 1}` }).click();
  await expect(page.getByTestId('etat-campagne')).toHaveText('Close');
  await expect(page.getByTestId('lecture-seule')).toHaveText('Campagne passée : consultation seule.');
  await expect(page.getByRole('button', { name: 'Modifier les dates' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Clôturer la campagne' })).toHaveCount(0);
  await expect(page.getByTestId('attestations-par-partie').getByRole('row')).toHaveCount(6);
  await expect(page.getByTestId('campagne-collectivites-nombre')).toContainText('collectivités');
  await axeBothThemes(page, 'campagne passée');
  await shot(page, 'campagne-passee');
});

test('SGAR : les campagnes en lecture seule', async ({ page }) => {
  await loginState(page, await createUser({ role: 'sgar', region: '53' }));
  await page.getByRole('link', { name: 'Campagnes', exact: true }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Campagnes de mise à jour');
  await expect(page.getByRole('button', { name: /Créer la campagne/ })).toHaveCount(0);
  const current = await currentCampaign();
  await page.getByRole('link', { name: `Campagne ${current.annee}` }).click();
  await expect(page.getByTestId('lecture-seule')).toContainText('Consultation seule');
  await expect(page.getByRole('button', { name: 'Modifier les dates' })).toHaveCount(0);
});

test('agent : les jours restants ; l’horloge au jour de clôture puis après, la campagne close et plus d’attestation', async ({
  page,
  browser,
}) => {
  const current = await currentCampaign();
  const agent = await createUser();
  await login(page, agent);
  await expect(page.getByRole('link', { name: 'Campagnes', exact: true })).toHaveCount(0);
  await expect(page.getByTestId('delai-campagne')).toHaveText(phraseDelai(current, jourEnFrance(new Date())));
  await expect(page.getByTestId('delai-campagne')).toContainText(
    `pour attester vos pages (clôture le ${jourEnLettres(current.dateCloture)})`,
  );
  const contacts = page.getByTestId('partie-contacts');
  await contacts.getByRole('button', { name: /J’ai vérifié cette partie/ }).click();
  await expect(contacts.getByTestId('etat-partie')).toContainText('Vérifiée le');
  await syncNow(page);

  // The DAECT finds the agent's collectivité partly up to date in the campaign, with the part's attestation.
  const daectCtx = await browser.newContext();
  const dp = await daectCtx.newPage();
  await loginState(dp, await createUser({ role: 'daect' }));
  await dp.goto(`${appUrl()}/#/campagnes/${current.annee}`);
  await dp.getByLabel(/^Rechercher une collectivité/).fill(agent.collectiviteCode!.split(':')[1]!);
  await expect(dp.getByTestId('campagne-collectivites-nombre')).toContainText('1 collectivité sur');
  const line = dp.getByTestId('campagne-collectivites').getByRole('row').nth(1);
  await expect(line).toContainText('Partiellement à jour');
  await expect(line).toContainText('par Utilisateur test');
  await dp.getByLabel('État de la collectivité').selectOption({ label: 'Partiellement à jour' });
  await expect(dp.getByTestId('campagne-collectivites-nombre')).toContainText('1 collectivité sur');
  await shot(dp, 'campagne-collectivites');
  await daectCtx.close();

  // The closing day: the last one.
  await page.clock.setFixedTime(new Date(`${current.dateCloture}T10:00:00Z`));
  await page.reload();
  await expect(page.getByTestId('delai-campagne')).toHaveText(
    `C’est le dernier jour pour attester vos pages (clôture ce soir, ${jourEnLettres(current.dateCloture)}).`,
  );
  await expect(page.getByRole('button', { name: /J’ai vérifié cette partie/ })).toHaveCount(5);

  // The day after: closed, no attestation button, a sentence instead.
  await page.clock.setFixedTime(new Date(`${dayAfter(current.dateCloture)}T10:00:00Z`));
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Campagne de mise à jour ${current.annee}`);
  await expect(page.getByTestId('delai-campagne')).toContainText(
    `La campagne ${current.annee} est close depuis le ${jourEnLettres(current.dateCloture)}.`,
  );
  await expect(page.getByTestId('delai-campagne')).toContainText('Les attestations ne sont plus acceptées.');
  await expect(page.getByRole('button', { name: /J’ai vérifié cette partie/ })).toHaveCount(0);
  await expect(page.getByTestId('attestation-fermee')).toHaveCount(5);
  await expect(page.getByTestId('attestation-fermee').first()).toHaveText(
    `Campagne ${current.annee} close : cette partie ne peut plus être attestée.`,
  );
  await axeBothThemes(page, 'tableau de bord, campagne close');
  await shot(page, 'tableau-de-bord-campagne-close');
});
