// The account list (« Tous les comptes », below the pending requests): the DAECT and the SGAR of the
// région find an account with its state, role, collectivité (name and code), région and last sync; the
// count follows the search and the filters; the sort by last sync puts the account that synced first;
// more than 50 accounts come by pages;
// the SGAR does not see an agent of another région. axe in both themes. Disabling an account and its
// effect on the open session: comptes-desactivation.spec.ts.
import type { Page } from '@playwright/test';
import {
  appUrl,
  createUser,
  expect,
  expectNoAxeViolations,
  login,
  serverRecord,
  shot,
  test,
  waitSynced,
  type E2EUser,
} from './support/fixtures';

async function openAccounts(page: Page, user: E2EUser): Promise<void> {
  await page.goto(`${appUrl()}/#/`);
  await page.getByLabel('Adresse électronique').fill(user.email);
  await page.getByLabel('Mot de passe').fill(user.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Tableau de bord (national|régional)/, {
    timeout: 30_000,
  });
  await waitSynced(page);
  await page.getByRole('link', { name: 'Demandes de compte' }).first().click();
  await expect(page.getByRole('heading', { level: 2, name: 'Tous les comptes' })).toBeVisible();
  await expect(page.getByTestId('comptes-compte')).toBeVisible();
}

async function search(page: Page, q: string): Promise<void> {
  await page.getByLabel('Rechercher un compte (nom, adresse électronique ou collectivité)').fill(q);
  await page.getByRole('button', { name: 'Rechercher un compte' }).click();
}

const minute = /^\d{2}\/\d{2}\/\d{4} à \d{2}:\d{2}$/;
/** `03/12/2026 à 14:05` (the screen's format, in the browser's time zone) → milliseconds. */
const parseShown = (page: Page, t: string) =>
  page.evaluate((text) => {
    const m = /^(\d{2})\/(\d{2})\/(\d{4}) à (\d{2}):(\d{2})$/.exec(text.trim())!;
    return new Date(Number(m[3]), Number(m[2]) - 1, Number(m[1]), Number(m[4]), Number(m[5])).getTime();
  }, t);

