// npm run bench:import — the import of existing Atlas records (issue 17): a 13,000-row file in the ministry's
// open-data layout (test/fixtures/import-atlas/generate.ts: 400 collectivités found by SIREN, INSEE code or
// name and département), imported for real into an empty server, in-process, on the store `npm run
// import:atlas` writes to: PGlite in a data folder (or PostgreSQL when DATABASE_URL is set).
// import_atlas_rows_per_s: rows read, matched, planned and written, from the file on disk to the last batch
// committed, register loading included; import_atlas_again_s: the same file again (nothing to write). Each
// figure is the median of RUNS imports, each into a new empty server (this machine varies by ±30 % from one
// run to the next). Checks the records arrived. Prints one `name: value` line per figure and writes
// bench/results/import.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importAtlas, loadSource } from '../src-server/import-atlas/run';
import { chosenCollectivites, projectRows, toCsv } from '../test/fixtures/import-atlas/generate';
import { startTestServer } from '../test/integration/helpers/testServer';
import { printFigures, runBench, writeFigures } from './support/results';

const N = 13_000;
const RUNS = Number(process.env.BENCH_IMPORT_RUNS ?? 3);
const log = (s: string) => console.error(s);

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-import-'));
  const file = path.join(tmp, 'projets.csv');
  fs.writeFileSync(file, `\uFEFF${toCsv(projectRows(N, chosenCollectivites(400)), ';')}`);
  log(`fichier de ${N.toLocaleString('fr-FR')} lignes : ${(fs.statSync(file).size / 1e6).toFixed(1)} Mo`);
  const rates: number[] = [];
  const again: number[] = [];
  try {
    for (let run = 1; run <= RUNS; run++) {
      const dataDir = path.join(tmp, `donnees-${run}`);
      const server = await startTestServer({ seed: 'none', env: { CNCD_DATA_DIR: dataDir } });
      try {
        const deps = { db: server.internals.db, sync: server.internals.sync };
        let t = performance.now();
        const r = await importAtlas(deps, await loadSource({ path: file }), { dryRun: false });
        const s = (performance.now() - t) / 1000;
        rates.push(N / s);
        if (r.report.refusees.length)
          throw new Error(`lignes refusées : ${JSON.stringify(r.report.refusees.slice(0, 3))}`);
        const [{ n }] = (await server.internals.db.query('SELECT count(*)::int AS n FROM fiche_projet')) as [
          { n: number },
        ];
        if (n !== N) throw new Error(`${n} fiches-projets en base, ${N} attendues`);
        t = performance.now();
        const second = await importAtlas(deps, await loadSource({ path: file }), { dryRun: false });
        again.push((performance.now() - t) / 1000);
        if (second.written.crees + second.written.misAJour !== 0)
          throw new Error('le second import a écrit quelque chose');
        log(
          `essai ${run}/${RUNS} (${server.internals.db.kind === 'pglite' ? 'PGlite sur disque' : 'PostgreSQL'}) : ${n} fiches-projets et ${r.report.partenariats.aCreer} partenariats écrits en ${s.toFixed(1)} s, second import ${again.at(-1)!.toFixed(2)} s`,
        );
      } finally {
        await server.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const figures = {
    import_atlas_rows_per_s: Math.round(median(rates)),
    import_atlas_again_s: +median(again).toFixed(2),
  };
  printFigures(figures);
  writeFigures('import', figures);
}

runBench(main);
