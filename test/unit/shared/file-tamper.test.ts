// The tamper matrix of issue 16, one case per line, on both kinds of file: a packet of changes
// (.atlas-modifs, opened as the server opens it: openFile with packetPayload and the author's registered
// key) and a snapshot (.atlas-instantane, opened as a device opens it: openSnapshot with the trusted server
// keys, every line read). Each way a file can be wrong is refused with its code and a French sentence,
// before anything in it is used. The server-side cases (revoked device, rights, carrier's scope, replay)
// are in test/integration/device/packets.test.ts and test/integration/server/snapshots.test.ts.
import { createHash, webcrypto } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ed25519Signer,
  FileError,
  openFile,
  readParts,
  writeFile,
  type FileErrorCode,
  type FileHeader,
  type FileKind,
} from '../../../src-shared/files/container';
import { packetPayload, type PacketPayload } from '../../../src-shared/files/packet';
import {
  openSnapshot,
  snapshotKeyFor,
  writeSnapshot,
  type ServerKey,
  type SnapshotLine,
} from '../../../src-shared/files/snapshot';

const COLL = '00000000-0000-4000-8000-0000000000c1';
const DEVICE = '00000000-0000-4000-8000-0000000000d1';
const USER = '00000000-0000-4000-8000-0000000000a1';
const KEY_ID = '0123456789abcdef';
const CREATED = '2026-12-03T10:00:00.000Z';
const b64 = (b: ArrayBuffer) => Buffer.from(b).toString('base64');
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const encoder = new TextEncoder();

