// `npm run seed:demo`: the national demo data set into the configured database (empty), with the demo accounts.
import { createServer } from '../app';
import { loadConfig } from '../config';
import { isEmpty, printAccounts, seedNational } from '.';

async function main() {
  const config = loadConfig();
  const server = await createServer({ ...config, logLevel: 'warn' });
  const { db, sync, auth } = server.app.cncd;
  try {
    if (!(await isEmpty(db))) {
      console.error(
        'La base contient déjà des données : les données de démonstration ne sont créées que dans une base vide.',
      );
      process.exitCode = 1;
      return;
    }
    const t0 = Date.now();
    const { accounts, data } = await seedNational(db, sync.revs, auth);
    const s = (Date.now() - t0) / 1000;
    console.log(
      `Données de démonstration créées en ${s.toFixed(1)} s : ${data.collectivite.length} collectivités, ` +
        `${data.partenariat.length} partenariats dans ${new Set(data.partenariat.map((p) => p.pays)).size} pays, ${data.ficheProjet.length} fiches-projets, ` +
        `${data.contact.length} contacts, ${data.adhesion.length} adhésions, ${data.declarationApd.length} déclarations d’APD.`,
    );
    printAccounts(accounts);
  } finally {
    await server.close();
  }
}

main().catch((e) => {
  console.error('Échec de la création des données de démonstration :', e instanceof Error ? e.message : e);
  process.exit(1);
});
