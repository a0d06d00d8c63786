// The service worker serves the page from its cache (a dead link must not delay the start) and
// refreshes it in the background: a new version shows on the next load, but only once every file of
// that version is cached, so an offline reload never gets a page whose scripts are missing.
import { appUrl, createUser, expect, login, test } from './support/fixtures';

test('nouvelle version : prise au chargement suivant, seulement quand tous ses fichiers sont en cache', async ({
  page,
  context,
}) => {
  await login(page, await createUser());
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  const base = appUrl();
  const page1 = await (await fetch(`${base}/`)).text();
  const manifest = (await (await fetch(`${base}/sw-manifest.json`)).json()) as { shell: string[]; all: string[] };
  // "Version 2" on the server: the page changes, and its manifest names one more file.
  const page2 = page1.replace('<head>', '<head><meta name="atlas-version" content="2" />');
  let missingFile = true;
  // The page as fetched by the service worker (Playwright sees the worker's own requests).
  await context.route(/\/(#.*)?$/, (r) => r.fulfill({ body: page2, contentType: 'text/html' }));
  await context.route('**/sw-manifest.json', (r) =>
    r.fulfill({ json: { ...manifest, all: [...manifest.all, 'assets/version-2.js'] } }),
  );
  await context.route('**/assets/version-2.js', (r) =>
    missingFile
      ? r.fulfill({ status: 404, body: '' })
      : r.fulfill({ body: 'export {};', contentType: 'text/javascript' }),
  );
  const version = () => page.locator('meta[name="atlas-version"]').count();

  await page.reload();
  await expect(page.getByTestId('etat-attente')).toHaveText('Tout est synchronisé', { timeout: 30_000 });
  expect(await version()).toBe(0); // served from the cache at once
  // One of its files cannot be fetched: the cached page stays the old one.
  await expect
    .poll(
      async () => {
        await page.reload();
        return version();
      },
      { timeout: 15_000 },
    )
    .toBe(0);
  // Every file can be cached: the next load is the new version.
  missingFile = false;
  await page.reload();
  await expect
    .poll(
      async () => {
        await page.reload();
        return version();
      },
      { timeout: 30_000 },
    )
    .toBe(1);
  await expect(page.getByTestId('etat-connexion')).toBeVisible();
});
