// `npm run import:atlas -- <fichier.csv|xlsx> [--mapping correspondance.json] [--dry-run] [--database-url …]
// [--rapport rapport.csv] [--taille-max-mo 200]`: the same database configuration as the server (config.ts).
// Exit codes: 0 done (or simulated), 1 refused input or a batch refused, 2 the database is in use by a running
// server (PGlite), 3 wrong arguments.
import fs from 'node:fs';
import { createServer } from '../app';
import { loadConfig } from '../config';
import { DataDirLockedError } from '../db/lock';
import { WriterLockedError } from '../db/writerLock';
import { MappingError } from './mapping';
import { SourceError } from './read';
import { reportCsv, reportText } from './report';
import { ImportError, importAtlas, loadSource } from './run';

const USAGE =
  'Usage : npm run import:atlas -- <fichier.csv|xlsx> [--mapping correspondance.json] [--dry-run] [--database-url postgres://…] [--rapport rapport.csv] [--taille-max-mo 200]';

function args(argv: string[]) {
  const o: {
    file?: string;
    mapping?: string;
    dryRun: boolean;
    databaseUrl?: string;
    rapport?: string;
    maxMo?: number;
  } = {
    dryRun: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = () => {
      const v = argv[++i];
      if (!v) throw new Error(`L’option ${a} attend une valeur.`);
      return v;
    };
    if (a === '--dry-run' || a === '--simulation') o.dryRun = true;
    else if (a === '--mapping' || a === '--correspondance') o.mapping = next();
    else if (a === '--database-url') o.databaseUrl = next();
    else if (a === '--rapport') o.rapport = next();
    else if (a === '--taille-max-mo') o.maxMo = Number(next());
    else if (a.startsWith('--')) throw new Error(`Option inconnue : ${a}`);
    else if (!o.file) o.file = a;
    else throw new Error(`Un seul fichier à la fois (reçu aussi « ${a} »).`);
  }
  if (!o.file) throw new Error('Indiquez le fichier à importer.');
  return o;
}

async function main(): Promise<number> {
  let o: ReturnType<typeof args>;
  try {
    o = args(process.argv.slice(2));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 3;
  }
  let mappingJson: unknown;
  try {
    if (o.mapping) mappingJson = JSON.parse(fs.readFileSync(o.mapping, 'utf8'));
  } catch (e) {
    console.error(`Fichier de correspondance illisible (${o.mapping}) : ${(e as Error).message}`);
    return 1;
  }
  let source;
  try {
    source = await loadSource({ path: o.file! }, mappingJson, o.maxMo ? { maxBytes: o.maxMo * 1024 * 1024 } : {});
  } catch (e) {
    if (e instanceof SourceError || e instanceof MappingError || e instanceof ImportError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }
  const config = loadConfig({
    ...process.env,
    ...(o.databaseUrl ? { DATABASE_URL: o.databaseUrl } : {}),
    LOG_LEVEL: 'silent',
    SEED_DEMO: '0',
  });
  let server;
  try {
    server = await createServer(config);
  } catch (e) {
    if (e instanceof DataDirLockedError || e instanceof WriterLockedError) {
      console.error(
        `${e.message}\nLa base est utilisée par un serveur en marche : arrêtez-le le temps de l’import (la simulation --dry-run le demande aussi).`,
      );
      return 2;
    }
    throw e;
  }
  try {
    const t0 = Date.now();
    const result = await importAtlas(server.app.cncd, source, {
      dryRun: o.dryRun,
      onProgress: (p) => {
        if (p.batches > 1 && process.stdout.isTTY)
          process.stdout.write(
            `\rÉcriture : lot ${p.batch}/${p.batches} (${p.done.toLocaleString('fr-FR')} enregistrements sur ${p.total.toLocaleString('fr-FR')})`,
          );
      },
    });
    if (process.stdout.isTTY) process.stdout.write('\n');
    console.log(reportText(result));
    console.log(`Durée : ${((Date.now() - t0) / 1000).toFixed(1)} s.`);
    if (o.rapport) {
      fs.writeFileSync(o.rapport, reportCsv(result.report));
      console.log(`Rapport CSV écrit : ${o.rapport}`);
    }
    return 0;
  } catch (e) {
    if (e instanceof ImportError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  } finally {
    await server.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error('L’import a échoué :', e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
