// Both roles (issue 15): the collectivité chooser lists every collectivité of the SGAR's région, counted
// like the server counts them and found by name or région name; the first sync is a clear waiting
// state, and no screen says « Aucune campagne » or « À vérifier » before the copy is complete.
import type { Page } from '@playwright/test';
import {
  appUrl,
  createUser,
  expect,
  expectNoAxeViolations,
  regionCollectivites,
  shot,
  syncNow,
  test,
  waitSynced,
  type E2EUser,
} from './support/fixtures';

/**
 * Slows the sync down so a person (and the test) can watch the first one: each request waits `delayMs`,
 * and asks for pages of `limit` records (plain JSON bodies; a compressed one goes as it is).
 */
async function slowSync(page: Page, limit: number, delayMs: number): Promise<void> {
  await page.route('**/api/v1/sync', async (route) => {
    const req = route.request();
    const raw = req.headers()['content-encoding'] ? null : req.postData();
    const body = raw ? (JSON.parse(raw) as { limit?: number }) : null;
    if (body) body.limit = limit;
    await new Promise((r) => setTimeout(r, delayMs));
    await route.continue(body ? { postData: JSON.stringify(body) } : {});
  });
}

/** Records, on every change of the page, the texts no screen may show before the copy is complete. */
async function watchEarlyTexts(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __early: string[] };
    w.__early = [];
    const check = () => {
      const text = document.body?.textContent ?? '';
      const h1 = document.querySelector('main h1')?.textContent ?? '';
      if (text.includes('Aucune campagne')) w.__early.push(`« Aucune campagne » sous « ${h1} »`);
      if (text.includes('À vérifier') && !/Campagne de mise à jour/.test(h1))
        w.__early.push(`« À vérifier » sous « ${h1} »`);
      if (/\b0 collectivité/.test(text)) w.__early.push(`« 0 collectivité » sous « ${h1} »`);
    };
    new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
  });
}

