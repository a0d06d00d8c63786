// Issue 16, restore after a wiped disk, in Chromium with the real IndexedDB: an agent's edits made offline
// (a create, an update, a delete) are kept as a signed packet in the Origin Private File System; the app's
// IndexedDB database is deleted (the rest of the origin kept: the OPFS, the host's secrets); at the next
// login the app offers the changes it found, sends them (applied as the agent), then syncs. Every edit
// reaches the server exactly once, and the restored copy is the server's.
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from '@playwright/test';
import {
  addContact,
  appUrl,
  createUser,
  expect,
  expectCopyMatchesServer,
  expectNoAxeViolations,
  field,
  login,
  serverAudit,
  serverRecord,
  shot,
  syncNow,
  test,
  waitSynced,
  type E2EUser,
} from './support/fixtures';

/** The changes of the backup the app keeps in the OPFS for this account (read as the container lays them out). */
async function backupChanges(page: Page, account: string): Promise<{ id: string; op: string; record: string }[]> {
  return page.evaluate(async (name) => {
    try {
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('atlas-sauvegarde');
      const bytes = new Uint8Array(await (await (await dir.getFileHandle(name)).getFile()).arrayBuffer());
      const view = new DataView(bytes.buffer);
      const headerLength = view.getUint32(8);
      const signatureLength = view.getUint16(12 + headerLength);
      const body = bytes.subarray(12 + headerLength + 2 + signatureLength);
      const plain = new Blob([body]).stream().pipeThrough(new DecompressionStream('gzip'));
      return (JSON.parse(await new Response(plain).text()) as { changes: { id: string; op: string; record: string }[] })
        .changes;
    } catch {
      return [];
    }
  }, `${account}.atlas-modifs`);
}

/** Closes the app (still offline), comes back online and deletes its IndexedDB database, keeping the rest of the origin. */
async function wipeAppDatabase(page: Page, context: BrowserContext): Promise<void> {
  await page.goto('about:blank');
  await context.setOffline(false);
  await page.goto(`${appUrl()}/api/health`);
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const r = indexedDB.deleteDatabase('atlas-hors-ligne');
        r.onsuccess = () => resolve();
        r.onerror = () => reject(new Error('deleteDatabase failed'));
      }),
  );
  expect((await page.evaluate(() => indexedDB.databases())).map((d) => d.name)).not.toContain('atlas-hors-ligne');
}

