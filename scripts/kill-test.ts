// npm run test:kill (issue 12): devices push in a loop while the CNCD server, on PostgreSQL, is
// SIGKILLed at random moments (KILL_COUNT, default 20) and restarted; afterwards every acknowledged
// change is stored exactly once (applied_changes, audit_log) and every device equals the server on
// whole records. Needs DATABASE_URL (an admin URL: a fresh database is created under it and dropped).
// KILL_SEED replays a run. Prints the counts; exit code 1 when anything was lost, duplicated or differs.
import { DEFAULT_PULL_LIMIT } from '../src-shared/sync/protocol';
import { runChaos } from '../test/support/chaos';
import { CLEAN_LINK } from '../test/support/link-proxy';

const adminDatabaseUrl = process.env.DATABASE_URL;
if (!adminDatabaseUrl) {
  console.error(
    'npm run test:kill a besoin de PostgreSQL : donnez DATABASE_URL, par exemple\n' +
      '  DATABASE_URL=postgres://atlas_test:atlas_test@127.0.0.1:5432/atlas_test npm run test:kill\n' +
      '(une base neuve est créée sous cette adresse puis supprimée).',
  );
  process.exit(2);
}

const seed = Number(process.env.KILL_SEED ?? 20261212);
const kills = Number(process.env.KILL_COUNT ?? 20);
const counts = await runChaos(
  {
    mode: 'kill',
    seed,
    rounds: 0,
    devicesPerAgent: 2,
    initialRecords: 20,
    // The kills are the point here; first syncs of several pages are the chaos suite's.
    pageSize: Number(process.env.KILL_PAGE_SIZE ?? DEFAULT_PULL_LIMIT),
    serverKills: kills,
    deviceKills: 0,
    maxEditsPerRound: 3,
    link: CLEAN_LINK,
    adminDatabaseUrl,
  },
  (s) => console.error(s),
);

const { details, ...figures } = counts;
for (const [k, v] of Object.entries(figures)) console.log(`${k}: ${v}`);
for (const d of details) console.log(`  ${d}`);
const ok =
  counts.serverKills === kills &&
  counts.acknowledged > 0 &&
  counts.lost === 0 &&
  counts.duplicated === 0 &&
  counts.differing === 0 &&
  counts.extra === 0 &&
  counts.unaccountedConflicts === 0 &&
  details.length === 0;
console.log(
  ok
    ? 'Test des arrêts brutaux : rien de perdu, rien en double, tous les postes égaux au serveur.'
    : 'Test des arrêts brutaux : ÉCHEC (voir ci-dessus).',
);
process.exit(ok ? 0 : 1);