async function fillLogin(page: Page, user: E2EUser): Promise<void> {
  await page.goto(`${appUrl()}/#/`);
  await page.getByLabel(/^Adresse électronique/).fill(user.email);
  await page.getByLabel(/^Mot de passe/).fill(user.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

test('SGAR de Bretagne : toutes les collectivités de la région, comptées comme sur le serveur, cherchées par nom et par région', async ({
  page,
}) => {
  test.setTimeout(120_000);
  // More than a screenful: the chooser used to stop at 100 without saying so.
  const total = await regionCollectivites('53', 160);
  expect(total).toBeGreaterThan(160);
  expect(total).toBeLessThan(1_000); // written without a thousands separator below
  const user = await createUser({ role: 'sgar', region: '53' });
  await watchEarlyTexts(page);
  await slowSync(page, 40, 400);
  await fillLogin(page, user);

  // The first sync: its progress, counted against what the server says remains.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Première synchronisation');
  await expect(page.locator('#premiere-synchro-texte')).toHaveText(
    /^Première synchronisation : \d+ enregistrements sur \d+…$/,
    { timeout: 15_000 },
  );
  await expect(page.locator('#premiere-synchro-texte')).toHaveAttribute('role', 'status');
  // Said once: the status bar's copy of the progress is not a live region meanwhile.
  await expect(page.getByTestId('progression-barre').getByRole('status')).toHaveCount(0);
  await shot(page, 'choix-collectivite-1-premiere-synchro');

  // The SGAR's home is its région's dashboard; the chooser is one click away.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tableau de bord régional — Bretagne', {
    timeout: 60_000,
  });
  await waitSynced(page);
  await page.unroute('**/api/v1/sync');
  expect(await page.evaluate(() => (window as unknown as { __early: string[] }).__early)).toEqual([]);
  await page.getByRole('button', { name: 'Changer de collectivité' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Choisir une collectivité');

  // Every collectivité of the région, as the server counts them; the first 100 shown, and it is said.
  // Other specs on the shared server may add a collectivité of the région meanwhile (an approved account
  // request): the device's count is compared with the server's as both stand after a sync.
  const count = page.getByTestId('choix-nombre');
  let now = total;
  await expect(async () => {
    now = await regionCollectivites('53');
    if ((await count.textContent()) !== `${now} collectivités ; les 100 premières sont affichées.`) await syncNow(page);
    now = await regionCollectivites('53');
    await expect(count).toHaveText(`${now} collectivités ; les 100 premières sont affichées.`, { timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  expect(now).toBeGreaterThanOrEqual(total);
  const buttons = page.getByRole('list', { name: 'Collectivités' }).getByRole('button');
  await expect(buttons).toHaveCount(100);
  // The région by its name, never by its code.
  await expect(page.getByText(/connecté en tant que .* \(région Bretagne\)/)).toBeVisible();
  await expect(page.getByText('région 53')).toHaveCount(0);
  await expect(buttons.first()).toContainText(/Bretagne\)$/);
  await expectNoAxeViolations(page, 'choix de collectivité (toute la région)');
  await shot(page, 'choix-collectivite-2-toute-la-region');

  await page.getByRole('button', { name: /^Afficher plus/ }).click();
  await expect(buttons).toHaveCount(Math.min(200, now));
  await expect(buttons.nth(100)).toBeFocused();
  await shot(page, 'choix-collectivite-3-afficher-plus');

  // Part of a name.
  const search = page.getByLabel(/^Rechercher une collectivité/);
  await search.fill('brieuc');
  await expect(count).toHaveText(new RegExp(`^\\d+ collectivités? sur ${now} correspond(ent)?\\.$`));
  await expect(page.getByRole('button', { name: /^Saint-Brieuc — Commune/ })).toBeVisible();
  await shot(page, 'choix-collectivite-4-brieuc');
  await search.fill('st-brieuc');
  await expect(page.getByRole('button', { name: /^Saint-Brieuc — Commune/ })).toBeVisible();

  // The région's name, whatever the case and accents: every collectivité of Bretagne.
  await search.fill('BRETAGNE');
  await expect(count).toHaveText(`${now} collectivités sur ${now} correspondent ; les 100 premières sont affichées.`);
  await expectNoAxeViolations(page, 'choix de collectivité (recherche « bretagne »)');
  await shot(page, 'choix-collectivite-5-bretagne');

  await search.fill('île-de-france');
  await expect(count).toHaveText(`Aucune collectivité sur ${now} ne correspond.`);
  await shot(page, 'choix-collectivite-6-aucune');

  await search.fill('saint brieuc');
  await page.getByRole('button', { name: /^Saint-Brieuc — Commune/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Campagne de mise à jour/);
  await shot(page, 'choix-collectivite-7-saint-brieuc');
});

test('première connexion d’un agent : la synchronisation se voit, le tableau de bord l’attend, jamais « Aucune campagne »', async ({
  page,
}) => {
  const user = await createUser();
  await watchEarlyTexts(page);
  // Pages of 10 records (the agent's scope is its collectivité, the campaigns and the 38 reference entries): several
  // pages, each slowed, so the waiting screen is seen.
  await slowSync(page, 10, 700);
  await fillLogin(page, user);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Première synchronisation');
  await expect(page.locator('#premiere-synchro-texte')).toHaveText(/^Première synchronisation : /);
  await expect(page.getByTestId('partie-contacts')).toHaveCount(0);
  await shot(page, 'premiere-synchro-agent-1-attente');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Campagne de mise à jour/, { timeout: 30_000 });
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  await expect(page.getByTestId('partie-contacts')).toContainText('À vérifier');
  await waitSynced(page);
  await shot(page, 'premiere-synchro-agent-2-tableau-de-bord');
  expect(await page.evaluate(() => (window as unknown as { __early: string[] }).__early)).toEqual([]);

  // A reload of a complete copy does not wait again.
  await page.unroute('**/api/v1/sync');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Campagne de mise à jour/);
  expect(await page.evaluate(() => (window as unknown as { __early: string[] }).__early)).toEqual([]);
});
