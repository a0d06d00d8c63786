// The import's « échoué » state (src-server/import-atlas/run.ts): a batch the write path refuses stops the run
// as 'echoue' with the French error; the batches before it stay written, nothing of the refused one is; once
// the cause is gone, importing the file again writes the rest only. Over HTTP, the job answers the same error
// and the DAECT's screen its text. The refusal is the database's own: a CHECK constraint the test adds for the
// time of the run refuses one row the plan accepted (what any constraint the plan cannot foresee would do).
// Also: a mapping's label sent to a code the reference list lacks is refused by the dry run, never left for the
// write to fail on. PGlite by default, PostgreSQL when DATABASE_URL is set.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportAtlasJob } from '../../../src-shared/api/importAtlas';
import { ImportError, importAtlas, loadSource } from '../../../src-server/import-atlas/run';
import { failureText } from '../../../src-renderer/features/import-atlas/failure';
import { TestDevice, api } from '../helpers/client';
import { startTestServer, type TestServer } from '../helpers/testServer';

const docs = path.resolve(__dirname, '../../../docs/import-atlas');
const modele = fs.readFileSync(path.join(docs, 'modele.csv'), 'utf8').replace(/\s+$/, '');
const mapping = JSON.parse(fs.readFileSync(path.join(docs, 'mapping-modele.json'), 'utf8')) as Record<string, unknown>;
/** The model's two rows, then a third with the given thématique. */
const file = (theme: string) =>
  `${modele}\r\n212202782;;Saint-Brieuc;22;Bretagne;Mali;Kayes;Restauration du marché;Toiture et étals;${theme};En cours;01/01/2025;;10 000,00 €;5 000,00 €\r\n`;

