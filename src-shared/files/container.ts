// The container of the files that carry sync where there is no network: a device's packet of changes
// (`.atlas-modifs`) and a server's snapshot of a scope (`.atlas-instantane`). One layout for both:
//
//   MAGIC (8 bytes) · header length (u32, big-endian) · header (UTF-8 JSON) ·
//   signature length (u16) · Ed25519 signature of everything before it · body (gzip of the payload's JSON)
//
// The header says what the file is (kind, format version, scope, signer, cursor, date) and carries the
// body's SHA-256 and sizes: the signature covers the header and the header covers the body, so one changed
// byte anywhere is refused. Reading checks, in order and before anything is decompressed: the magic, the
// sizes (a truncated file), the header's shape and format version, the body's hash, the signature (with the
// key the caller finds for the header's signer); then decompresses with a ceiling (the header's plain size,
// itself capped: a zip bomb stops at the ceiling) and validates the payload with the kind's schema.
// Web APIs only (crypto.subtle, CompressionStream): the same code runs in Node, Chromium and Electron.
import { z } from 'zod';
import { FileError } from './errors';

export { FILE_ERROR_CODES, FileError, type FileErrorCode } from './errors';

/** "ATLASHL" and a format byte: not text, so a file opened as text is obviously not one of ours. */
const MAGIC = new Uint8Array([0x41, 0x54, 0x4c, 0x41, 0x53, 0x48, 0x4c, 0x01]);
const MAX_HEADER_BYTES = 64 * 1024;
/** A national snapshot is about 40 MB of JSON; anything announcing more is refused before reading. */
export const MAX_PLAIN_BYTES = 512 * 1024 * 1024;
export const FILE_FORMAT_VERSION = 1;

export const FILE_KINDS = ['modifs', 'instantane'] as const;
export type FileKind = (typeof FILE_KINDS)[number];
export const FILE_EXTENSIONS: Record<FileKind, string> = { modifs: '.atlas-modifs', instantane: '.atlas-instantane' };

const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
/**
 * A device's certificate, given by the server (files/snapshot.ts): `body` is its JSON text, signed as is
 * with the server's key (no canonical form to agree on).
 */
export const deviceCertificate = z.object({ body: z.string().max(4_000), signature: z.string().max(200) });
export type DeviceCertificate = z.infer<typeof deviceCertificate>;

export const fileSigner = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('device'),
    deviceId: z.uuid(),
    userId: z.uuid(),
    /** On a snapshot an SGAR's or the DAECT's device made: the server's word for its key and scope. */
    certificate: deviceCertificate.optional(),
  }),
  z.object({ type: z.literal('server'), keyId: z.string().min(1).max(100) }),
]);
export type FileSigner = z.infer<typeof fileSigner>;

export const fileHeader = z.object({
  kind: z.enum(FILE_KINDS),
  formatVersion: z.number().int().positive(),
  /** What the file covers: a collectivité's id, a région's code, or « national ». */
  scope: z.object({ type: z.enum(['collectivite', 'region', 'national']), id: z.string().max(100).nullable() }),
  signer: fileSigner,
  /** The server cursor the content stands at (snapshot), or the device's last known one (packet). */
  cursor: z.number().int().nonnegative().nullable(),
  createdAt: z.iso.datetime({ offset: true }),
  body: z.object({
    encoding: z.literal('gzip'),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    bytes: z.number().int().nonnegative(),
    plainBytes: z.number().int().nonnegative(),
  }),
});
export type FileHeader = z.infer<typeof fileHeader>;

const encoder = new TextEncoder();

async function sha256Hex(data: Uint8Array): Promise<string> {
  const h = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  return Array.from(h, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function pump(
  stream: { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> },
  input: Uint8Array,
  max: number,
): Promise<Uint8Array> {
  const writer = stream.writable.getWriter();
  // Written without awaiting: the reader below drains as the writer fills (a stream's queue is small).
  const written = writer.write(input).then(() => writer.close());
  written.catch(() => undefined);
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!value) continue;
    total += value.length;
    if (total > max) {
      await reader.cancel().catch(() => undefined);
      await writer.abort().catch(() => undefined);
      throw new FileError('FILE_TOO_LARGE');
    }
    chunks.push(value);
  }
  await written;
  return concat(chunks, total);
}

