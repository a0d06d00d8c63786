// The DAECT's import over HTTP (src-shared/api/importAtlas.ts): simulation, then the import as a job of the
// server (202 and its id, then its progress by GET until its report), which writes exactly what the import
// function run directly (the former synchronous answer) writes on another server; the same file again writes
// nothing; only the DAECT may start or follow an import; an unknown job and bad input answer a French error
// with its code.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ImportAtlasJob, ImportAtlasResponse } from '../../../src-shared/api/importAtlas';
import { importAtlas, loadSource } from '../../../src-server/import-atlas/run';
import { TestDevice, api } from '../helpers/client';
import { startTestServer, type TestServer } from '../helpers/testServer';

let s: TestServer;
/** A second server where the import runs as the former synchronous route ran it. */
let ref: TestServer;
beforeAll(async () => {
  [s, ref] = await Promise.all([startTestServer({ seed: 'none' }), startTestServer({ seed: 'none' })]);
});
afterAll(async () => {
  await Promise.all([s?.close(), ref?.close()]);
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

/** Starts the import, then follows it until it ends; every state seen. */
async function runImport(token: string) {
  const started = await api<ImportAtlasJob>(s.url, '/api/v1/import-atlas', { method: 'POST', body, token });
  expect(started.status).toBe(202);
  expect(started.body).toMatchObject({ etat: 'en_cours', nom: 'modele.csv' });
  const seen: ImportAtlasJob[] = [started.body];
  let job = started.body;
  for (let i = 0; job.etat === 'en_cours'; i++) {
    expect(i).toBeLessThan(600);
    await new Promise((r) => setTimeout(r, 20));
    const res = await api<ImportAtlasJob>(s.url, `/api/v1/import-atlas/${started.body.id}`, { token });
    expect(res.status).toBe(200);
    job = res.body;
    expect(job.id).toBe(started.body.id);
    seen.push(job);
  }
  // Progress only moves forward, within its totals.
  const running = seen.filter((j) => j.etat === 'en_cours');
  for (const [i, j] of running.entries()) {
    expect(j.lot).toBeLessThanOrEqual(j.lots);
    expect(j.ecrits).toBeLessThanOrEqual(j.total);
    if (i > 0) expect(j.ecrits).toBeGreaterThanOrEqual(running[i - 1]!.ecrits);
  }
  return job;
}

/** The rows an import writes, without what differs between two servers (times, revisions, accounts). */
async function tables(server: TestServer) {
  const volatile = /^(rev|revs?_.*|.*_at|.*At|reprisLe|.*_by|.*By|user_id|device_id|run_id|field_revs)$/;
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const t of ['collectivite', 'partenariat', 'fiche_projet', 'import_atlas_records']) {
    const rows = await server.internals.db.query<Record<string, unknown>>(`SELECT * FROM ${t}`);
    out[t] = rows
      .map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !volatile.test(k))))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  return out;
}

