// npm run bench:opendata — the open-data files of the public Atlas (issue 17) on the national demo data:
// open_data_export_s, the time to build every public CSV and JSON file (six themes in both formats and the
// « everything » JSON) with the server's own build (what a download past the stale window after a synced
// edit waits for). The files are then read back and checked complete: each holds
// as many records as the database has live public records of its entity, the CSV one line more (its header),
// and the « everything » JSON all of them. Goal: ≤ 10 s. Prints `name: value` lines and writes
// bench/results/opendata.json. `measureOpenData()` is also called by bench/public.ts.
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { ALL_FILE, OPEN_DATASETS } from '../src-shared/public/openData';
import { seedNational } from '../src-server/seed';
import { TABLE_DEFS } from '../src-server/sync/tables';
import { dataVersion } from '../src-server/open-data/data';
import { buildOpenData } from '../src-server/open-data/files';
import { startTestServer, type TestServer } from '../test/integration/helpers/testServer';
import { printFigures, runBench, writeFigures } from './support/results';

const log = (s: string) => console.error(s);

/** Builds and checks the open-data files on the national demo data; `server`: one already seeded (else its own). */
export async function measureOpenData(server?: { internals: TestServer['internals'] }) {
  const own = server ? null : await startTestServer({ seed: 'none' });
  const s = server ?? own!;
  try {
    const { db } = s.internals;
    if (own) {
      log('données nationales de démonstration…');
      await seedNational(db, own.internals.sync.revs, own.internals.auth);
    }
    // Every file of the current version, as the first download after a synced edit has them built.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-bench-donnees-'));
    const t0 = performance.now();
    const snap = await buildOpenData(db, dir, await dataVersion(db, s.internals.sync.revs.watermark()));
    const open_data_export_s = +((performance.now() - t0) / 1000).toFixed(3);
    // Complete: every live public record is in its files.
    let total = 0;
    for (const d of OPEN_DATASETS) {
      const t = TABLE_DEFS[d.entity].table;
      const join =
        d.entity === 'collectivite' || d.entity === 'entreeReference'
          ? ''
          : ` JOIN collectivite c ON c.id = t."collectiviteId" AND NOT c.deleted${d.entity === 'ficheProjet' ? ' JOIN partenariat p ON p.id = t."partenariatId" AND NOT p.deleted' : ''}`;
      const [{ n }] = (await db.query<{ n: string | number }>(
        `SELECT count(*) AS n FROM ${t} t${join} WHERE NOT t.deleted`,
      )) as [{ n: string | number }];
      const json = JSON.parse(fs.readFileSync(path.join(dir, `${d.fichier}.json`), 'utf8')) as {
        enregistrements: unknown[];
      };
      const csv = fs.readFileSync(path.join(dir, `${d.fichier}.csv`), 'utf8');
      const csvLines = csv.split('\r\n').length - 1; // records with line breaks are quoted: counted by the JSON
      if (json.enregistrements.length !== Number(n))
        throw new Error(`${d.fichier}.json : ${json.enregistrements.length} enregistrements, ${n} attendus`);
      if (csvLines < Number(n) + 1)
        throw new Error(`${d.fichier}.csv : ${csvLines} lignes, au moins ${Number(n) + 1} attendues`);
      total += Number(n);
    }
    const all = JSON.parse(fs.readFileSync(path.join(dir, `${ALL_FILE}.json`), 'utf8')) as {
      fichiers: Record<string, unknown[]>;
    };
    const inAll = Object.values(all.fichiers).reduce((x, l) => x + l.length, 0);
    if (inAll !== total) throw new Error(`${ALL_FILE}.json : ${inAll} enregistrements, ${total} attendus`);
    const bytes = [...snap.files.values()].reduce((x, f) => x + f.bytes, 0);
    log(`${snap.files.size} fichiers, ${total} enregistrements, ${(bytes / 1e6).toFixed(1)} Mo : complets`);
    fs.rmSync(dir, { recursive: true, force: true });
    return { open_data_export_s, open_data_records: total, open_data_mb: +(bytes / 1e6).toFixed(1) };
  } finally {
    await own?.close();
  }
}

async function main() {
  const figures = await measureOpenData();
  printFigures(figures);
  writeFigures('opendata', figures);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) runBench(main);
