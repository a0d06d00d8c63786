#!/usr/bin/env node
// `npm run release:keygen -- --private-key <file outside the repository>`: makes the project's
// Ed25519 release key pair. The private key (PKCS#8 PEM, mode 0600) goes where the release team keeps
// it — never inside the repository; the public key replaces resources/release-public-key.pem, which
// the app bundles (commit it). Same as:
//   openssl genpkey -algorithm ed25519 -out atlas-release.key
//   openssl pkey -in atlas-release.key -pubout -out resources/release-public-key.pem
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_PUBLIC_KEY = path.join(root, 'resources', 'release-public-key.pem');

const USAGE = `Usage : npm run release:keygen -- --private-key <fichier hors du dépôt> [--public-key <fichier>]

Crée la paire de clés Ed25519 qui signe les mises à jour de l’application.
La clé privée est écrite dans le fichier indiqué (hors du dépôt, droits 0600) : conservez-la à l’abri, elle ne doit jamais être commitée.
La clé publique remplace ${path.relative(root, DEFAULT_PUBLIC_KEY)} (par défaut) : commitez-la, l’application la contient.`;

export function isInside(dir, file) {
  const rel = path.relative(path.resolve(dir), path.resolve(file));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function fail(message) {
  console.error(message);
  process.exit(1);
}

function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: { 'private-key': { type: 'string' }, 'public-key': { type: 'string' }, help: { type: 'boolean' } },
    }));
  } catch (e) {
    fail(`${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
  }
  if (values.help) return console.log(USAGE);
  const privateFile = values['private-key'];
  if (!privateFile) fail(`--private-key est obligatoire.\n\n${USAGE}`);
  if (isInside(root, privateFile))
    fail('La clé privée ne doit pas être écrite dans le dépôt : indiquez un fichier en dehors.');
  if (existsSync(privateFile)) fail(`${privateFile} existe déjà : il n’est pas remplacé.`);
  const publicFile = values['public-key'] ?? DEFAULT_PUBLIC_KEY;

  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  writeFileSync(privateFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  writeFileSync(publicFile, publicKey.export({ type: 'spki', format: 'pem' }));
  console.log(`Clé privée : ${path.resolve(privateFile)} (à conserver hors du dépôt)`);
  console.log(
    `Clé publique : ${path.resolve(publicFile)} (à commiter ; les versions construites ensuite n’acceptent que les mises à jour signées par cette clé)`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