async function loginAgain(page: Page, user: E2EUser): Promise<void> {
  await page.goto(`${appUrl()}/#/`);
  await page.getByLabel('Adresse électronique').fill(user.email);
  await page.getByLabel('Mot de passe').fill(user.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

test('restauration : modifications hors ligne, base IndexedDB effacée, retrouvées à la connexion et appliquées une fois', async ({
  page,
  context,
}) => {
  test.setTimeout(180_000);
  const agent = await createUser();
  await login(page, agent);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  const kept = await addContact(page, 'Nolwenn', 'Kerhervé');
  const gone = await addContact(page, 'Erwan', 'Le Du');
  await syncNow(page);
  expect((await serverRecord('contact', kept))?.deleted).toBe(false);

  // Offline: a create, an update, a delete.
  await context.setOffline(true);
  const created = await addContact(page, 'Soizic', 'Tanguy');
  await page
    .getByRole('row')
    .filter({ hasText: 'Nolwenn Kerhervé' })
    .getByRole('link', { name: /Modifier/ })
    .click();
  await field(page, 'Titre / fonction').fill('Adjointe à la coopération');
  await field(page, 'Téléphone').fill('02 99 00 00 00');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('row').filter({ hasText: '02 99 00 00 00' })).toBeVisible();
  await page
    .getByRole('row')
    .filter({ hasText: 'Erwan Le Du' })
    .getByRole('button', { name: /Supprimer/ })
    .click();
  await expect(page.getByRole('row').filter({ hasText: 'Erwan Le Du' })).toHaveCount(0);
  await expect(page.getByTestId('etat-attente')).toContainText('3 modifications en attente');

  // The backup follows the outbox (the delete joins it once its undo time is over).
  await expect
    .poll(async () => (await backupChanges(page, agent.id)).map((c) => `${c.op}:${c.record}`).sort(), {
      timeout: 40_000,
      intervals: [1_000],
    })
    .toEqual([`create:${created}`, `delete:${gone}`, `update:${kept}`].sort());
  const changeIds = (await backupChanges(page, agent.id)).map((c) => c.id);
  expect(await serverRecord('contact', created)).toBeNull();

  // The disk is repaired: the app's IndexedDB database is gone; the rest of the origin stays. (The app is
  // closed first, still offline: back online it would sync them at once.)
  await wipeAppDatabase(page, context);
  expect(await backupChanges(page, agent.id)).toHaveLength(3);

  // Restart and log in: the changes found are offered before the first sync.
  await loginAgain(page, agent);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Modifications retrouvées');
  await expect(page.getByTestId('restauration-question')).toHaveText(
    /^3 modifications non synchronisées du \d\d\/\d\d\/\d{4} à \d\d:\d\d ont été retrouvées sur cet ordinateur\. Les envoyer au serveur \?$/,
  );
  await expect(page.getByRole('button', { name: 'Mettre de côté' })).toBeVisible();
  await shot(page, 'restauration-1-offre');
  await expectNoAxeViolations(page, 'restauration, offre (clair)');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-fr-theme', 'dark');
  await expectNoAxeViolations(page, 'restauration, offre (sombre)');
  await shot(page, 'restauration-1-offre-sombre');
  await page.emulateMedia({ colorScheme: 'light' });

  await page.getByRole('button', { name: 'Envoyer au serveur' }).click();
  const summary = page.getByTestId('paquet-resume');
  await expect(summary).toContainText('Modifications envoyées au serveur');
  await expect(summary).toContainText('3 appliquées');
  await shot(page, 'restauration-2-envoyees');
  await expectNoAxeViolations(page, 'restauration, résumé');
  await page.getByRole('button', { name: 'Continuer' }).click();
  await waitSynced(page);

  // The server has every edit, field by field.
  expect(await serverRecord('contact', created)).toMatchObject({
    prenom: 'Soizic',
    nom: 'Tanguy',
    fonction: 'Maire',
    courriel: 'soizic@mairie-exemple.fr',
    collectiviteId: agent.collectiviteId,
    deleted: false,
  });
  expect(await serverRecord('contact', kept)).toMatchObject({
    prenom: 'Nolwenn',
    nom: 'Kerhervé',
    fonction: 'Adjointe à la coopération',
    telephone: '02 99 00 00 00',
    deleted: false,
  });
  expect(await serverRecord('contact', gone)).toMatchObject({ deleted: true });
  // Once each: every change id of the backup has one revision in the audit, written as the agent; the
  // records have no other change since the two creations synced before.
  const { audit, carried } = await serverAudit([created, kept, gone]);
  const revsOf = (id: string) => new Set(audit.filter((a) => a.change_id === id).map((a) => String(a.rev)));
  for (const id of changeIds) expect(revsOf(id).size, `révisions de ${id}`).toBe(1);
  expect(new Set(audit.map((a) => a.change_id)).size).toBe(5);
  expect(new Set(audit.map((a) => a.user_id))).toEqual(new Set([agent.id]));
  expect(carried).toEqual([]);
  // The backup is cleared; the restored copy is the server's.
  await expect.poll(async () => (await backupChanges(page, agent.id)).length).toBe(0);
  await page.getByRole('link', { name: 'Élus et cadres' }).first().click();
  await expect(page.getByRole('row').filter({ hasText: '02 99 00 00 00' })).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: 'Soizic Tanguy' })).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: 'Erwan Le Du' })).toHaveCount(0);
  await expectCopyMatchesServer(page);

  // Nothing offered again at the next start.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('Modifications retrouvées');
  await waitSynced(page);
});

test('restauration : « Mettre de côté » garde les modifications dans un fichier, importable ensuite', async ({
  page,
  context,
}) => {
  test.setTimeout(150_000);
  const agent = await createUser();
  await login(page, agent);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await context.setOffline(true);
  const created = await addContact(page, 'Goulven', 'Riou');
  await expect.poll(async () => (await backupChanges(page, agent.id)).length, { timeout: 30_000 }).toBe(1);
  await wipeAppDatabase(page, context);
  await loginAgain(page, agent);
  await expect(page.getByTestId('restauration-question')).toHaveText(
    /^1 modification non synchronisée du .+ a été retrouvée sur cet ordinateur\. L’envoyer au serveur \?$/,
  );

  // Set aside: saved as a file first (a download here), then the app goes on; nothing sent.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Mettre de côté' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^modifications-retrouvees-\d{4}-\d\d-\d\d\.atlas-modifs$/);
  await waitSynced(page);
  expect(await serverRecord('contact', created)).toBeNull();
  await expect.poll(async () => (await backupChanges(page, agent.id)).length).toBe(0);

  // The file kept is a packet like any other: imported from the synchronisation screen, applied once.
  await page.getByRole('link', { name: 'Synchronisation', exact: true }).first().click();
  await page.getByLabel('Importer un paquet de modifications').setInputFiles({
    name: file.suggestedFilename(),
    mimeType: 'application/octet-stream',
    buffer: readFileSync((await file.path())!),
  });
  await expect(page.getByTestId('paquet-resume')).toContainText('1 appliquée');
  expect(await serverRecord('contact', created)).toMatchObject({ prenom: 'Goulven', nom: 'Riou', deleted: false });
});
