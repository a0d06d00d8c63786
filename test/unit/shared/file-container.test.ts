// The container of the files that carry sync (src-shared/files/container.ts): a file round-trips, and each
// way a file can be wrong is refused with its code, before any content is trusted.
import { createHash, webcrypto } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ed25519Signer,
  FileError,
  openFile,
  writeFile,
  type FileErrorCode,
  type FileHeader,
} from '../../../src-shared/files/container';

const b64 = (b: ArrayBuffer) => Buffer.from(b).toString('base64');
const payloadSchema = z.object({ changes: z.array(z.object({ id: z.string(), value: z.string() })) });
const payload = { changes: Array.from({ length: 200 }, (_, i) => ({ id: `c${i}`, value: `Valeur ${i} — été` })) };
const DEVICE = '00000000-0000-4000-8000-0000000000d1';
const USER = '00000000-0000-4000-8000-0000000000a1';
const header = {
  kind: 'modifs' as const,
  scope: { type: 'collectivite' as const, id: '00000000-0000-4000-8000-0000000000c1' },
  signer: { type: 'device' as const, deviceId: DEVICE, userId: USER },
  cursor: 42,
  createdAt: '2026-12-03T10:00:00.000Z',
};
let keys: { pub: string; priv: string };
let other: { pub: string; priv: string };
let file: Uint8Array;

async function pair() {
  const p = (await webcrypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  return {
    pub: b64(await webcrypto.subtle.exportKey('raw', p.publicKey)),
    priv: b64(await webcrypto.subtle.exportKey('pkcs8', p.privateKey)),
  };
}
const open = (f: Uint8Array, key: string | null = keys.pub) =>
  openFile(f, {
    kind: 'modifs',
    schema: payloadSchema,
    keyFor: async (h: FileHeader) => (h.signer.type === 'device' && h.signer.deviceId === DEVICE ? key : null),
  });
async function refusedWith(f: Uint8Array, code: FileErrorCode, key?: string | null): Promise<void> {
  const e = await open(f, key).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(FileError);
  expect((e as FileError).code).toBe(code);
  expect((e as FileError).message).toMatch(/[a-zé]/); // a French sentence, not a code
}
/** The offsets of the file's parts, read from its own lengths. */
function layout(f: Uint8Array) {
  const v = new DataView(f.buffer, f.byteOffset, f.byteLength);
  const headerEnd = 12 + v.getUint32(8);
  const sigStart = headerEnd + 2;
  const bodyStart = sigStart + v.getUint16(headerEnd);
  return { headerStart: 12, headerEnd, sigStart, bodyStart };
}
const flip = (f: Uint8Array, at: number) => {
  const g = f.slice();
  g[at] = g[at]! ^ 0x01;
  return g;
};
/** A file whose header says what we want, re-signed with `priv` (a well-signed file of someone else's making). */
async function forge(h: Record<string, unknown>, body: Uint8Array, priv = keys.priv): Promise<Uint8Array> {
  const headerBytes = new TextEncoder().encode(JSON.stringify(h));
  const magic = new Uint8Array([0x41, 0x54, 0x4c, 0x41, 0x53, 0x48, 0x4c, 0x01]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(headerBytes.length);
  const signed = Buffer.concat([magic, len, headerBytes]);
  const sig = await ed25519Signer(priv)(new Uint8Array(signed));
  const sl = Buffer.alloc(2);
  sl.writeUInt16BE(sig.length);
  return new Uint8Array(Buffer.concat([signed, sl, sig, body]));
}
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  keys = await pair();
  other = await pair();
  file = await writeFile(header, payload, ed25519Signer(keys.priv));
});

describe('file container', () => {
  it('round-trips: the header as written, the payload whole, the body compressed', async () => {
    const { header: h, payload: p } = await open(file);
    expect(p).toEqual(payload);
    expect(h).toMatchObject({ ...header, formatVersion: 1 });
    expect(h.body.plainBytes).toBe(Buffer.byteLength(JSON.stringify(payload)));
    expect(file.length).toBeLessThan(h.body.plainBytes / 4);
  });

  it('refuses what is not an Atlas file, or a later format', async () => {
    await refusedWith(new TextEncoder().encode('{"changes":[]}'), 'FILE_NOT_ATLAS');
    await refusedWith(new Uint8Array(0), 'FILE_NOT_ATLAS');
    const later = file.slice();
    later[7] = 2;
    await refusedWith(later, 'FILE_UNKNOWN_VERSION');
  });

  it('refuses a file truncated anywhere', async () => {
    const { headerEnd, sigStart, bodyStart } = layout(file);
    for (const cut of [10, headerEnd - 5, sigStart + 10, bodyStart + 3, file.length - 1])
      await refusedWith(file.subarray(0, cut), 'FILE_TRUNCATED');
  });

  it('refuses one changed byte in the header, the signature or the body', async () => {
    const { headerStart, headerEnd, sigStart, bodyStart } = layout(file);
    // A byte inside a JSON string of the header (the scope's id): still valid JSON, so the signature catches it.
    const text = new TextDecoder().decode(file.subarray(headerStart, headerEnd));
    const inId = headerStart + text.indexOf('0000000000c1');
    await refusedWith(flip(file, inId), 'FILE_BAD_SIGNATURE');
    await refusedWith(flip(file, headerStart), 'FILE_TAMPERED'); // no longer JSON
    await refusedWith(flip(file, sigStart + 5), 'FILE_BAD_SIGNATURE');
    await refusedWith(flip(file, bodyStart + 20), 'FILE_TAMPERED');
    await refusedWith(flip(file, file.length - 2), 'FILE_TAMPERED');
    const extra = new Uint8Array([...file, 0]);
    await refusedWith(extra, 'FILE_TAMPERED');
  });

  it('refuses an unknown or revoked signer, and a file signed by another key', async () => {
    await refusedWith(file, 'FILE_UNKNOWN_SIGNER', null);
    await refusedWith(file, 'FILE_BAD_SIGNATURE', other.pub);
    const byOther = await writeFile(header, payload, ed25519Signer(other.priv));
    await refusedWith(byOther, 'FILE_BAD_SIGNATURE');
  });

  it('stops a zip bomb at the size its header announces, and refuses a huge announced size', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20)); // 50 MB of spaces, ~50 KB compressed
    const body = new Uint8Array(bomb);
    const h = {
      ...header,
      formatVersion: 1,
      body: { encoding: 'gzip', sha256: sha(body), bytes: body.length, plainBytes: 1000 },
    };
    await refusedWith(await forge(h, body), 'FILE_TOO_LARGE');
    const huge = { ...h, body: { ...h.body, plainBytes: 2 * 1024 * 1024 * 1024 } };
    await refusedWith(await forge(huge, body), 'FILE_TOO_LARGE');
  });

  it('refuses a well-signed file whose content is not what its kind holds', async () => {
    const wrong = await writeFile(header, { changes: 'rien' }, ed25519Signer(keys.priv));
    await refusedWith(wrong, 'FILE_INVALID_CONTENT');
    const snapshot = await writeFile({ ...header, kind: 'instantane' }, payload, ed25519Signer(keys.priv));
    await refusedWith(snapshot, 'FILE_WRONG_KIND');
  });
});
