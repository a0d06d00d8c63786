// Issue 16, the server's upload page for people with only a browser (« Déposer un paquet de modifications »,
// #/deposer): a commune's agent, offline, saves its packet; the SGAR of its région, on a fresh browser with
// no copy of anything, logs in on that page only and deposits it: applied once as the agent, the SGAR named
// as its carrier; deposited again: « déjà connue »; an SGAR of another région is refused in French; the
// commune's own sync then learns the results and applies nothing twice.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import {
  addPendingElu,
  appUrl,
  createUser,
  expect,
  expectNoAxeViolations,
  goOffline,
  login,
  serverAudit,
  savePacket,
  serverRecord,
  shot,
  syncNow,
  test,
  waitSynced,
  type E2EUser,
} from './support/fixtures';

async function depotLogin(page: Page, user: E2EUser): Promise<void> {
  await page.getByLabel('Adresse électronique').fill(user.email);
  await page.getByLabel('Mot de passe').fill(user.password);
  await page.getByRole('button', { name: 'Se connecter pour déposer' }).click();
  await expect(page.getByTestId('depot-compte')).toContainText(user.email);
}

/** Records the offline copy of this browser holds (none expected: the page copies nothing). */
async function localRecords(page: Page): Promise<number> {
  return page.evaluate(async () => {
    if (!(await indexedDB.databases()).some((d) => d.name === 'atlas-hors-ligne')) return 0;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('atlas-hors-ligne');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const stores = ['packs', 'loose', 'outbox'].filter((s) => db.objectStoreNames.contains(s));
    let n = 0;
    for (const s of stores)
      n += await new Promise<number>((resolve) => {
        const r = db.transaction(s).objectStore(s).count();
        r.onsuccess = () => resolve(r.result);
      });
    db.close();
    return n;
  });
}

test('page de dépôt : le paquet d’une commune déposé par son SGAR depuis un navigateur sans copie', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const agent = await createUser();
  const sgar = await createUser({ role: 'sgar', region: '53' });
  const otherSgar = await createUser({ role: 'sgar', region: '84' });

  // The town hall, offline: two edits, saved in a packet.
  const ctxA = await browser.newContext();
  const pa = await ctxA.newPage();
  await login(pa, agent);
  await goOffline(pa);
  const id = await addPendingElu(pa, {
    prenom: 'Maëlle',
    nom: 'Guével',
    titre: 'Conseillère déléguée aux jumelages',
    courriel: 'maelle.guevel@mairie-exemple.fr',
  });
  const file = await savePacket(pa);
  const bytes = readFileSync((await file.path())!);
  const packet = { name: file.suggestedFilename(), mimeType: 'application/octet-stream', buffer: bytes };
  const changeIds = await pa.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const r = indexedDB.open('atlas-hors-ligne');
        r.onerror = () => reject(r.error);
        r.onsuccess = () => {
          const q = r.result.transaction('outbox').objectStore('outbox').getAll();
          q.onsuccess = () => resolve((q.result as { changeId: string }[]).map((e) => e.changeId));
        };
      }),
  );
  expect(changeIds).toHaveLength(1);

  // The SGAR, on a borrowed computer: from the login screen to the upload page.
  const ctxS = await browser.newContext();
  const ps = await ctxS.newPage();
  await ps.goto(`${appUrl()}/#/`);
  await expect(ps.getByRole('link', { name: 'Déposer un paquet de modifications' })).toBeVisible();
  await expectNoAxeViolations(ps, 'connexion, avec le lien de dépôt');
  await ps.getByRole('link', { name: 'Déposer un paquet de modifications' }).click();
  await expect(ps.getByRole('heading', { level: 1 })).toHaveText('Déposer un paquet de modifications');
  await expect(ps).toHaveTitle('Déposer un paquet de modifications — Atlas hors ligne');
  await shot(ps, 'depot-1-connexion');
  await expectNoAxeViolations(ps, 'dépôt, connexion (clair)');
  await ps.emulateMedia({ colorScheme: 'dark' });
  await ps.reload();
  await expect(ps.locator('html')).toHaveAttribute('data-fr-theme', 'dark');
  await expectNoAxeViolations(ps, 'dépôt, connexion (sombre)');
  await ps.emulateMedia({ colorScheme: 'light' });
  await ps.reload();

  // A wrong password: the server's French words.
  await ps.getByLabel('Adresse électronique').fill(sgar.email);
  await ps.getByLabel('Mot de passe').fill('pas-le-bon-mot-de-passe');
  await ps.getByRole('button', { name: 'Se connecter pour déposer' }).click();
  await expect(ps.getByRole('alert').filter({ hasText: /mot de passe/i })).toBeVisible();

  await depotLogin(ps, sgar);
  await ps.getByLabel('Paquet de modifications').setInputFiles(packet);
  const summary = ps.getByTestId('paquet-resume');
  await expect(summary).toContainText(`« ${packet.name} » déposé`);
  await expect(summary).toContainText('1 appliquée');
  await shot(ps, 'depot-2-depose');
  await expectNoAxeViolations(ps, 'dépôt, paquet déposé');
  expect(await serverRecord('contact', id)).toMatchObject({
    prenom: 'Maëlle',
    nom: 'Guével',
    fonction: 'Conseillère déléguée aux jumelages',
    courriel: 'maelle.guevel@mairie-exemple.fr',
    collectiviteId: agent.collectiviteId,
    deleted: false,
  });
  // Applied once, as the agent; the SGAR is the carrier.
  const first = await serverAudit([id]);
  expect(new Set(first.audit.map((a) => a.change_id))).toEqual(new Set(changeIds));
  expect(new Set(first.audit.map((a) => String(a.rev))).size).toBe(1);
  expect(new Set(first.audit.map((a) => a.user_id))).toEqual(new Set([agent.id]));
  expect(first.carried).toEqual(changeIds.map((c) => ({ change_id: c, carrier_id: sgar.id })));

  // Deposited again: already known, nothing written.
  await ps.getByLabel('Paquet de modifications').setInputFiles(packet);
  await expect(summary).toContainText('1 déjà connue du serveur');
  expect(await serverAudit([id])).toEqual(first);
  // Nothing of the SGAR's scope was copied to this browser.
  expect(await localRecords(ps)).toBe(0);

  // An SGAR of another région: refused, in French, nothing written.
  await ps.getByRole('button', { name: 'Se déconnecter' }).click();
  await depotLogin(ps, otherSgar);
  await ps.getByLabel('Paquet de modifications').setInputFiles(packet);
  await expect(ps.getByTestId('depot-etat')).toHaveText(
    'Ce paquet de modifications concerne une collectivité hors de votre périmètre : vous ne pouvez pas l’importer.',
  );
  await expect(summary).toHaveCount(0);
  await shot(ps, 'depot-3-refuse');
  expect(await serverAudit([id])).toEqual(first);

  // The commune syncs: its outbox learns the results; nothing is applied twice.
  await ctxA.setOffline(false);
  await syncNow(pa);
  await waitSynced(pa);
  await expect(pa.getByTestId('nombre-attente')).toHaveText('0');
  expect(await serverAudit([id])).toEqual(first);
  await pa.getByRole('link', { name: 'Élus et cadres' }).first().click();
  await expect(
    pa.getByRole('row').filter({ hasText: 'Maëlle Guével' }).getByTestId('statut-enregistrement'),
  ).toHaveText('Synchronisé');
  await ctxA.close();
  await ctxS.close();
});
