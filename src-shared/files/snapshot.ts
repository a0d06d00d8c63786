// A snapshot of a scope (`.atlas-instantane`): every record of one collectivité, a région or the whole
// country as the server had them at a cursor (avis, campaigns and attestations, reference lists and the
// scope's open conflicts included), in the signed container of ./container.ts. Its body is NDJSON — one
// line per record — so that a région's or the nation's snapshot is written and read as a stream: the
// plain JSON is never held whole, only the compressed file.
//
// Who signs: the server, with its Ed25519 key (public key shipped in the app and served at
// SERVER_KEY_PATH); or an SGAR's or the DAECT's device, for a collectivité snapshot made from its own synced
// copy (records as the server sent them, never its pending edits). Such a device signs with its own key
// and puts in the header the certificate the server gave it (deviceCertificate): the importer checks the
// certificate with the server's key, then the file with the certified device key, then that every record
// lies within the certificate's scope. One chain of trust: the server's key.
import { z } from 'zod';
import { conflict, pulledRecord } from '../sync/protocol';
import {
  base64ToBytes,
  ed25519Verify,
  FileError,
  MAX_PLAIN_BYTES,
  readParts,
  writeStreamedFile,
  type FileHeader,
} from './container';
import { REGION_NOMS } from '../reference/regions';

/** Where the server publishes its snapshot-signing public key (JSON: serverKeyDocument). */
export const SERVER_KEY_PATH = '/.well-known/atlas-hors-ligne/cle-serveur.json';

export const serverKeyDocument = z.object({
  algorithm: z.literal('Ed25519'),
  /** First 16 hex digits of the SHA-256 of the raw public key: the `keyId` of a file's server signer. */
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  /** Raw 32-byte public key, base64. */
  publicKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
});
export type ServerKey = z.infer<typeof serverKeyDocument>;

/** What the server certifies about a device: whose it is, its role and scope, its public key. */
export const certificateBody = z.object({
  deviceId: z.uuid(),
  userId: z.uuid(),
  nom: z.string().max(200),
  role: z.enum(['agent', 'sgar', 'daect']),
  region: z.string().max(3).nullable(),
  collectiviteId: z.uuid().nullable(),
  publicKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
  /** The server key that signed this certificate. */
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  issuedAt: z.iso.datetime({ offset: true }),
  expiresAt: z.iso.datetime({ offset: true }),
});
export type CertificateBody = z.infer<typeof certificateBody>;

export { deviceCertificate, type DeviceCertificate } from './container';

/** A certificate lasts a year: an SGAR may stay offline for a whole campaign. */
export const CERTIFICATE_LIFETIME_MS = 365 * 24 * 3600 * 1000;

/** The first line of a snapshot's body. */
export const snapshotMeta = z.object({
  type: z.literal('meta'),
  /** Names for the viewer's banner: the collectivité's or the région's name, or « France entière ». */
  scopeLabel: z.string().max(300),
  /** Who produced it, for the banner: « Serveur CNCD » or the SGAR's name. */
  producedBy: z.string().max(300),
  /** Lines that follow (records + conflicts): a snapshot that ends early is refused. */
  count: z.number().int().nonnegative(),
});
export type SnapshotMeta = z.infer<typeof snapshotMeta>;

/** A record exactly as a pull sends it to a device whose copy is empty (every field, each field's revision). */
export const snapshotRecordLine = z.object({ type: z.literal('record'), record: pulledRecord });
export const snapshotConflictLine = z.object({ type: z.literal('conflict'), conflict });
export const snapshotLine = z.discriminatedUnion('type', [snapshotMeta, snapshotRecordLine, snapshotConflictLine]);
export type SnapshotLine = z.infer<typeof snapshotLine>;

/** The scope a header names, checked against the importing device's or the certificate's. */
export function scopeOfHeader(h: FileHeader): { type: 'collectivite' | 'region' | 'national'; id: string | null } {
  return h.scope;
}

export const isRegionCode = (c: string) => Object.prototype.hasOwnProperty.call(REGION_NOMS, c);

/** A snapshot's scope as the API names it: `collectivite:<uuid>`, `region:<code>` or `national`. */
export const PERIMETRE_PATTERN =
  /^(collectivite:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|region:[0-9A-Z]{2,3}|national)$/;
export type SnapshotScope = FileHeader['scope'];

/** `collectivite:<uuid>` → { type: 'collectivite', id }; null when not a scope name. */
export function parsePerimetre(p: string): SnapshotScope | null {
  if (!PERIMETRE_PATTERN.test(p)) return null;
  if (p === 'national') return { type: 'national', id: null };
  const [type, id] = p.split(':') as ['collectivite' | 'region', string];
  return { type, id };
}

/** The API's name of a scope (the inverse of parsePerimetre). */
export function perimetreOf(scope: SnapshotScope): string {
  return scope.type === 'national' ? 'national' : `${scope.type}:${scope.id ?? ''}`;
}

/**
 * The key that must have signed a snapshot, given the server keys this app trusts (shipped and pinned):
 * a server signer → its key; a device signer → its certified key, once the certificate is checked (server
 * signature, expiry, same device and account, an SGAR or the DAECT, a collectivité-sized snapshot).
 * Null: unknown signer (the file is refused with FILE_UNKNOWN_SIGNER).
 * `certified` receives the certificate's body so that the importer can check the records' scope.
 */