function concat(chunks: readonly Uint8Array[], total = chunks.reduce((n, c) => n + c.length, 0)): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export function base64ToBytes(s: string): Uint8Array {
  if (!b64.safeParse(s).success) throw new FileError('FILE_INVALID_CONTENT');
  const bin = atob(s);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** Signs with an Ed25519 private key (PKCS#8, base64), as devices keep theirs. */
export function ed25519Signer(pkcs8Base64: string): (data: Uint8Array) => Promise<Uint8Array> {
  return async (data) => {
    const key = await crypto.subtle.importKey('pkcs8', base64ToBytes(pkcs8Base64), { name: 'Ed25519' }, false, [
      'sign',
    ]);
    return new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, key, data));
  };
}

/** Verifies with an Ed25519 public key (raw 32 bytes, base64), as devices register theirs. */
export async function ed25519Verify(
  publicKeyBase64: string,
  signature: Uint8Array,
  data: Uint8Array,
): Promise<boolean> {
  try {
    const key = await crypto.subtle.importKey('raw', base64ToBytes(publicKeyBase64), { name: 'Ed25519' }, false, [
      'verify',
    ]);
    return await crypto.subtle.verify({ name: 'Ed25519' }, key, signature, data);
  } catch {
    return false;
  }
}

/** Builds a signed file from its header (without the body part) and its payload. */
export async function writeFile(
  header: Omit<FileHeader, 'body' | 'formatVersion'>,
  payload: unknown,
  sign: (data: Uint8Array) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  const plain = encoder.encode(JSON.stringify(payload));
  const body = await pump(new CompressionStream('gzip'), plain, Number.MAX_SAFE_INTEGER);
  const full: FileHeader = fileHeader.parse({
    ...header,
    formatVersion: FILE_FORMAT_VERSION,
    body: { encoding: 'gzip', sha256: await sha256Hex(body), bytes: body.length, plainBytes: plain.length },
  });
  const headerBytes = encoder.encode(JSON.stringify(full));
  const signed = concat([MAGIC, u32(headerBytes.length), headerBytes]);
  const signature = await sign(signed);
  return concat([signed, u16(signature.length), signature, body]);
}

/**
 * Builds a signed file whose plain body comes as a stream of chunks (a région's or the nation's snapshot):
 * each chunk is compressed as it comes, so only the compressed body is ever held whole.
 */
export async function writeStreamedFile(
  header: Omit<FileHeader, 'body' | 'formatVersion'>,
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  sign: (data: Uint8Array) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  const gzip = new CompressionStream('gzip');
  const writer = gzip.writable.getWriter();
  let plainBytes = 0;
  const fed = (async () => {
    for await (const c of chunks) {
      plainBytes += c.length;
      await writer.write(c);
    }
    await writer.close();
  })();
  fed.catch(() => undefined);
  const reader = gzip.readable.getReader();
  const out: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (value) out.push(value);
  }
  await fed;
  const body = concat(out);
  if (plainBytes > MAX_PLAIN_BYTES) throw new FileError('FILE_TOO_LARGE');
  const full: FileHeader = fileHeader.parse({
    ...header,
    formatVersion: FILE_FORMAT_VERSION,
    body: { encoding: 'gzip', sha256: await sha256Hex(body), bytes: body.length, plainBytes },
  });
  const headerBytes = encoder.encode(JSON.stringify(full));
  const signed = concat([MAGIC, u32(headerBytes.length), headerBytes]);
  const signature = await sign(signed);
  return concat([signed, u16(signature.length), signature, body]);
}

