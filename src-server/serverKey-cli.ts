// `npm run server:cle-publique [-- --ecrire [fichier]]`: prints the public key that signs this server's
// snapshots (the document served at SERVER_KEY_PATH); with --ecrire, adds it to the keys the app ships
// (resources/cles-serveur.json by default), so that an app packaged for this deployment opens its snapshots
// before it has ever reached the server. The key is ATLAS_SIGNING_KEY's, else the database's (created on
// the first start, here if need be): DATABASE_URL, or CNCD_DATA_DIR with the server stopped.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { serverKeyDocument, type ServerKey } from '../src-shared/files/snapshot';
import { loadConfig } from './config';
import { openDb } from './db/driver';
import { DataDirLockedError } from './db/lock';
import { loadSigningKey, SigningKeyError } from './sync/serverKey';

export const SHIPPED_KEYS_PATH = path.join('resources', 'cles-serveur.json');

export const USAGE = `Usage : npm run server:cle-publique [-- --ecrire [fichier]]

Affiche la clé publique qui signe les instantanés de ce serveur (celle servie à /.well-known/atlas-hors-ligne/cle-serveur.json).
--ecrire : l’ajoute aussi aux clés livrées avec l’application (${SHIPPED_KEYS_PATH} par défaut), à faire avant de construire
l’application pour ce déploiement. La clé est celle d’ATLAS_SIGNING_KEY, sinon celle de la base (DATABASE_URL, ou
CNCD_DATA_DIR avec le serveur arrêté).`;

export interface CliIo {
  stdout(line: string): void;
  stderr(line: string): void;
}

/** The shipped list with `key` added (first) or refreshed; the others stay, so older snapshots still open. */
export function withKey(existing: unknown, key: ServerKey): ServerKey[] {
  const list = z.array(serverKeyDocument).safeParse(existing);
  if (!list.success)
    throw new SigningKeyError('La liste de clés existante est invalide : corrigez-la ou videz-la (« [] »).');
  return [key, ...list.data.filter((k) => k.keyId !== key.keyId)];
}

export async function runServerKeyCli(argv: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ecrire: { type: 'boolean' }, aide: { type: 'boolean' } },
      allowPositionals: true,
    });
  } catch {
    io.stderr(USAGE);
    return 64;
  }
  if (parsed.values.aide) {
    io.stdout(USAGE);
    return 0;
  }
  const config = loadConfig(env);
  let key;
  try {
    if (config.signingKey) key = await loadSigningKey({ query: async () => [] }, config.signingKey);
    else {
      const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        key = await loadSigningKey(db, null);
      } finally {
        await db.close();
      }
    }
  } catch (e) {
    if (e instanceof SigningKeyError || e instanceof DataDirLockedError) {
      io.stderr(e.message);
      return 2;
    }
    throw e;
  }
  io.stdout(JSON.stringify(key.document, null, 2));
  if (parsed.values.ecrire) {
    const file = path.resolve(parsed.positionals[0] ?? SHIPPED_KEYS_PATH);
    let list: ServerKey[];
    try {
      list = withKey(fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : [], key.document);
    } catch (e) {
      io.stderr(e instanceof SigningKeyError ? e.message : `${file} n’est pas un JSON lisible : rien n’a été écrit.`);
      return 2;
    }
    fs.writeFileSync(file, JSON.stringify(list, null, 2) + '\n');
    io.stderr(`Clé ${key.keyId} écrite dans ${file} : reconstruisez l’application pour la livrer.`);
  }
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runServerKeyCli(process.argv.slice(2), process.env, {
    stdout: (l) => console.log(l),
    stderr: (l) => console.error(l),
  }).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error('Échec de la commande :', e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
