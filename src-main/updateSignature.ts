// Ed25519 signatures of the update metadata (latest*.yml). The release step signs the exact bytes of
// each channel file with the project's private key (scripts/release-sign.mjs) and publishes the
// signature beside it as `<file>.sig` (base64, one line). The app ships only the public key and
// refuses any metadata whose signature does not verify: the metadata holds the installers' sha512,
// so a verified latest.yml pins every byte electron-updater will install.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

export const SIGNATURE_SUFFIX = '.sig';

/** A base64 Ed25519 signature is 64 bytes: 88 characters with padding. */
const SIGNATURE_TEXT = /^[A-Za-z0-9+/]{86}==$/;

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'invalid' };

/** Parses a PEM (SPKI) public key and insists it is Ed25519: another key type must never verify. */
export function loadReleasePublicKey(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`release key must be Ed25519, got ${String(key.asymmetricKeyType)}`);
  return key;
}

/** Verifies `signatureText` (the content of `<file>.sig`) over the metadata exactly as received. */
export function checkMetadataSignature(metadata: string, signatureText: string | null, key: KeyObject): SignatureCheck {
  if (signatureText === null || signatureText.trim() === '') return { ok: false, reason: 'missing' };
  const text = signatureText.trim();
  if (!SIGNATURE_TEXT.test(text)) return { ok: false, reason: 'malformed' };
  const valid = verify(null, Buffer.from(metadata, 'utf8'), key, Buffer.from(text, 'base64'));
  return valid ? { ok: true } : { ok: false, reason: 'invalid' };
}