test('la DAECT et le SGAR trouvent un compte dans la liste : état, rôle, collectivité, dernière synchronisation', async ({
  browser,
}) => {
  test.setTimeout(240_000); // three people in three browsers on a shared machine
  const t0 = Date.now();
  // Two agents of a fresh Breton commune: one logs in and syncs, the other never does.
  const synced = await createUser({ collectiviteCode: 'fresh' });
  const never = await createUser({ collectiviteCode: synced.collectiviteCode! });
  const lyon = await createUser({ collectiviteCode: 'commune:69123' });
  const collectivite = (await serverRecord('collectivite', synced.collectiviteId!))!;
  const region = String(collectivite.region);
  const daectUser = await createUser({ role: 'daect' });
  const sgarUser = await createUser({ role: 'sgar', region });

  const agentCtx = await browser.newContext();
  await login(await agentCtx.newPage(), synced);
  await agentCtx.close();

  // The DAECT: the agent, found by its address, with what the list says of it.
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await openAccounts(page, daectUser);
  await search(page, synced.email);
  await expect(page.getByTestId('comptes-compte')).toHaveText('1 compte correspondant à la recherche et aux filtres.');
  const row = page.getByTestId(`compte-${synced.id}`);
  await expect(row).toContainText(synced.email);
  await expect(row.getByRole('cell').nth(0)).toHaveText('Agent');
  await expect(row.getByRole('cell').nth(1)).toContainText(String(collectivite.nom));
  await expect(row.getByRole('cell').nth(1)).toContainText(`code ${synced.collectiviteCode}`);
  await expect(row.getByRole('cell').nth(1)).toContainText('Bretagne');
  await expect(row.getByRole('cell').nth(2)).toHaveText('Approuvé');
  await expect(row.getByRole('cell').nth(3)).toHaveText(minute); // created
  const lastSync = row.getByRole('cell').nth(4);
  await expect(lastSync).toHaveText(minute);
  const shown = await parseShown(page, await lastSync.innerText());
  expect(shown).toBeGreaterThanOrEqual(Math.floor(t0 / 60_000) * 60_000);
  expect(shown).toBeLessThanOrEqual(Date.now());
  await expect(row.getByRole('button', { name: /^Désactiver le compte de / })).toBeVisible();

  // By collectivité code: both agents; sorted by last sync, most recent first, the one that never synced last.
  await search(page, synced.collectiviteCode!);
  await expect(page.getByTestId('comptes-compte')).toHaveText('2 comptes correspondant à la recherche et aux filtres.');
  await page.getByLabel('Trier par', { exact: true }).selectOption('synchro');
  await page.getByLabel('Ordre', { exact: true }).selectOption('desc');
  const rows = page.getByTestId('comptes-geres').locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toHaveAttribute('data-testid', `compte-${synced.id}`);
  await expect(rows.nth(1)).toHaveAttribute('data-testid', `compte-${never.id}`);
  await expect(rows.nth(1).getByRole('cell').nth(4)).toHaveText('Jamais');
  await expect(page.getByRole('columnheader', { name: 'Dernière synchronisation' })).toHaveAttribute(
    'aria-sort',
    'descending',
  );
  // Filtered by state and role: no refused agent here; then every role, approved: both.
  await page.getByLabel('État', { exact: true }).selectOption('refuse');
  await expect(page.getByTestId('comptes-compte')).toHaveText(
    'Aucun compte ne correspond à la recherche et aux filtres.',
  );
  await page.getByLabel('État', { exact: true }).selectOption('approuve');
  await page.getByLabel('Rôle', { exact: true }).selectOption('agent');
  await expect(rows).toHaveCount(2);
  await expectNoAxeViolations(page, 'liste des comptes (clair)');
  await shot(page, 'comptes-liste-daect');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-fr-theme', 'dark');
  await expectNoAxeViolations(page, 'liste des comptes (sombre)');
  await shot(page, 'comptes-liste-daect-sombre');
  await page.emulateMedia({ colorScheme: 'light' });

  // Pages of 50, cut by the server: 50 more agents of the commune make 52 accounts, two pages.
  for (let i = 0; i < 5; i++)
    await Promise.all(Array.from({ length: 10 }, () => createUser({ collectiviteCode: synced.collectiviteCode! })));
  await page.getByLabel('Trier par', { exact: true }).selectOption('nom');
  await page.getByLabel('Ordre', { exact: true }).selectOption('asc');
  await search(page, synced.collectiviteCode!);
  await expect(page.getByTestId('comptes-compte')).toHaveText(
    '52 comptes correspondant à la recherche et aux filtres ; affichés : 1 à 50.',
  );
  await expect(rows).toHaveCount(50);
  const pager = page.getByRole('navigation', { name: 'Pages de la liste des comptes' });
  await expect(pager).toContainText('Page 1 sur 2');
  await expect(pager.getByRole('button', { name: 'Page précédente' })).toBeDisabled();
  const first = await rows.nth(0).getAttribute('data-testid');
  await pager.getByRole('button', { name: 'Page suivante' }).click();
  await expect(page.getByTestId('comptes-compte')).toHaveText(
    '52 comptes correspondant à la recherche et aux filtres ; affichés : 51 à 52.',
  );
  await expect(rows).toHaveCount(2);
  await expect(pager).toContainText('Page 2 sur 2');
  await expect(pager.getByRole('button', { name: 'Page suivante' })).toBeDisabled();
  await expect(rows.nth(0)).not.toHaveAttribute('data-testid', first!);
  await expectNoAxeViolations(page, 'liste des comptes, page 2');
  await shot(page, 'comptes-liste-pages');
  await pager.getByRole('button', { name: 'Première page' }).click();
  await expect(rows.nth(0)).toHaveAttribute('data-testid', first!);

  await page.getByRole('button', { name: 'Effacer la recherche et les filtres' }).click();
  await expect(page.getByTestId('comptes-compte')).toHaveText(/^\d[\d\s\u202f]* comptes/);
  await ctx.close();

  // The SGAR of the région: the agent is there; an agent of Lyon is not.
  const sgarCtx = await browser.newContext();
  const sgar = await sgarCtx.newPage();
  await openAccounts(sgar, sgarUser);
  await search(sgar, synced.email);
  const sgarRow = sgar.getByTestId(`compte-${synced.id}`);
  await expect(sgarRow.getByRole('cell').nth(2)).toHaveText('Approuvé');
  await expect(sgarRow.getByRole('cell').nth(4)).toHaveText(minute);
  await expect(sgarRow.getByRole('button', { name: /^Désactiver le compte de / })).toBeVisible();
  await search(sgar, lyon.email);
  await expect(sgar.getByTestId('comptes-compte')).toHaveText(
    'Aucun compte ne correspond à la recherche et aux filtres.',
  );
  // Its own account: listed, without action.
  await search(sgar, sgarUser.email);
  await expect(sgar.getByTestId(`compte-${sgarUser.id}`)).toContainText('Votre compte');
  await sgar.emulateMedia({ colorScheme: 'dark' });
  await expect(sgar.locator('html')).toHaveAttribute('data-fr-theme', 'dark');
  await expectNoAxeViolations(sgar, 'liste des comptes du SGAR (sombre)');
  await shot(sgar, 'comptes-liste-sgar-sombre');
  await sgarCtx.close();
});
