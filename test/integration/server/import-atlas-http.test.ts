// The DAECT's import over HTTP (src-shared/api/importAtlas.ts): simulation then import of the documented
// template, the same file again writes nothing, only the DAECT may, and bad input answers a French error with
// its code.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ImportAtlasResponse } from '../../../src-shared/api/importAtlas';
import { TestDevice, api } from '../helpers/client';
import { startTestServer, type TestServer } from '../helpers/testServer';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ seed: 'none' });
});
afterAll(async () => {
  await s?.close();
});

const docs = path.resolve(__dirname, '../../../docs/import-atlas');
const body = {
  nom: 'modele.csv',
  fichier: fs.readFileSync(path.join(docs, 'modele.csv')).toString('base64'),
  correspondance: fs.readFileSync(path.join(docs, 'mapping-modele.json'), 'utf8'),
};

async function tokenOf(role: 'daect' | 'agent') {
  const u = await s.createUser(role === 'agent' ? { role, collectiviteCode: 'commune:22278' } : { role });
  return (await new TestDevice(s.url).login(u.email, u.password)).session.accessToken;
}

it('simulation, import, puis le même fichier : rien de nouveau', async () => {
  const token = await tokenOf('daect');
  const dry = await api<ImportAtlasResponse>(s.url, '/api/v1/import-atlas/simulation', { method: 'POST', body, token });
  expect(dry.status).toBe(200);
  expect(dry.body).toMatchObject({ simulation: true, ecrit: { crees: 0 }, rapport: { fiches: { aCreer: 2 } } });
  expect(dry.body.texte).toContain('simulation');
  expect(await s.internals.db.query('SELECT 1 FROM fiche_projet')).toHaveLength(0);

  const run = await api<ImportAtlasResponse>(s.url, '/api/v1/import-atlas', { method: 'POST', body, token });
  expect(run.status).toBe(200);
  expect(run.body.libelle).toMatch(/^import de l’Atlas /);
  expect(run.body.ecrit).toMatchObject({ crees: 6, misAJour: 0 }); // 2 collectivités, 2 partenariats, 2 fiches
  expect(await s.internals.db.query('SELECT 1 FROM fiche_projet')).toHaveLength(2);

  const again = await api<ImportAtlasResponse>(s.url, '/api/v1/import-atlas', { method: 'POST', body, token });
  expect(again.body.ecrit).toEqual({ crees: 0, misAJour: 0, lots: 0 });
  expect(again.body.rapport.fiches).toEqual({ aCreer: 0, aMettreAJour: 0, inchanges: 2 });
});

it('réservé à la DAECT ; un fichier illisible a un message et un code', async () => {
  const agent = await tokenOf('agent');
  const refused = await api<{ code: string }>(s.url, '/api/v1/import-atlas', { method: 'POST', body, token: agent });
  expect(refused.status).toBe(403);
  expect(refused.body.code).toBe('FORBIDDEN');
  const daect = await tokenOf('daect');
  const bad = await api<{ code: string; message: string }>(s.url, '/api/v1/import-atlas/simulation', {
    method: 'POST',
    body: { ...body, correspondance: '{ pas du json' },
    token: daect,
  });
  expect(bad.status).toBe(400);
  expect(bad.body.code).toBe('MAPPING_INVALID');
  const unknown = await api<{ code: string; message: string }>(s.url, '/api/v1/import-atlas/simulation', {
    method: 'POST',
    body: { nom: 'autre.csv', fichier: Buffer.from('a;b\n1;2\n').toString('base64') },
    token: daect,
  });
  expect(unknown.status).toBe(400);
  expect(unknown.body.code).toBe('MAPPING_REQUIRED');
  expect(unknown.body.message).toContain('correspondance');
});
