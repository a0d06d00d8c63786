// `npm run server`: the CNCD server on its embedded default (PGlite in ./data/cncd), migrations at
// start, the national demo data when the database is empty, graceful shutdown on SIGINT/SIGTERM.
import { createServer } from './app';
import { loadConfig } from './config';
import { DataDirLockedError } from './db/lock';
import { WriterLockedError } from './db/writerLock';
import { SigningKeyError } from './sync/serverKey';
import { isEmpty, printAccounts, seedNational } from './seed';

async function main() {
  const config = loadConfig();
  let server;
  try {
    server = await createServer(config);
  } catch (e) {
    if (e instanceof DataDirLockedError || e instanceof WriterLockedError || e instanceof SigningKeyError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const { db, sync, auth } = server.app.cncd;
  if (config.seedDemoWhenEmpty && (await isEmpty(db))) {
    console.log('Base vide : création des données de démonstration nationales…');
    const t0 = Date.now();
    const { accounts } = await seedNational(db, sync.revs, auth);
    console.log(`Données de démonstration créées en ${((Date.now() - t0) / 1000).toFixed(1)} s.`);
    printAccounts(accounts);
  } else if (config.seedDemoWhenEmpty) {
    console.log(
      'Comptes de démonstration (si la base a été créée par ce serveur) : agent.commune@demo.atlas.gouv.fr, ' +
        'agent.region@demo.atlas.gouv.fr, sgar.bretagne@demo.atlas.gouv.fr, daect@demo.atlas.gouv.fr — mot de passe demo-atlas-2026',
    );
  }
  const url = await server.listen();
  console.log(
    `Serveur CNCD prêt : ${url} (base ${db.kind === 'pglite' ? `PGlite dans ${config.dataDir}` : 'PostgreSQL'}) — documentation de l’API : ${url}/api/docs`,
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} reçu : arrêt après les synchronisations en cours…`);
    await server.close();
    console.log('Serveur arrêté.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e) => {
  console.error('Le serveur n’a pas pu démarrer :', e instanceof Error ? e.message : e);
  process.exit(1);
});
