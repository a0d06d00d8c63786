// npm run bench:import — the import of existing Atlas records (issue 17): a 13,000-row file in the ministry's
// open-data layout (test/fixtures/import-atlas/generate.ts: 400 collectivités found by SIREN, INSEE code or
// name and département), imported for real into an empty server (in-process, PGlite): import_atlas_rows_per_s
// (rows read, planned and written, from the file on disk to the last batch committed), and
// import_atlas_again_s (the same file again: nothing to write). Checks the records arrived. Prints one
// `name: value` line per figure and writes bench/results/import.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importAtlas, loadSource } from '../src-server/import-atlas/run';
import { chosenCollectivites, projectRows, toCsv } from '../test/fixtures/import-atlas/generate';
import { startLocalServer } from '../test/integration/helpers/devices';

const N = 13_000;
const log = (s: string) => console.error(s);

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-import-'));
  const file = path.join(tmp, 'projets.csv');
  fs.writeFileSync(file, `\uFEFF${toCsv(projectRows(N, chosenCollectivites(400)), ';')}`);
  log(`fichier de ${N.toLocaleString('fr-FR')} lignes : ${(fs.statSync(file).size / 1e6).toFixed(1)} Mo`);
  const server = await startLocalServer();
  const figures: Record<string, number> = {};
  try {
    const deps = { db: server.internals.db, sync: server.internals.sync };
    let t = performance.now();
    const r = await importAtlas(deps, await loadSource({ path: file }), { dryRun: false });
    const s = (performance.now() - t) / 1000;
    figures.import_atlas_rows_per_s = Math.round(N / s);
    if (r.report.refusees.length) throw new Error(`lignes refusées : ${JSON.stringify(r.report.refusees.slice(0, 3))}`);
    const [{ n }] = (await server.internals.db.query('SELECT count(*)::int AS n FROM fiche_projet')) as [{ n: number }];
    if (n !== N) throw new Error(`${n} fiches-projets en base, ${N} attendues`);
    log(`${n} fiches-projets et ${r.report.partenariats.aCreer} partenariats écrits en ${s.toFixed(1)} s`);
    t = performance.now();
    const again = await importAtlas(deps, await loadSource({ path: file }), { dryRun: false });
    figures.import_atlas_again_s = +((performance.now() - t) / 1000).toFixed(2);
    if (again.written.crees + again.written.misAJour !== 0) throw new Error('le second import a écrit quelque chose');
  } finally {
    await server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  for (const [k, v] of Object.entries(figures)) console.log(`${k}: ${v}`);
  const dir = path.join(path.dirname(new URL(import.meta.url).pathname), 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'import.json'), JSON.stringify({ at: new Date().toISOString(), figures }, null, 2));
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