export function snapshotKeyFor(
  trusted: readonly ServerKey[],
  certified?: (body: CertificateBody) => void,
  now = Date.now(),
): (h: FileHeader) => Promise<string | null> {
  return async (h) => {
    const signer = h.signer;
    if (signer.type === 'server') return trusted.find((k) => k.keyId === signer.keyId)?.publicKey ?? null;
    const cert = signer.certificate;
    if (!cert) return null;
    let body: CertificateBody;
    try {
      body = certificateBody.parse(JSON.parse(cert.body));
    } catch {
      return null;
    }
    const server = trusted.find((k) => k.keyId === body.keyId);
    if (!server) return null;
    const ok = await ed25519Verify(
      server.publicKey,
      base64ToBytes(cert.signature),
      new TextEncoder().encode(cert.body),
    );
    if (!ok) return null;
    if (Date.parse(body.expiresAt) < now) return null;
    if (body.deviceId !== signer.deviceId || body.userId !== signer.userId) return null;
    if (body.role === 'agent' || h.scope.type !== 'collectivite') return null;
    certified?.(body);
    return body.publicKey;
  };
}

/**
 * Reads a snapshot body's lines as they are decompressed: `body` is the (already verified) gzip body,
 * `plainBytes` the header's announced size (the ceiling: a zip bomb stops there). Each line is parsed and
 * validated; the first must be the meta line, and the count of the others must match it.
 */
export async function* snapshotLines(body: Uint8Array, plainBytes: number): AsyncGenerator<SnapshotLine> {
  if (plainBytes > MAX_PLAIN_BYTES) throw new FileError('FILE_TOO_LARGE');
  const stream = new DecompressionStream('gzip');
  const writer = stream.writable.getWriter();
  // Fed in slices without awaiting: the reader below drains as the writer fills.
  const fed = (async () => {
    for (let at = 0; at < body.length; at += 1 << 16) await writer.write(body.subarray(at, at + (1 << 16)));
    await writer.close();
  })();
  fed.catch(() => undefined);
  const reader = stream.readable.getReader();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let total = 0;
  let rest = '';
  let seen = -1;
  let meta: SnapshotMeta | null = null;
  const parse = (text: string): SnapshotLine => {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new FileError('FILE_INVALID_CONTENT');
    }
    const line = snapshotLine.safeParse(json);
    if (!line.success) throw new FileError('FILE_INVALID_CONTENT');
    if ((seen === -1) !== (line.data.type === 'meta')) throw new FileError('FILE_INVALID_CONTENT');
    if (line.data.type === 'meta') meta = line.data;
    seen++;
    return line.data;
  };
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch {
        throw new FileError('FILE_TAMPERED');
      }
      if (chunk.done || !chunk.value) break;
      total += chunk.value.length;
      if (total > plainBytes) throw new FileError('FILE_TOO_LARGE');
      let text: string;
      try {
        text = rest + decoder.decode(chunk.value, { stream: true });
      } catch {
        throw new FileError('FILE_INVALID_CONTENT');
      }
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) if (l) yield parse(l);
    }
    if (rest) yield parse(rest);
  } finally {
    await reader.cancel().catch(() => undefined);
    await writer.abort().catch(() => undefined);
  }
  if (total !== plainBytes) throw new FileError('FILE_TAMPERED');
  const m = meta as SnapshotMeta | null;
  if (!m || seen !== m.count) throw new FileError('FILE_INVALID_CONTENT');
}

/** Encodes lines as the NDJSON a snapshot's body holds (one JSON value per line). */
export function encodeSnapshotLine(line: SnapshotLine): string {
  return JSON.stringify(line) + '\n';
}

/** Writes a snapshot from its lines (the meta line first), compressing as they come. */
export function writeSnapshot(
  header: Omit<FileHeader, 'body' | 'formatVersion' | 'kind'>,
  lines: AsyncIterable<SnapshotLine> | Iterable<SnapshotLine>,
  sign: (data: Uint8Array) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  const encoder = new TextEncoder();
  async function* chunks() {
    // Lines are gathered into ~64 KB chunks: one stream write per line would dominate a national snapshot.
    let buf = '';
    for await (const l of lines) {
      buf += encodeSnapshotLine(l);
      if (buf.length > 1 << 16) {
        yield encoder.encode(buf);
        buf = '';
      }
    }
    if (buf) yield encoder.encode(buf);
  }
  return writeStreamedFile({ ...header, kind: 'instantane' }, chunks(), sign);
}

/**
 * Opens a snapshot: layout, hash and signature checked (`keyFor`, see snapshotKeyFor) before anything is
 * decompressed; then its lines, read as a stream (snapshotLines). Throws a FileError.
 */
export async function openSnapshot(
  file: Uint8Array,
  keyFor: (h: FileHeader) => Promise<string | null>,
): Promise<{ header: FileHeader; lines: () => AsyncGenerator<SnapshotLine> }> {
  const parts = await readParts(file);
  if (parts.header.kind !== 'instantane')
    throw new FileError(
      'FILE_WRONG_KIND',
      'Ce fichier est un paquet de modifications, pas un instantané : ouvrez-le avec « Importer un paquet de modifications ».',
    );
  const key = await keyFor(parts.header);
  if (!key) throw new FileError('FILE_UNKNOWN_SIGNER');
  if (!(await ed25519Verify(key, parts.signature, parts.signed))) throw new FileError('FILE_BAD_SIGNATURE');
  // Read as many times as the importer needs (a first pass checks, a second applies): nothing is kept.
  return { header: parts.header, lines: () => snapshotLines(parts.body, parts.header.body.plainBytes) };
}
