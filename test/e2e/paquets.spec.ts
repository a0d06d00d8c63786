// Issue 16 (packets) in Chromium: a commune's agent, offline, saves its pending changes in a signed
// .atlas-modifs file (a download in the browser); the SGAR of its région imports the file on its own
// computer; the server applies it as the agent. The agent's later sync applies nothing twice.
import { readFileSync } from 'node:fs';
import {
  addPendingElu,
  createUser,
  expect,
  expectNoAxeViolations,
  goOffline,
  login,
  savePacket,
  serverRecord,
  shot,
  syncNow,
  test,
  waitSynced,
} from './support/fixtures';

test('paquet de modifications : hors ligne chez la commune, importé par le SGAR, appliqué au nom de l’agent', async ({
  browser,
}) => {
  const agent = await createUser();
  const sgar = await createUser({ role: 'sgar', region: '53' });
  const ctxA = await browser.newContext();
  const ctxS = await browser.newContext();
  const pa = await ctxA.newPage();
  const ps = await ctxS.newPage();
  await login(pa, agent);
  await login(ps, sgar);

  // The town hall has no network: the agent adds an élu.
  await goOffline(pa);
  const id = await addPendingElu(pa, {
    prenom: 'Gwenola',
    nom: 'Le Bihan',
    titre: 'Adjointe aux relations internationales',
    courriel: 'gwenola.lebihan@mairie-exemple.fr',
  });

  const file = await savePacket(pa);
  expect(file.suggestedFilename()).toMatch(/^modifications-.+\.atlas-modifs$/);
  const path = await file.path();
  await expect(pa.getByText(/1 modification enregistrée dans le fichier/)).toBeVisible();
  await expect(pa.getByTestId('attente').filter({ hasText: 'Le Bihan' })).toContainText('confiée à un fichier le');
  await shot(pa, 'paquet-1-enregistre');
  await expectNoAxeViolations(pa, 'synchronisation, paquet enregistré');
  expect(await serverRecord('contact', id)).toBeNull();

  // The SGAR imports it on its own, connected computer.
  await ps.getByRole('link', { name: 'Synchronisation' }).first().click();
  await ps.getByLabel('Importer un paquet de modifications').setInputFiles({
    name: file.suggestedFilename(),
    mimeType: 'application/octet-stream',
    buffer: readFileSync(path),
  });
  const summary = ps.getByTestId('paquet-resume');
  await expect(summary).toContainText('Paquet importé');
  await expect(summary).toContainText('1 appliquée');
  await shot(ps, 'paquet-2-importe');
  await expectNoAxeViolations(ps, 'synchronisation, paquet importé');
  const onServer = await serverRecord('contact', id);
  expect(onServer).toMatchObject({
    prenom: 'Gwenola',
    nom: 'Le Bihan',
    fonction: 'Adjointe aux relations internationales',
    courriel: 'gwenola.lebihan@mairie-exemple.fr',
    collectiviteId: agent.collectiviteId,
  });

  // Imported again: nothing more.
  await ps.getByLabel('Importer un paquet de modifications').setInputFiles({
    name: file.suggestedFilename(),
    mimeType: 'application/octet-stream',
    buffer: readFileSync(path),
  });
  await expect(summary).toContainText('1 déjà connue du serveur');

  // A damaged copy is refused with a French sentence.
  const damaged = Buffer.from(readFileSync(path));
  damaged[damaged.length - 4]! ^= 0xff;
  await ps.getByLabel('Importer un paquet de modifications').setInputFiles({
    name: 'abime.atlas-modifs',
    mimeType: 'application/octet-stream',
    buffer: damaged,
  });
  await expect(ps.getByText('Ce fichier a été modifié depuis sa création : il n’a pas été importé.')).toBeVisible();

  // Back online, the agent's sync learns the result: nothing pending, the record as the server has it.
  await ctxA.setOffline(false);
  await syncNow(pa);
  await waitSynced(pa);
  await expect(pa.getByTestId('nombre-attente')).toHaveText('0');
  expect(await serverRecord('contact', id)).toEqual(onServer);
  await ctxA.close();
  await ctxS.close();
});
