#!/usr/bin/env node
// `npm run release:sign -- [folder]`: signs the update metadata electron-builder wrote (latest.yml,
// latest-linux.yml, latest-mac.yml; default folder dist/) with the project's Ed25519 release key and
// writes `<file>.sig` (base64, one line) beside each. The app verifies it before any download
// (src-main/signedFeed.ts). The private key is read from ATLAS_RELEASE_KEY (PEM text) or from the
// file named by ATLAS_RELEASE_KEY_FILE or --key, never from the repository. Each signature is checked
// against the public key the app ships (resources/release-public-key.pem) before it is written, so a
// wrong key fails here and not on every agent's computer. Same as, per file:
//   openssl pkeyutl -sign -rawin -inkey atlas-release.key -in latest.yml | base64 -w0 > latest.yml.sig
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_PUBLIC_KEY, isInside } from './release-keygen.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const USAGE = `Usage : npm run release:sign -- [dossier] [--key <fichier de clé privée>] [--public-key <fichier>]

Signe les fichiers latest*.yml du dossier (dist/ par défaut) et écrit <fichier>.sig à côté de chacun.
Clé privée Ed25519 : variable ATLAS_RELEASE_KEY (contenu PEM), ou fichier ATLAS_RELEASE_KEY_FILE ou --key (hors du dépôt).
Publiez les .sig avec les .yml et les installateurs dans le dossier des mises à jour du serveur (CNCD_UPDATES_DIR).`;

class SignError extends Error {}

function readPrivateKey(values, env) {
  const file = values.key ?? env.ATLAS_RELEASE_KEY_FILE;
  let pem;
  if (env.ATLAS_RELEASE_KEY) pem = env.ATLAS_RELEASE_KEY;
  else if (file) {
    if (isInside(root, file))
      throw new SignError('La clé privée ne doit pas se trouver dans le dépôt : déplacez-la hors du dépôt.');
    pem = readFileSync(file, 'utf8');
  } else
    throw new SignError(
      `Clé privée absente : définissez ATLAS_RELEASE_KEY ou ATLAS_RELEASE_KEY_FILE, ou passez --key.\n\n${USAGE}`,
    );
  let key;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new SignError('La clé privée est illisible (attendu : une clé Ed25519 au format PEM PKCS#8).');
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new SignError(`La clé privée doit être Ed25519 (reçu : ${key.asymmetricKeyType}).`);
  return key;
}

/** Signs every latest*.yml of `dir`; returns the names of the signature files written. */
export function signReleaseFolder(dir, options = {}, env = process.env) {
  const privateKey = readPrivateKey(options, env);
  const publicKey = createPublicKey(readFileSync(options['public-key'] ?? DEFAULT_PUBLIC_KEY, 'utf8'));
  const files = readdirSync(dir)
    .filter((f) => /^latest.*\.yml$/.test(f))
    .sort();
  if (files.length === 0) throw new SignError(`Aucun fichier latest*.yml dans ${dir} : lancez d’abord npm run dist.`);
  const written = [];
  for (const f of files) {
    const bytes = readFileSync(path.join(dir, f));
    const signature = sign(null, bytes, privateKey);
    if (!verify(null, bytes, publicKey, signature)) {
      throw new SignError(
        'Cette clé privée ne correspond pas à la clé publique de l’application (resources/release-public-key.pem) : rien n’a été signé.',
      );
    }
    writeFileSync(path.join(dir, `${f}.sig`), `${signature.toString('base64')}\n`);
    written.push(`${f}.sig`);
  }
  return written;
}

function main() {
  try {
    const { values, positionals } = parseArgs({
      allowPositionals: true,
      options: { key: { type: 'string' }, 'public-key': { type: 'string' }, help: { type: 'boolean' } },
    });
    if (values.help) return console.log(USAGE);
    const dir = positionals[0] ?? path.join(root, 'dist');
    for (const f of signReleaseFolder(dir, values)) console.log(`Signé : ${path.join(dir, f)}`);
  } catch (e) {
    console.error(
      e instanceof SignError ? e.message : `Signature impossible : ${e instanceof Error ? e.message : String(e)}`,
    );
    process.exit(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