let s: TestServer;
let tmp: string;
beforeAll(async () => {
  s = await startTestServer({ seed: 'none' });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'import-echec-'));
}, 120_000);
afterAll(async () => {
  await s?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const db = () => s.internals.db;
async function load(text: string, m: Record<string, unknown> = mapping) {
  const f = path.join(tmp, 'projets.csv');
  fs.writeFileSync(f, text);
  return loadSource({ path: f }, m);
}
/** Runs `fn` while the database refuses the rows of `table` that `check` says no to. */
async function whileRefused<T>(table: string, check: string, fn: () => Promise<T>): Promise<T> {
  await db().query(`ALTER TABLE ${table} ADD CONSTRAINT essai_refus CHECK (${check}) NOT VALID`);
  try {
    return await fn();
  } finally {
    await db().query(`ALTER TABLE ${table} DROP CONSTRAINT essai_refus`);
  }
}
const count = async (table: string) =>
  Number((await db().query<{ n: number | string }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n);
const names = async () =>
  (await db().query<{ n: string }>(`SELECT "nomPartenaire" AS n FROM partenariat ORDER BY 1`)).map((r) => r.n);

describe('import de l’Atlas existant : un lot refusé', () => {
  it('une correspondance vers un code absent de la liste de référence : la simulation refuse la ligne', async () => {
    const deps = { db: db(), sync: s.internals.sync };
    const wrong = { ...mapping, thematiques: { 'Patrimoine bâti': 'patrimoine_inconnu' } };
    const dry = await importAtlas(deps, await load(file('Patrimoine bâti'), wrong), { dryRun: true });
    expect(dry.report.refusees).toEqual([
      { ligne: 5, raison: 'Thématique inconnue de la liste de référence : « patrimoine bati »' },
    ]);
    expect(dry.report.thematiquesInconnues).toEqual([{ valeur: 'patrimoine bati', lignes: [5] }]);
  });

  it('arrête l’import « échoué » avec l’erreur en français, garde les lots d’avant, n’écrit rien du lot refusé, puis reprend', async () => {
    const deps = { db: db(), sync: s.internals.sync };
    // The plan accepts every row.
    const dry = await importAtlas(deps, await load(file('Culture')), { dryRun: true });
    expect(dry.report.refusees).toEqual([]);
    expect(dry.report.fiches.aCreer).toBe(3);

    const err = await whileRefused('fiche_projet', `"intitule" <> 'Restauration du marché'`, async () =>
      importAtlas(deps, await load(file('Culture')), { dryRun: false, batchSize: 2 }),
    ).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ImportError);
    expect((err as ImportError).code).toBe('IMPORT_BATCH_REJECTED');
    const message = (err as ImportError).message;
    expect(message).toMatch(
      /^Lot 4 sur 4 refusé, rien de ce lot n’a été écrit \(ligne 5, ficheProjet\) : Les valeurs envoyées ne respectent pas les règles de l’Atlas\. /,
    );
    expect(message).toContain('relancez l’import, il reprendra où il s’est arrêté.');
    const runs = await db().query<{ status: string; error: string | null; finished_at: unknown }>(
      'SELECT status, error, finished_at FROM import_atlas_runs',
    );
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'echoue', error: message });
    expect(runs[0]!.finished_at).not.toBeNull();
    // Batches 1 to 3 (the two collectivités, the model's partenariats and fiches) written and remembered; batch 4
    // (the third row's partenariat, valid, and its fiche) not at all.
    expect(await count('collectivite')).toBe(2);
    expect(await names()).toEqual(['Erlangen', 'Kaolack']);
    expect(await count('fiche_projet')).toBe(2);
    expect(await count('import_atlas_records')).toBe(4);
    const none = await db().query(`SELECT 1 FROM fiche_projet WHERE "intitule" = 'Restauration du marché'`);
    expect(none).toEqual([]);

    // The cause gone: the run resumes, writing only what the refused batch held.
    const again = await importAtlas(deps, await load(file('Culture')), { dryRun: false, batchSize: 2 });
    expect(again.written).toEqual({ crees: 2, misAJour: 0, lots: 1 });
    expect(again.report.fiches).toMatchObject({ aCreer: 1, inchanges: 2 });
    expect(again.report.partenariats).toMatchObject({ aCreer: 1, inchanges: 2 });
    expect(await names()).toEqual(['Erlangen', 'Kaolack', 'Kayes']);
    expect(await count('fiche_projet')).toBe(3);
    expect(await count('partenariat')).toBe(3);
    expect(await count('import_atlas_records')).toBe(6);
    const statuses = await db().query<{ status: string }>('SELECT status FROM import_atlas_runs ORDER BY started_at');
    expect(statuses.map((r) => r.status)).toEqual(['echoue', 'termine']);
  });

  it('sur HTTP : l’import suivi finit « échoué », avec son code, son message et le texte de l’écran de la DAECT', async () => {
    const u = await s.createUser({ role: 'daect' });
    const token = (await new TestDevice(s.url).login(u.email, u.password)).session.accessToken;
    // Another partner: nothing of this file is in the database yet, and all of it goes in one batch.
    const text = file('Culture').replace('Kayes;Restauration du marché', 'Ségou;Marché couvert');
    const body = {
      nom: 'projets.csv',
      fichier: Buffer.from(
        text
          .split('\r\n')
          .filter((l, i) => i === 0 || l.includes('Ségou'))
          .join('\r\n'),
      ).toString('base64'),
      correspondance: JSON.stringify(mapping),
    };
    const { started, job } = await whileRefused('partenariat', `"nomPartenaire" <> 'Ségou'`, async () => {
      const started = await api<ImportAtlasJob>(s.url, '/api/v1/import-atlas', { method: 'POST', body, token });
      expect(started.status).toBe(202);
      let job = started.body;
      for (let i = 0; job.etat === 'en_cours'; i++) {
        expect(i).toBeLessThan(600);
        await new Promise((r) => setTimeout(r, 20));
        const res = await api<ImportAtlasJob>(s.url, `/api/v1/import-atlas/${started.body.id}`, { token });
        expect(res.status).toBe(200);
        job = res.body;
      }
      return { started, job };
    });
    expect(job).toMatchObject({
      id: started.body.id,
      etat: 'echoue',
      nom: 'projets.csv',
      code: 'IMPORT_BATCH_REJECTED',
      ecrit: { crees: 0, misAJour: 0, lots: 0 },
      lots: 1,
    });
    if (job.etat !== 'echoue') throw new Error('unreachable');
    expect(job.message).toMatch(/^Lot 1 sur 1 refusé, rien de ce lot n’a été écrit \(ligne 2, /);
    expect(failureText(job)).toBe(
      `${job.message} Aucun lot n’a été écrit. Chaque lot est écrit entièrement ou pas du tout : importer de nouveau le même fichier reprend l’import sans rien écrire deux fois.`,
    );
    expect(await db().query(`SELECT 1 FROM partenariat WHERE "nomPartenaire" = 'Ségou'`)).toEqual([]);
    const last = await db().query<{ status: string; error: string }>(
      'SELECT status, error FROM import_atlas_runs ORDER BY started_at DESC LIMIT 1',
    );
    expect(last[0]).toEqual({ status: 'echoue', error: job.message });
  });
});
