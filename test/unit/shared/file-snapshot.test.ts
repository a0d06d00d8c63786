// Snapshots (src-shared/files/snapshot.ts): lines written as a stream come back whole and in order, the
// server's key and an SGAR device's certified key are both accepted, and a certificate that does not hold
// (another server, expired, another device, an agent) makes the signer unknown.
import { webcrypto } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ed25519Signer, FileError } from '../../../src-shared/files/container';
import {
  CERTIFICATE_LIFETIME_MS,
  openSnapshot,
  snapshotKeyFor,
  writeSnapshot,
  type CertificateBody,
  type ServerKey,
  type SnapshotLine,
} from '../../../src-shared/files/snapshot';

const b64 = (b: ArrayBuffer) => Buffer.from(b).toString('base64');
async function pair() {
  const p = (await webcrypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  return {
    pub: b64(await webcrypto.subtle.exportKey('raw', p.publicKey)),
    priv: b64(await webcrypto.subtle.exportKey('pkcs8', p.privateKey)),
  };
}
const COLL = '00000000-0000-4000-8000-0000000000c1';
const DEVICE = '00000000-0000-4000-8000-0000000000d1';
const USER = '00000000-0000-4000-8000-0000000000a1';
const records: SnapshotLine[] = Array.from({ length: 3000 }, (_, i) => ({
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
let server: { pub: string; priv: string };
let serverKey: ServerKey;

beforeAll(async () => {
  server = await pair();
  serverKey = { algorithm: 'Ed25519', keyId: '0123456789abcdef', publicKey: server.pub };
});

async function collect(file: Uint8Array, trusted: ServerKey[]) {
  const { header, lines: read } = await openSnapshot(file, snapshotKeyFor(trusted));
  const out: SnapshotLine[] = [];
  for await (const l of read()) out.push(l);
  return { header, out };
}

describe('snapshot', () => {
  it('round-trips its lines, signed by the server', async () => {
    const file = await writeSnapshot(
      {
        scope: { type: 'collectivite', id: COLL },
        signer: { type: 'server', keyId: serverKey.keyId },
        cursor: 3000,
        createdAt: new Date().toISOString(),
      },
      lines,
      ed25519Signer(server.priv),
    );
    const { header, out } = await collect(file, [serverKey]);
    expect(header.kind).toBe('instantane');
    expect(out).toEqual(lines);
    await expect(collect(file, [])).rejects.toMatchObject({ code: 'FILE_UNKNOWN_SIGNER' });
  });

  describe('signed by an SGAR device with a certificate', () => {
    let device: { pub: string; priv: string };
    const cert = async (over: Partial<CertificateBody> = {}, signer = server.priv) => {
      const body = JSON.stringify({
        deviceId: DEVICE,
        userId: USER,
        nom: 'SGAR Bretagne',
        role: 'sgar',
        region: '53',
        collectiviteId: null,
        publicKey: device.pub,
        keyId: serverKey.keyId,
        issuedAt: new Date().toISOString(),
        expiresAt: new Date(Date.now() + CERTIFICATE_LIFETIME_MS).toISOString(),
        ...over,
      } satisfies CertificateBody);
      const sig = await ed25519Signer(signer)(new TextEncoder().encode(body));
      return { body, signature: Buffer.from(sig).toString('base64') };
    };
    const file = async (certificate: Awaited<ReturnType<typeof cert>>) =>
      writeSnapshot(
        {
          scope: { type: 'collectivite', id: COLL },
          signer: { type: 'device', deviceId: DEVICE, userId: USER, certificate },
          cursor: 10,
          createdAt: new Date().toISOString(),
        },
        lines,
        ed25519Signer(device.priv),
      );
    beforeAll(async () => {
      device = await pair();
    });
    it('is accepted through the certificate', async () => {
      expect((await collect(await file(await cert()), [serverKey])).out).toHaveLength(lines.length);
    });
    const cases: [string, () => Promise<Awaited<ReturnType<typeof cert>>>][] = [
      ['a certificate signed by another key', async () => cert({}, (await pair()).priv)],
      ['an expired certificate', () => cert({ expiresAt: new Date(Date.now() - 1000).toISOString() })],
      ['a certificate of another device', () => cert({ deviceId: '00000000-0000-4000-8000-0000000000d2' })],
      ['an agent’s certificate', () => cert({ role: 'agent', region: null, collectiviteId: COLL })],
    ];
    for (const [name, make] of cases)
      it(`refuses ${name} as an unknown signer`, async () => {
        const err = await collect(await file(await make()), [serverKey]).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(FileError);
        expect((err as FileError).code).toBe('FILE_UNKNOWN_SIGNER');
      });
  });
});