async function pair() {
  const p = (await webcrypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  return {
    pub: b64(await webcrypto.subtle.exportKey('raw', p.publicKey)),
    priv: b64(await webcrypto.subtle.exportKey('pkcs8', p.privateKey)),
  };
}

const payload: PacketPayload = {
  author: { userId: USER, nom: 'Agent de Test', email: 'agent@mairie-test.fr' },
  device: { id: DEVICE },
  collectiviteId: COLL,
  changes: Array.from({ length: 50 }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    seq: i + 1,
    entity: 'contact' as const,
    record: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`,
    op: 'create' as const,
    fields: { collectiviteId: COLL, nom: `Contact n° ${i} — Saint-Étienne`, prenom: 'Anne' },
  })),
};
const records: SnapshotLine[] = Array.from({ length: 500 }, (_, i) => ({
  type: 'record',
  record: {
    entity: 'partenariat',
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    rev: i + 1,
    fields: { nomPartenaire: `Partenaire n° ${i} — Saint-Étienne`, collectiviteId: COLL },
  },
}));
const lines: SnapshotLine[] = [
  { type: 'meta', scopeLabel: 'Commune de Test', producedBy: 'Serveur CNCD', count: records.length },
  ...records,
];

/** The key that signs each kind (the author's device, the server) and another one. */
let signer: { pub: string; priv: string };
let other: { pub: string; priv: string };
const good: Partial<Record<FileKind, Uint8Array>> = {};
const serverKey = (): ServerKey => ({ algorithm: 'Ed25519', keyId: KEY_ID, publicKey: signer.pub });

const headerOf = (kind: FileKind) => ({
  scope: { type: 'collectivite' as const, id: COLL },
  signer:
    kind === 'modifs'
      ? { type: 'device' as const, deviceId: DEVICE, userId: USER }
      : { type: 'server' as const, keyId: KEY_ID },
  cursor: 42,
  createdAt: CREATED,
});

async function write(kind: FileKind, priv: string, header = headerOf(kind)): Promise<Uint8Array> {
  return kind === 'modifs'
    ? writeFile({ ...header, kind }, payload, ed25519Signer(priv))
    : writeSnapshot(header, lines, ed25519Signer(priv));
}

/** Opens a file as its importer does, to the last line. */
async function open(kind: FileKind, file: Uint8Array): Promise<void> {
  if (kind === 'modifs') {
    await openFile(file, {
      kind: 'modifs',
      schema: packetPayload,
      keyFor: async (h: FileHeader) =>
        h.signer.type === 'device' && h.signer.deviceId === DEVICE && h.signer.userId === USER ? signer.pub : null,
    });
    return;
  }
  const { lines: read } = await openSnapshot(file, snapshotKeyFor([serverKey()]));
  for await (const _ of read());
}

/** A file with the header and body we want, signed (validly) with `priv`. */
async function forge(header: Record<string, unknown>, body: Uint8Array, priv = signer.priv): Promise<Uint8Array> {
  const headerBytes = encoder.encode(JSON.stringify(header));
  const magic = new Uint8Array([0x41, 0x54, 0x4c, 0x41, 0x53, 0x48, 0x4c, 0x01]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(headerBytes.length);
  const signed = Buffer.concat([magic, len, headerBytes]);
  const sig = await ed25519Signer(priv)(new Uint8Array(signed));
  const sl = Buffer.alloc(2);
  sl.writeUInt16BE(sig.length);
  return new Uint8Array(Buffer.concat([signed, sl, sig, body]));
}
/** A well-signed file of `kind` whose plain body is `plain` (the header's sizes and hash right). */
async function withPlainBody(kind: FileKind, plain: Uint8Array, over: Record<string, unknown> = {}) {
  const { header } = await readParts(good[kind]!);
  const body = new Uint8Array(gzipSync(plain));
  return forge(
    { ...header, body: { encoding: 'gzip', sha256: sha(body), bytes: body.length, plainBytes: plain.length }, ...over },
    body,
  );
}

function layout(f: Uint8Array) {
  const v = new DataView(f.buffer, f.byteOffset, f.byteLength);
  const headerEnd = 12 + v.getUint32(8);
  const sigStart = headerEnd + 2;
  return { headerStart: 12, headerEnd, sigStart, bodyStart: sigStart + v.getUint16(headerEnd) };
}
const flip = (f: Uint8Array, at: number) => {
  const g = f.slice();
  g[at] = g[at]! ^ 0x01;
  return g;
};

type Case = [name: string, make: (kind: FileKind, file: Uint8Array) => Promise<Uint8Array> | Uint8Array, FileErrorCode];
const ndjson = (l: unknown[]) => encoder.encode(l.map((x) => JSON.stringify(x)).join('\n') + '\n');

const CASES: Case[] = [
  [
    'a changed byte in the header, still JSON (its date)',
    (_k, f) => {
      const { headerStart, headerEnd } = layout(f);
      const at = new TextDecoder().decode(f.subarray(headerStart, headerEnd)).indexOf('10:00:00');
      return flip(f, headerStart + at); // « 10 » → « 00 »: a valid date, another header
    },
    'FILE_BAD_SIGNATURE',
  ],
  ['a changed byte in the header that breaks its JSON', (_k, f) => flip(f, layout(f).headerStart), 'FILE_TAMPERED'],
  ['a changed byte in the signature', (_k, f) => flip(f, layout(f).sigStart + 7), 'FILE_BAD_SIGNATURE'],
  ['a changed byte at the start of the body', (_k, f) => flip(f, layout(f).bodyStart + 12), 'FILE_TAMPERED'],
  ['a changed byte at the end of the body', (_k, f) => flip(f, f.length - 2), 'FILE_TAMPERED'],
  ['a byte added after the body', (_k, f) => new Uint8Array([...f, 0]), 'FILE_TAMPERED'],
  ['a file cut before its header', (_k, f) => f.subarray(0, 10), 'FILE_TRUNCATED'],
  ['a file cut inside its header', (_k, f) => f.subarray(0, layout(f).headerEnd - 5), 'FILE_TRUNCATED'],
  ['a file cut inside its signature', (_k, f) => f.subarray(0, layout(f).sigStart + 10), 'FILE_TRUNCATED'],
  ['a file cut inside its body', (_k, f) => f.subarray(0, f.length - 1), 'FILE_TRUNCATED'],
  ['an empty file', () => new Uint8Array(0), 'FILE_NOT_ATLAS'],
  ['a file that is not an Atlas file', () => encoder.encode('{"changes":[]}'), 'FILE_NOT_ATLAS'],
  ['a wrong signer: a valid signature by another key', (k) => write(k, other.priv), 'FILE_BAD_SIGNATURE'],
  [
    'an unknown signer',
    (k) =>
      write(k, other.priv, {
        ...headerOf(k),
        signer:
          k === 'modifs'
            ? { type: 'device', deviceId: '00000000-0000-4000-8000-0000000000d9', userId: USER }
            : { type: 'server', keyId: 'fedcba9876543210' },
      } as ReturnType<typeof headerOf>),
    'FILE_UNKNOWN_SIGNER',
  ],
  [
    'an unknown format version (the magic’s format byte)',
    (_k, f) => {
      const g = f.slice();
      g[7] = 2;
      return g;
    },
    'FILE_UNKNOWN_VERSION',
  ],
  [
    'an unknown format version (the header’s, signed)',
    async (_k, f) => {
      const { header, body } = await readParts(f);
      return forge({ ...header, formatVersion: 2 }, body);
    },
    'FILE_UNKNOWN_VERSION',
  ],
  [
    'a zip bomb: a small announced size, a body that inflates far beyond it',
    async (_k, f) => {
      const { header } = await readParts(f);
      const body = new Uint8Array(gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20))); // 50 MB of spaces
      return forge(
        { ...header, body: { encoding: 'gzip', sha256: sha(body), bytes: body.length, plainBytes: 1000 } },
        body,
      );
    },
    'FILE_TOO_LARGE',
  ],
  [
    'a zip bomb: a huge announced size',
    async (_k, f) => {
      const { header, body } = await readParts(f);
      return forge({ ...header, body: { ...header.body, plainBytes: 4 * 1024 * 1024 * 1024 } }, body);
    },
    'FILE_TOO_LARGE',
  ],
  ['the other kind of file', (k) => write(k === 'modifs' ? 'instantane' : 'modifs', signer.priv), 'FILE_WRONG_KIND'],
  [
    'a body that is not gzip (well signed, its hash right)',
    async (_k, f) => {
      const { header } = await readParts(f);
      const body = encoder.encode('ceci n’est pas du gzip');
      return forge(
        { ...header, body: { encoding: 'gzip', sha256: sha(body), bytes: body.length, plainBytes: 100 } },
        body,
      );
    },
    'FILE_TAMPERED',
  ],
  [
    'a body shorter than its announced plain size',
    async (k) => {
      const plain = k === 'modifs' ? encoder.encode(JSON.stringify(payload)) : ndjson(lines);
      const f = await withPlainBody(k, plain);
      const { header, body } = await readParts(f);
      return forge({ ...header, body: { ...header.body, plainBytes: plain.length + 10 } }, body);
    },
    'FILE_TAMPERED',
  ],
  [
    'invalid content: well signed, not what its kind holds',
    (k) =>
      withPlainBody(
        k,
        k === 'modifs'
          ? encoder.encode(JSON.stringify({ ...payload, changes: 'rien' }))
          : ndjson([lines[0], { type: 'record' }]),
      ),
    'FILE_INVALID_CONTENT',
  ],
  [
    'invalid content: not JSON',
    (k) => withPlainBody(k, encoder.encode(k === 'modifs' ? '{"author":' : '{"type":"meta"\n')),
    'FILE_INVALID_CONTENT',
  ],
  [
    'invalid content: not UTF-8',
    (k) =>
      withPlainBody(
        k,
        new Uint8Array([...encoder.encode(k === 'modifs' ? '{"a":"' : '{"type":"'), 0xff, 0xfe, 0x22, 0x7d, 0x0a]),
      ),
    'FILE_INVALID_CONTENT',
  ],
  [
    'invalid content: nothing in it (no change / no meta line)',
    (k) =>
      withPlainBody(
        k,
        k === 'modifs' ? encoder.encode(JSON.stringify({ ...payload, changes: [] })) : ndjson(lines.slice(1)),
      ),
    'FILE_INVALID_CONTENT',
  ],
  [
    'invalid content: cut short inside (a change missing its fields / fewer lines than announced)',
    (k) =>
      withPlainBody(
        k,
        k === 'modifs'
          ? encoder.encode(JSON.stringify({ ...payload, changes: [{ ...payload.changes[0], fields: undefined }] }))
          : ndjson(lines.slice(0, -1)),
      ),
    'FILE_INVALID_CONTENT',
  ],
];

beforeAll(async () => {
  signer = await pair();
  other = await pair();
  good.modifs = await write('modifs', signer.priv);
  good.instantane = await write('instantane', signer.priv);
});

describe.each(['modifs', 'instantane'] as const)('tamper matrix: %s', (kind) => {
  it('the untouched file opens', async () => {
    await expect(open(kind, good[kind]!)).resolves.toBeUndefined();
  });

  it.each(CASES)('refuses %s', async (_name, make, code) => {
    const file = await make(kind, good[kind]!);
    const err = await open(kind, file).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(FileError);
    expect((err as FileError).code).toBe(code);
    expect((err as FileError).message).toMatch(/^[A-ZÉ].*[a-zé’].*\.$/); // a French sentence for people
  });
});