const u32 = (n: number) => new Uint8Array([(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
const u16 = (n: number) => new Uint8Array([(n >>> 8) & 255, n & 255]);

export interface FileParts {
  header: FileHeader;
  /** The bytes the signature covers. */
  signed: Uint8Array;
  signature: Uint8Array;
  body: Uint8Array;
}

/** Reads the layout and the header; checks the sizes and the body's hash. Nothing is trusted yet. */
export async function readParts(file: Uint8Array): Promise<FileParts> {
  if (file.length < MAGIC.length || MAGIC.some((b, i) => file[i] !== b)) {
    // Our magic with another format byte: a later version of the format.
    const ours = file.length >= MAGIC.length && MAGIC.slice(0, 7).every((b, i) => file[i] === b);
    throw new FileError(ours ? 'FILE_UNKNOWN_VERSION' : 'FILE_NOT_ATLAS');
  }
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  let at = MAGIC.length;
  if (file.length < at + 4) throw new FileError('FILE_TRUNCATED');
  const headerLength = view.getUint32(at);
  at += 4;
  if (headerLength > MAX_HEADER_BYTES) throw new FileError('FILE_TAMPERED');
  if (file.length < at + headerLength + 2) throw new FileError('FILE_TRUNCATED');
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(file.subarray(at, at + headerLength)));
  } catch {
    throw new FileError('FILE_TAMPERED');
  }
  const version = (raw as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && version > FILE_FORMAT_VERSION) throw new FileError('FILE_UNKNOWN_VERSION');
  const parsed = fileHeader.safeParse(raw);
  if (!parsed.success) throw new FileError('FILE_TAMPERED');
  const header = parsed.data;
  at += headerLength;
  const signed = file.subarray(0, at);
  const signatureLength = view.getUint16(at);
  at += 2;
  if (signatureLength > 512) throw new FileError('FILE_TAMPERED');
  if (file.length < at + signatureLength) throw new FileError('FILE_TRUNCATED');
  const signature = file.subarray(at, at + signatureLength);
  at += signatureLength;
  const body = file.subarray(at);
  if (body.length < header.body.bytes) throw new FileError('FILE_TRUNCATED');
  if (body.length > header.body.bytes || (await sha256Hex(body)) !== header.body.sha256)
    throw new FileError('FILE_TAMPERED');
  if (header.body.plainBytes > MAX_PLAIN_BYTES) throw new FileError('FILE_TOO_LARGE');
  return { header, signed, signature, body };
}

/**
 * Opens a file: its parts, the signature checked with the key `keyFor` finds for the header's signer
 * (null: unknown or revoked signer), the body decompressed within its announced size and parsed with
 * `schema`. Throws a FileError; returns only a file that passed every check.
 */
export async function openFile<T>(
  file: Uint8Array,
  opts: {
    kind: FileKind;
    keyFor(header: FileHeader): Promise<string | null>;
    schema: z.ZodType<T>;
  },
): Promise<{ header: FileHeader; payload: T }> {
  const parts = await readParts(file);
  if (parts.header.kind !== opts.kind)
    throw new FileError(
      'FILE_WRONG_KIND',
      parts.header.kind === 'instantane'
        ? 'Ce fichier est un instantané, pas un paquet de modifications : ouvrez-le avec « Importer un instantané ».'
        : 'Ce fichier est un paquet de modifications, pas un instantané : ouvrez-le avec « Importer un paquet de modifications ».',
    );
  const key = await opts.keyFor(parts.header);
  if (!key) throw new FileError('FILE_UNKNOWN_SIGNER');
  if (!(await ed25519Verify(key, parts.signature, parts.signed))) throw new FileError('FILE_BAD_SIGNATURE');
  let plain: Uint8Array;
  try {
    plain = await pump(new DecompressionStream('gzip'), parts.body, parts.header.body.plainBytes);
  } catch (e) {
    if (e instanceof FileError) throw e;
    throw new FileError('FILE_TAMPERED');
  }
  if (plain.length !== parts.header.body.plainBytes) throw new FileError('FILE_TAMPERED');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plain));
  } catch {
    throw new FileError('FILE_INVALID_CONTENT');
  }
  const payload = opts.schema.safeParse(json);
  if (!payload.success) throw new FileError('FILE_INVALID_CONTENT');
  return { header: parts.header, payload: payload.data };
}
