// The import of existing Atlas records (issue 17) on the fixture of test/fixtures/import-atlas (generate.ts says
// what it holds): the dry run's figures, the real run, the same file again (the database does not move), a
// collectivité's edit kept through a changed file, and the same result from other encodings, separators and an
// Excel workbook. PGlite by default, PostgreSQL when DATABASE_URL is set (like every server test).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../src-shared/sync/ids';
import { importAtlas, loadSource } from '../../../src-server/import-atlas/run';
import { reportCsv, reportText } from '../../../src-server/import-atlas/report';
import { MAPPING_MODELE, parseMapping } from '../../../src-server/import-atlas/mapping';
import { EXPECTED, HEADERS, fixtureRows } from '../../fixtures/import-atlas/generate';
import { startTestServer, type TestServer } from '../helpers/testServer';

const dir = path.resolve(__dirname, '../../fixtures/import-atlas');
const file = (name: string) => ({ path: path.join(dir, name) });

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ seed: 'none' });
});
afterAll(async () => {
  await s?.close();
});

const deps = () => ({ db: s.internals.db, sync: s.internals.sync });

/** The tables an import writes, whole and in a stable order. */
async function tables() {
  const db = s.internals.db;
  const out: Record<string, unknown[]> = {};
  for (const t of ['collectivite', 'partenariat', 'fiche_projet', 'import_atlas_records'])
    out[t] = await db.query(`SELECT * FROM ${t} ORDER BY ${t === 'import_atlas_records' ? 'record_id' : '"id"'}`);
  out.audit = await db.query('SELECT count(*)::int AS n FROM audit_log');
  out.conflicts = await db.query('SELECT count(*)::int AS n FROM conflicts');
  return JSON.parse(JSON.stringify(out)) as Record<string, unknown[]>;
}

const rows = fixtureRows();
/** Partenariats of the valid rows: one per (collectivité, pays, partner). */
const expectedPartenariats = new Set(
  rows.slice(0, EXPECTED.valid).map((r, i) => `${i % EXPECTED.collectivites}:${r[HEADERS.indexOf('Pays')]}`),
).size;

