// The server's Ed25519 key: it signs the snapshots the server produces (.atlas-instantane) and the
// certificates it gives SGAR and DAECT devices (src-shared/files/snapshot.ts). Given by ATLAS_SIGNING_KEY
// (PKCS#8, base64) in production, else generated at the first start and kept in the database (table
// server_signing_key, migration 0007), so every process on one database signs with the same key. Its public
// half is served at SERVER_KEY_PATH and shipped in the app (resources/cles-serveur.json,
// `npm run server:cle-publique -- --ecrire`).
import crypto from 'node:crypto';
import type { DeviceCertificate } from '../../src-shared/files/container';
import {
  CERTIFICATE_LIFETIME_MS,
  certificateBody,
  serverKeyDocument,
  type CertificateBody,
  type ServerKey,
} from '../../src-shared/files/snapshot';
import type { Role } from '../../src-shared/domain/roles';
import type { Queryable } from '../db/driver';
import { HttpError } from '../httpError';

export interface ServerSigningKey {
  /** First 16 hex digits of the SHA-256 of the raw public key. */
  keyId: string;
  /** What SERVER_KEY_PATH serves and the app ships. */
  document: ServerKey;
  sign(data: Uint8Array): Promise<Uint8Array>;
}

export class SigningKeyError extends Error {}

/** The key from its PKCS#8 form (base64): its public half and id derived from it. */
export function signingKeyFromPkcs8(pkcs8Base64: string): ServerSigningKey {
  let priv: crypto.KeyObject;
  try {
    priv = crypto.createPrivateKey({ key: Buffer.from(pkcs8Base64, 'base64'), format: 'der', type: 'pkcs8' });
  } catch {
    throw new SigningKeyError('ATLAS_SIGNING_KEY : clé privée illisible (attendu : une clé Ed25519 PKCS#8 en base64).');
  }
  if (priv.asymmetricKeyType !== 'ed25519')
    throw new SigningKeyError(
      `ATLAS_SIGNING_KEY : clé ${priv.asymmetricKeyType ?? 'inconnue'} ; une clé Ed25519 est attendue.`,
    );
  // The SPKI of an Ed25519 key ends with its 32 raw bytes.
  const spki = crypto.createPublicKey(priv).export({ format: 'der', type: 'spki' });
  const raw = spki.subarray(spki.length - 32);
  const document = serverKeyDocument.parse({
    algorithm: 'Ed25519',
    keyId: crypto.createHash('sha256').update(raw).digest('hex').slice(0, 16),
    publicKey: raw.toString('base64'),
  });
  return {
    keyId: document.keyId,
    document,
    sign: async (data) => new Uint8Array(crypto.sign(null, data, priv)),
  };
}

/** A new Ed25519 private key, PKCS#8 in base64 (what ATLAS_SIGNING_KEY takes). */
export function generateSigningKeyPkcs8(): string {
  const { privateKey } = crypto.generateKeyPairSync('ed25519');
  return privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
}

/**
 * The server's key: the configured one, else the database's, created on the first start. Two processes
 * starting together on an empty table: the first insert wins and both read it back.
 */
export async function loadSigningKey(db: Queryable, configured: string | null | undefined): Promise<ServerSigningKey> {
  if (configured) return signingKeyFromPkcs8(configured);
  const read = () => db.query<{ private_key: string }>('SELECT private_key FROM server_signing_key WHERE id = 1');
  let [row] = await read();
  if (!row) {
    const pkcs8 = generateSigningKeyPkcs8();
    const fresh = signingKeyFromPkcs8(pkcs8);
    await db.query(
      `INSERT INTO server_signing_key (id, key_id, public_key, private_key) VALUES (1, $1, $2, $3)
       ON CONFLICT (id) DO NOTHING`,
      [fresh.keyId, fresh.document.publicKey, pkcs8],
    );
    [row] = await read();
  }
  if (!row) throw new SigningKeyError('Clé de signature du serveur introuvable dans la base.');
  return signingKeyFromPkcs8(row.private_key);
}

/**
 * The certificate of the session's own device: its registered public key, its account's role and scope,
 * signed by the server's key over the body's UTF-8 bytes. A device or account the server no longer knows
 * (unregistered, disabled, not approved) gets none.
 */
export async function issueCertificate(
  db: Queryable,
  key: ServerSigningKey,
  who: { userId: string; deviceId: string },
  now = new Date(),
): Promise<DeviceCertificate> {
  const [d] = await db.query<{
    public_key: string;
    nom: string;
    role: Role;
    region: string | null;
    collectivite_id: string | null;
    disabled_at: Date | string | null;
    approved_at: Date | string | null;
  }>(
    `SELECT d.public_key, u.nom, u.role, u.region, u.collectivite_id, u.disabled_at, u.approved_at
     FROM devices d JOIN users u ON u.id = d.user_id WHERE d.user_id = $1 AND d.id = $2`,
    [who.userId, who.deviceId],
  );
  if (!d) throw new HttpError(401, 'DEVICE_UNKNOWN', 'Ce poste n’est pas enregistré : reconnectez-vous.');
  if (d.disabled_at !== null)
    throw new HttpError(
      403,
      'ACCOUNT_DISABLED',
      'Votre compte a été désactivé : le serveur ne certifie plus ce poste. Adressez-vous au SGAR de votre région ou à la DAECT.',
    );
  if (d.approved_at === null)
    throw new HttpError(
      403,
      'ACCOUNT_PENDING',
      'Votre compte n’est pas encore validé : ce poste ne peut être certifié.',
    );
  const body: CertificateBody = certificateBody.parse({
    deviceId: who.deviceId,
    userId: who.userId,
    nom: d.nom,
    role: d.role,
    region: d.region,
    collectiviteId: d.collectivite_id,
    publicKey: d.public_key,
    keyId: key.keyId,
    issuedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + CERTIFICATE_LIFETIME_MS).toISOString(),
  });
  const text = JSON.stringify(body);
  const signature = await key.sign(new TextEncoder().encode(text));
  return { body: text, signature: Buffer.from(signature).toString('base64') };
}
