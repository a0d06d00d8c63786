// Snapshots on the device (src-renderer/sync/snapshot.ts): imported through the pull's apply path (pending
// edits kept, records the snapshot lacks removed, cursor and since moved), refused whole when older, of
// another scope or out of its scope; and a collectivité's snapshot an SGAR's device writes from its copy
// (server versions, never its pending edits) is accepted by the commune's device through its certificate.
import { webcrypto } from 'node:crypto';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AtlasDb } from '../../../src-renderer/db/database';
import { createRepository } from '../../../src-renderer/db/repository';
import { applyResponse } from '../../../src-renderer/sync/apply';
import type { SessionManager } from '../../../src-renderer/sync/session';
import { buildCollectiviteSnapshot, importSnapshot, type DeviceScope } from '../../../src-renderer/sync/snapshot';
import { ed25519Signer } from '../../../src-shared/files/container';
import {
  CERTIFICATE_LIFETIME_MS,
  writeSnapshot,
  type CertificateBody,
  type ServerKey,
  type SnapshotLine,
} from '../../../src-shared/files/snapshot';
import type { PulledRecord } from '../../../src-shared/sync/protocol';
import { collectiviteId } from '../../../src-shared/sync/ids';
import { COLL, contactFields, freshDb } from './fixtures';

const b64 = (b: ArrayBuffer) => Buffer.from(b).toString('base64');
async function pair() {
  const p = (await webcrypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  return {
    pub: b64(await webcrypto.subtle.exportKey('raw', p.publicKey)),
    priv: b64(await webcrypto.subtle.exportKey('pkcs8', p.privateKey)),
  };
}

const OTHER = collectiviteId('commune:29019');
const X = '0190f0a0-0000-7000-8000-0000000000a1';
const Y = '0190f0a0-0000-7000-8000-0000000000a2';
const Z = '0190f0a0-0000-7000-8000-0000000000a3';
const CAMPAGNE = '0190f0a0-0000-7000-8000-0000000000b1';
const AGENT: DeviceScope = { role: 'agent', collectiviteId: COLL };

const collectivite = (id: string, region: string, rev = 1): PulledRecord => ({
  entity: 'collectivite',
  id,
  rev,
  fields: {
    code: 'commune:35238',
    nom: 'Rennes',
    type: 'commune',
    departement: '35',
    region,
    adresse: null,
    codePostal: null,
  },
});
const contact = (id: string, rev: number, over: Record<string, unknown> = {}): PulledRecord => ({
  entity: 'contact',
  id,
  rev,
  fields: contactFields(over),
});
const campagne: PulledRecord = {
  entity: 'campagne',
  id: CAMPAGNE,
  rev: 2,
  fields: { annee: 2026, dateOuverture: '2026-01-05', dateCloture: '2026-03-31' },
};

let server: { pub: string; priv: string };
let serverKey: ServerKey;
beforeAll(async () => {
  server = await pair();
  serverKey = { algorithm: 'Ed25519', keyId: '0123456789abcdef', publicKey: server.pub };
});

function serverSnapshot(
  records: PulledRecord[],
  cursor: number,
  scope: { type: 'collectivite' | 'region' | 'national'; id: string | null } = { type: 'collectivite', id: COLL },
): Promise<Uint8Array> {
  const lines: SnapshotLine[] = [
    { type: 'meta', scopeLabel: 'Rennes', producedBy: 'Serveur CNCD', count: records.length },
    ...records.map((record): SnapshotLine => ({ type: 'record', record })),
  ];
  return writeSnapshot(
    { scope, signer: { type: 'server', keyId: serverKey.keyId }, cursor, createdAt: new Date().toISOString() },
    lines,
    ed25519Signer(server.priv),
  );
}

let db: AtlasDb;
async function pull(changes: PulledRecord[], cursor: number) {
  await applyResponse(db, {
    v: 1,
    results: [],
    changes,
    conflicts: [],
    cursor: String(cursor),
    more: false,
    serverTime: new Date().toISOString(),
  });
}
const state = async (k: string) => (await db.syncState.get(k))?.value;

beforeEach(() => {
  db = freshDb();
});

describe('importing a snapshot', () => {
  it('brings the copy to the cursor, keeps the pending edit, removes what the server deleted', async () => {
    await pull([collectivite(COLL, '53'), contact(X, 3), contact(Y, 4)], 4);
    await createRepository(db).update('contact', X, { fonction: 'Adjointe' });
    const file = await serverSnapshot(
      [collectivite(COLL, '53'), contact(X, 15, { nom: 'Martin-Le Goff' }), contact(Z, 16), campagne],
      20,
    );
    const progress: number[] = [];
    const out = await importSnapshot(db, AGENT, file, {
      trusted: [serverKey],
      pageSize: 2,
      onProgress: (p) => p.phase === 'apply' && progress.push(p.done),
    });
    expect(out).toMatchObject({ status: 'imported', records: 4, removed: 1, pendingKept: 1, signer: 'server' });
    expect(progress.at(-1)).toBe(4);
    const repo = createRepository(db);
    // The server's new name arrives; the pending edit stays on top of it, still to send.
    expect(await repo.get('contact', X)).toMatchObject({ nom: 'Martin-Le Goff', fonction: 'Adjointe' });
    expect(await db.outbox.count()).toBe(1);
    expect(await repo.get('contact', Z)).toMatchObject({ id: Z });
    expect(await db.records('contact').get(Y)).toBeUndefined();
    expect(await repo.get('campagne', CAMPAGNE)).toMatchObject({ annee: 2026 });
    expect(await state('cursor')).toBe('20');
    expect(await state('since')).toBe('20');

    // The same file again: nothing to do.
    expect(await importSnapshot(db, AGENT, file, { trusted: [serverKey] })).toMatchObject({ status: 'up_to_date' });
  });

  it('into an empty copy: everything arrives and the first pull is done', async () => {
    const file = await serverSnapshot([collectivite(COLL, '53'), contact(X, 3), campagne], 9);
    await importSnapshot(db, AGENT, file, { trusted: [serverKey] });
    expect(await db.records('contact').count()).toBe(1);
    expect(await state('firstPullAt')).toBeTruthy();
    expect(await state('since')).toBe('9');
  });

  it('refuses, changing nothing: an older file, another scope, an unknown signer, a tampered byte, data outside its scope', async () => {
    await pull([collectivite(COLL, '53'), contact(X, 30)], 30);
    const before = await db.records('contact').toArray();
    const older = await serverSnapshot([collectivite(COLL, '53')], 20);
    await expect(importSnapshot(db, AGENT, older, { trusted: [serverKey] })).rejects.toMatchObject({
      code: 'SNAPSHOT_OLDER',
      message: expect.stringMatching(/^Votre copie est plus récente que ce fichier : il n’a pas été importé\./),
    });
    const other = await serverSnapshot([collectivite(OTHER, '53')], 40, { type: 'collectivite', id: OTHER });
    await expect(importSnapshot(db, AGENT, other, { trusted: [serverKey] })).rejects.toMatchObject({
      code: 'SNAPSHOT_OTHER_SCOPE',
    });
    const good = await serverSnapshot([collectivite(COLL, '53'), contact(X, 35, { nom: 'Autre' })], 40);
    await expect(importSnapshot(db, AGENT, good, { trusted: [] })).rejects.toMatchObject({
      code: 'FILE_UNKNOWN_SIGNER',
    });
    const tampered = new Uint8Array(good);
    tampered[tampered.length - 10]! ^= 1;
    await expect(importSnapshot(db, AGENT, tampered, { trusted: [serverKey] })).rejects.toMatchObject({
      code: 'FILE_TAMPERED',
    });
    const stray = await serverSnapshot([collectivite(COLL, '53'), contact(Z, 35, { collectiviteId: OTHER })], 40);
    await expect(importSnapshot(db, AGENT, stray, { trusted: [serverKey] })).rejects.toMatchObject({
      code: 'SNAPSHOT_OUT_OF_SCOPE',
    });
    expect(await db.records('contact').toArray()).toEqual(before);
    expect(await state('cursor')).toBe('30');
  });
});

describe('a collectivité snapshot made by an SGAR device', () => {
  const USER = '00000000-0000-4000-8000-0000000000a1';
  let device: { pub: string; priv: string };
  const DEVICE = '00000000-0000-4000-8000-0000000000d1';
  beforeAll(async () => {
    device = await pair();
  });
  async function sgarSession(sgarDb: AtlasDb, region: string): Promise<SessionManager> {
    const body = JSON.stringify({
      deviceId: DEVICE,
      userId: USER,
      nom: 'Yann Kervella',
      role: 'sgar',
      region,
      collectiviteId: null,
      publicKey: device.pub,
      keyId: serverKey.keyId,
      issuedAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + CERTIFICATE_LIFETIME_MS).toISOString(),
    } satisfies CertificateBody);
    const signature = b64((await ed25519Signer(server.priv)(new TextEncoder().encode(body))).buffer as ArrayBuffer);
    await sgarDb.syncState.put({ key: 'deviceCertificate', value: { body, signature } });
    return {
      current: async () => ({
        serverUrl: 'http://localhost',
        user: {
          id: USER,
          email: 'y@k.fr',
          nom: 'Yann Kervella',
          role: 'sgar',
          collectiviteId: null,
          collectiviteNom: null,
          region,
        },
        deviceId: DEVICE,
        status: 'active',
        loggedInAt: new Date().toISOString(),
      }),
      deviceKey: async () => ({ deviceId: DEVICE, publicKey: device.pub, privateKey: device.priv }),
    } as unknown as SessionManager;
  }

  it('carries the server versions (not the SGAR’s pending edits) and the commune imports it', async () => {
    const sgarDb = freshDb({ name: 'sgar' });
    db = sgarDb;
    await pull(
      [
        collectivite(COLL, '53'),
        collectivite(OTHER, '53'),
        contact(X, 12),
        contact(Y, 13, { collectiviteId: OTHER }),
        campagne,
      ],
      25,
    );
    await createRepository(sgarDb).update('contact', X, { nom: 'Brouillon du SGAR' });
    const made = await buildCollectiviteSnapshot(sgarDb, await sgarSession(sgarDb, '53'), COLL);
    expect(made).toMatchObject({ records: 3, cursor: 25 });

    db = freshDb({ name: 'commune' });
    await pull([collectivite(COLL, '53'), contact(X, 3)], 5);
    const out = await importSnapshot(db, AGENT, made.bytes, { trusted: [serverKey] });
    expect(out).toMatchObject({ status: 'imported', signer: 'device', records: 3 });
    expect(await createRepository(db).get('contact', X)).toMatchObject({ nom: 'Martin' });
    expect(await db.records('contact').get(Y)).toBeUndefined();
    expect(await state('cursor')).toBe('25');
  });

  it('is refused when the collectivité lies outside the certificate’s région', async () => {
    const sgarDb = freshDb({ name: 'sgar-autre' });
    db = sgarDb;
    await pull([collectivite(COLL, '28'), contact(X, 12)], 25);
    // The SGAR of Normandie has Rennes (wrongly) as a Normandie commune in its copy; its certificate says 52.
    const session = await sgarSession(sgarDb, '52');
    const s = await session.current();
    (session as unknown as { current: () => Promise<unknown> }).current = async () => ({
      ...s,
      user: { ...s!.user, region: '28' },
    });
    const made = await buildCollectiviteSnapshot(sgarDb, session, COLL);
    db = freshDb({ name: 'commune-2' });
    await expect(importSnapshot(db, AGENT, made.bytes, { trusted: [serverKey] })).rejects.toMatchObject({
      code: 'SNAPSHOT_OUT_OF_SCOPE',
    });
    expect(await db.records('contact').count()).toBe(0);
  });
});