describe('import de l’Atlas existant', () => {
  it('simulation : les chiffres du rapport sont ceux du fichier', async () => {
    const r = await importAtlas(deps(), await loadSource(file('projets.csv')), { dryRun: true });
    const rep = r.report;
    expect(rep.fichier).toMatchObject({ format: 'csv', encodage: 'UTF-8', separateur: '« ; »' });
    expect(rep.lignesLues).toBe(rows.length + EXPECTED.broken);
    expect(rep.collectivites.reconnues).toBe(EXPECTED.collectivites);
    expect(rep.collectivites.ambigues.flatMap((a) => a.lignes)).toHaveLength(EXPECTED.ambiguous);
    expect(rep.collectivites.inconnues.flatMap((a) => a.lignes)).toHaveLength(EXPECTED.unknownCollectivite);
    expect(rep.paysInconnus.flatMap((p) => p.lignes)).toHaveLength(EXPECTED.unknownCountry);
    expect(rep.thematiquesInconnues).toHaveLength(EXPECTED.unknownTheme);
    expect(rep.doublons).toHaveLength(EXPECTED.duplicates);
    expect(rep.refusees).toHaveLength(
      EXPECTED.ambiguous +
        EXPECTED.unknownCollectivite +
        EXPECTED.unknownCountry +
        EXPECTED.unknownTheme +
        EXPECTED.broken,
    );
    expect(rep.refusees.every((x) => x.ligne > 1 && x.raison.length > 5)).toBe(true);
    expect(rep.partenariats).toEqual({ aCreer: expectedPartenariats, aMettreAJour: 0, inchanges: 0 });
    expect(rep.fiches).toEqual({ aCreer: EXPECTED.valid, aMettreAJour: 0, inchanges: 0 });
    // Nothing written.
    expect(await s.internals.db.query('SELECT 1 FROM fiche_projet')).toHaveLength(0);
    const text = reportText(r);
    expect(text).toContain('simulation');
    expect(text).toContain(`Fiches-projets : ${EXPECTED.valid} à créer`);
    const csv = reportCsv(rep);
    expect(csv.startsWith('\uFEFFLigne;Catégorie;Détail\r\n')).toBe(true);
    expect(csv).toContain('Pays inconnu;Atlantide');
  });

  it('le modèle documenté se lit avec sa correspondance, égale à celle intégrée', async () => {
    const docs = path.resolve(__dirname, '../../../docs/import-atlas');
    const json: unknown = JSON.parse(fs.readFileSync(path.join(docs, 'mapping-modele.json'), 'utf8'));
    expect(parseMapping(json).colonnes).toEqual(MAPPING_MODELE.colonnes);
    const r = await importAtlas(deps(), await loadSource({ path: path.join(docs, 'modele.csv') }, json), {
      dryRun: true,
    });
    expect(r.report.refusees).toEqual([]);
    expect(r.report.fiches.aCreer).toBe(2);
    expect(r.report.collectivites).toMatchObject({ reconnues: 2, parCode: 2 });
  });

  it('autres encodage, séparateur et classeur Excel : le même rapport', async () => {
    const base = (await importAtlas(deps(), await loadSource(file('projets.csv')), { dryRun: true })).report;
    const strip = (r: typeof base) => ({ ...r, fichier: undefined });
    const w = (await importAtlas(deps(), await loadSource(file('projets-1252.csv')), { dryRun: true })).report;
    expect(w.fichier.encodage).toBe('Windows-1252 (converti)');
    expect(strip(w)).toEqual(strip(base));
    const v = (await importAtlas(deps(), await loadSource(file('projets-virgule.csv')), { dryRun: true })).report;
    expect(v.fichier.separateur).toBe('« , »');
    expect(strip(v)).toEqual(strip(base));
    const x = (await importAtlas(deps(), await loadSource(file('projets.xlsx')), { dryRun: true })).report;
    expect(x.fichier).toMatchObject({ format: 'xlsx', feuille: 'Projets', feuilles: ['Notice', 'Projets'] });
    // A workbook has no broken CSV lines; its row numbers are the sheet's.
    expect(x.lignesLues).toBe(rows.length);
    expect(x.fiches).toEqual(base.fiches);
    expect(x.partenariats).toEqual(base.partenariats);
    expect(x.doublons).toHaveLength(EXPECTED.duplicates);
    expect(x.refusees).toHaveLength(base.refusees.length - EXPECTED.broken);
  });

  it('import réel, puis le même fichier : rien de nouveau ; une modification de la collectivité est conservée', async () => {
    const first = await importAtlas(deps(), await loadSource(file('projets.csv')), { dryRun: false, batchSize: 150 });
    expect(first.written.crees).toBe(EXPECTED.collectivites + expectedPartenariats + EXPECTED.valid);
    expect(first.written.lots).toBeGreaterThan(1);
    const db = s.internals.db;
    expect(await db.query('SELECT 1 FROM fiche_projet')).toHaveLength(EXPECTED.valid);
    expect(await db.query('SELECT 1 FROM partenariat')).toHaveLength(expectedPartenariats);
    // The audit names the run, whose label is « import de l’Atlas <date> ».
    const run = await db.query<{ label: string; status: string }>(
      'SELECT label, status FROM import_atlas_runs WHERE id = $1',
      [first.runId],
    );
    expect(run[0]).toMatchObject({ status: 'termine' });
    expect(run[0]!.label).toMatch(/^import de l’Atlas \d{2}\/\d{2}\/\d{4}/);
    const audited = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE device_id = $1', [
      first.runId,
    ]);
    expect(audited[0]!.n).toBe(first.written.crees);
    // A fiche as the file says: dates, amounts, thématiques.
    const f = (
      await db.query<Record<string, unknown>>(`SELECT * FROM fiche_projet WHERE "intitule" LIKE 'Projet 1 :%'`)
    )[0]!;
    expect(f).toMatchObject({
      dateDebut: '2015-01-01',
      dateFin: null,
      coutTotal: 10000.5,
      participationCollectivite: 3334,
      statut: 'en_cours',
    });
    expect(f.thematiques).toEqual(['eau', 'jeunesse']);
    expect(String(f.description)).toContain('\nphase 1 "pilote"');

    const before = await tables();
    const again = await importAtlas(deps(), await loadSource(file('projets.csv')), { dryRun: false });
    expect(again.written).toEqual({ crees: 0, misAJour: 0, lots: 0 });
    expect(again.report.fiches).toEqual({ aCreer: 0, aMettreAJour: 0, inchanges: EXPECTED.valid });
    expect(await tables()).toEqual(before);

    // The collectivité edits the description of project 1 (through the sync's write path, as its agent).
    const p1 = (
      await db.query<Record<string, unknown>>(`SELECT * FROM fiche_projet WHERE "intitule" LIKE 'Projet 1 :%'`)
    )[0]!;
    const revs = p1.field_revs as Record<string, number>;
    await s.internals.sync.applyBatch(
      {
        userId: newId(),
        role: 'agent',
        collectiviteId: String(p1.collectiviteId),
        region: null,
        deviceId: newId(),
        label: 'Agent',
      },
      [
        {
          id: newId(),
          seq: 1,
          op: 'update',
          entity: 'ficheProjet',
          record: String(p1.id),
          fields: {
            description: { value: 'Décrit par la commune.', base: revs.description ?? Number(p1.created_rev) },
          },
        },
      ],
    );
    const third = await importAtlas(deps(), await loadSource(file('projets-modifie.csv')), { dryRun: false });
    expect(third.report.fiches).toEqual({ aCreer: 0, aMettreAJour: 19, inchanges: EXPECTED.valid - 19 });
    expect(third.report.conserves).toEqual([
      expect.objectContaining({ champ: 'description', raison: expect.stringContaining('conservé') }),
    ]);
    const after = await db.query<Record<string, unknown>>(
      `SELECT "intitule", "description", "coutTotal" FROM fiche_projet WHERE "intitule" ~ '^Projet (1|2|11|12|21) :'`,
    );
    const by = (n: number) => after.find((r) => String(r.intitule).startsWith(`Projet ${n} :`))!;
    expect(by(1).description).toBe('Décrit par la commune.');
    expect(by(2).description).toBe('Description revue en 2026 du projet 2.');
    expect(by(11).coutTotal).toBe(250000);
    expect(by(12).coutTotal).toBe(250000);
    expect(by(21).coutTotal).not.toBe(250000);
    // And once more: nothing moves, the edit stays.
    const stable = await tables();
    await importAtlas(deps(), await loadSource(file('projets-modifie.csv')), { dryRun: false });
    expect(await tables()).toEqual(stable);
  });
});