it('simulation, import suivi jusqu’au rapport — les mêmes données que l’import direct —, puis le même fichier : rien de nouveau', async () => {
  const token = await tokenOf('daect');
  const dry = await api<ImportAtlasResponse>(s.url, '/api/v1/import-atlas/simulation', { method: 'POST', body, token });
  expect(dry.status).toBe(200);
  expect(dry.body).toMatchObject({ simulation: true, ecrit: { crees: 0 }, rapport: { fiches: { aCreer: 2 } } });
  expect(dry.body.texte).toContain('simulation');
  expect(await s.internals.db.query('SELECT 1 FROM fiche_projet')).toHaveLength(0);

  const done = await runImport(token);
  expect(done.etat).toBe('termine');
  if (done.etat !== 'termine') return;
  const r = done.resultat;
  expect(r.simulation).toBe(false);
  expect(r.libelle).toMatch(/^import de l’Atlas /);
  expect(r.ecrit).toMatchObject({ crees: 6, misAJour: 0 }); // 2 collectivités, 2 partenariats, 2 fiches

  // The same file imported on the other server by the function the synchronous route called.
  const direct = await importAtlas(
    { db: ref.internals.db, sync: ref.internals.sync },
    await loadSource({ bytes: Buffer.from(body.fichier, 'base64'), name: body.nom }, JSON.parse(body.correspondance)),
    { dryRun: false },
  );
  expect(r.rapport).toEqual(direct.report);
  expect(r.ecrit).toEqual(direct.written);
  const [mine, theirs] = [await tables(s), await tables(ref)];
  expect(mine.fiche_projet).toHaveLength(2);
  expect(mine.partenariat).toHaveLength(2);
  expect(mine).toEqual(theirs);

  const again = await runImport(token);
  expect(again.etat === 'termine' && again.resultat.ecrit).toEqual({ crees: 0, misAJour: 0, lots: 0 });
  expect(again.etat === 'termine' && again.resultat.rapport.fiches).toEqual({
    aCreer: 0,
    aMettreAJour: 0,
    inchanges: 2,
  });
  expect(await tables(s)).toEqual(mine);
});

it('réservé à la DAECT ; un import inconnu, un fichier illisible ont un message et un code', async () => {
  const agent = await tokenOf('agent');
  const refused = await api<{ code: string }>(s.url, '/api/v1/import-atlas', { method: 'POST', body, token: agent });
  expect(refused.status).toBe(403);
  expect(refused.body.code).toBe('FORBIDDEN');
  const daect = await tokenOf('daect');
  const started = await api<ImportAtlasJob>(s.url, '/api/v1/import-atlas', { method: 'POST', body, token: daect });
  expect(started.status).toBe(202);
  const peek = await api<{ code: string }>(s.url, `/api/v1/import-atlas/${started.body.id}`, { token: agent });
  expect(peek.status).toBe(403);
  expect(peek.body.code).toBe('FORBIDDEN');
  const unknownJob = await api<{ code: string; message: string }>(
    s.url,
    '/api/v1/import-atlas/0190a3c4-0000-7000-8000-000000000000',
    { token: daect },
  );
  expect(unknownJob.status).toBe(404);
  expect(unknownJob.body.code).toBe('NOT_FOUND');
  expect(unknownJob.body.message).toContain('redémarré');
  expect(unknownJob.body.message).toContain('même fichier');
  // Wait for the import started above, so that the simulations below are not refused (one at a time).
  for (let i = 0; ; i++) {
    expect(i).toBeLessThan(600);
    const j = await api<ImportAtlasJob>(s.url, `/api/v1/import-atlas/${started.body.id}`, { token: daect });
    if (j.body.etat !== 'en_cours') break;
    await new Promise((r) => setTimeout(r, 20));
  }

  const bad = await api<{ code: string; message: string }>(s.url, '/api/v1/import-atlas/simulation', {
    method: 'POST',
    body: { ...body, correspondance: '{ pas du json' },
    token: daect,
  });
  expect(bad.status).toBe(400);
  expect(bad.body.code).toBe('MAPPING_INVALID');
  // The real run checks the file before starting: a bad file answers 400 at once, no job.
  const badRun = await api<{ code: string }>(s.url, '/api/v1/import-atlas', {
    method: 'POST',
    body: { ...body, correspondance: '{ pas du json' },
    token: daect,
  });
  expect(badRun.status).toBe(400);
  expect(badRun.body.code).toBe('MAPPING_INVALID');
  const unknown = await api<{ code: string; message: string }>(s.url, '/api/v1/import-atlas/simulation', {
    method: 'POST',
    body: { nom: 'autre.csv', fichier: Buffer.from('a;b\n1;2\n').toString('base64') },
    token: daect,
  });
  expect(unknown.status).toBe(400);
  expect(unknown.body.code).toBe('MAPPING_REQUIRED');
  expect(unknown.body.message).toContain('correspondance');
});
