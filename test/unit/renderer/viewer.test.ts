// The viewer's machinery (src-renderer/sync/viewer.ts): a snapshot goes through applyResponse into its own
// temporary database, the screens read it while it is shown, and it is deleted on close; the app's
// database is never created. Refused files (signature, records outside the announced scope, an SGAR's
// certificate for another région) leave nothing behind.
import { webcrypto } from 'node:crypto';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { beforeAll, describe, expect, it } from 'vitest';
import { ed25519Signer, FILE_EXTENSIONS, FileError } from '../../../src-shared/files/container';
import {
  CERTIFICATE_LIFETIME_MS,
  writeSnapshot,
  type CertificateBody,
  type ServerKey,
  type SnapshotLine,
} from '../../../src-shared/files/snapshot';
import { screensDb, setDb, AtlasDb } from '../../../src-renderer/db/database';
import { createRepository } from '../../../src-renderer/db/repository';
import {
  closeSnapshotView,
  openSnapshotView,
  showSnapshotView,
  VIEWER_DB_PREFIX,
} from '../../../src-renderer/sync/viewer';
import { discardLeftoverViews, INSTANTANE_EXTENSION } from '../../../src-renderer/sync/viewerName';
import { COLL, contactFields } from './fixtures';

const b64 = (b: ArrayBuffer) => Buffer.from(b).toString('base64');
async function pair() {
  const p = (await webcrypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  return {
    pub: b64(await webcrypto.subtle.exportKey('raw', p.publicKey)),
    priv: b64(await webcrypto.subtle.exportKey('pkcs8', p.privateKey)),
  };
}
const OTHER = '00000000-0000-4000-8000-0000000000c2';
const DEVICE = '00000000-0000-4000-8000-0000000000d1';
const USER = '00000000-0000-4000-8000-0000000000a1';
let server: { pub: string; priv: string };
let key: ServerKey;
beforeAll(async () => {
  server = await pair();
  key = { algorithm: 'Ed25519', keyId: '0123456789abcdef', publicKey: server.pub };
});

const collectivite = (id: string, nom: string, region = '53'): SnapshotLine => ({
  type: 'record',
  record: { entity: 'collectivite', id, rev: 1, fields: { nom, code: 'commune:22278', type: 'commune', region } },
});
const contacts = (n: number, collectiviteId = COLL): SnapshotLine[] =>
  Array.from({ length: n }, (_, i) => ({
    type: 'record',
    record: {
      entity: 'contact',
      id: `00000000-0000-4000-8000-${String(i + 100).padStart(12, '0')}`,
      rev: i + 2,
      fields: contactFields({ collectiviteId, nom: `Nom ${i}` }),
    },
  }));

async function file(
  records: SnapshotLine[],
  opts: { scopeId?: string; signer?: 'server' | CertificateBody; priv?: string } = {},
): Promise<Uint8Array> {
  const lines: SnapshotLine[] = [
    { type: 'meta', scopeLabel: 'Saint-Brieuc', producedBy: 'Serveur CNCD', count: records.length },
    ...records,
  ];
  let signer: Parameters<typeof writeSnapshot>[0]['signer'] = { type: 'server', keyId: key.keyId };
  if (opts.signer && opts.signer !== 'server') {
    const body = JSON.stringify(opts.signer);
    const sig = await ed25519Signer(server.priv)(new TextEncoder().encode(body));
    signer = {
      type: 'device',
      deviceId: DEVICE,
      userId: USER,
      certificate: { body, signature: b64(sig.buffer as ArrayBuffer) },
    };
  }
  return writeSnapshot(
    {
      scope: { type: 'collectivite', id: opts.scopeId ?? COLL },
      signer,
      cursor: 42,
      createdAt: '2026-12-03T10:00:00.000Z',
    },
    lines,
    ed25519Signer(opts.priv ?? server.priv),
  );
}

async function names(factory: IDBFactory): Promise<string[]> {
  return (await factory.databases()).map((d) => d.name!).sort();
}

/** Web Locks as a tab's (none in Node): a lock is held while its callback's promise is pending. */
function fakeLocks(): LockManager {
  const held = new Set<string>();
  const locks = {
    async request(name: string, callback: (lock: Lock | null) => Promise<unknown>) {
      held.add(name);
      try {
        return await callback({ name, mode: 'exclusive' });
      } finally {
        held.delete(name);
      }
    },
    async query(): Promise<LockManagerSnapshot> {
      return { held: [...held].map((name) => ({ name, mode: 'exclusive', clientId: 'onglet' })), pending: [] };
    },
  };
  return locks as unknown as LockManager;
}

/** A database as a viewer whose tab closed left it. */
async function leftover(factory: IDBFactory, name: string): Promise<void> {
  const db = new AtlasDb(name, { indexedDB: factory, IDBKeyRange });
  await db.open();
  db.close();
}

describe('viewer', () => {
  it('asks the platform for files of the snapshot’s extension', () => {
    expect(INSTANTANE_EXTENSION).toBe(FILE_EXTENSIONS.instantane.slice(1));
  });

  it('fills its own database through the pull path, shows it to the screens, deletes it on close', async () => {
    const factory = new IDBFactory();
    // The app's own copy exists with a record of its own: neither read nor changed by the viewer.
    const app = new AtlasDb('atlas-hors-ligne', { indexedDB: factory, IDBKeyRange });
    setDb(app);
    await createRepository(app).create('contact', contactFields({ nom: 'Personne de l’app' }));
    const bytes = await file([collectivite(COLL, 'Saint-Brieuc'), ...contacts(2_500)]);
    const view = await openSnapshotView(bytes, { trusted: [key], indexedDB: factory, IDBKeyRange });
    expect(view.db.name.startsWith(VIEWER_DB_PREFIX)).toBe(true);
    expect(view.records).toBe(2_501);
    expect(view.collectivites).toEqual([{ id: COLL, nom: 'Saint-Brieuc' }]);
    expect(view.meta.producedBy).toBe('Serveur CNCD');
    expect(view.signedBy).toBe('le serveur CNCD');
    // Each record as the snapshot has it, with its server revision (the pull's apply path).
    const repo = createRepository(view.db);
    const list = await repo.list('contact');
    expect(list).toHaveLength(2_500);
    expect(await repo.serverRevision('contact', '00000000-0000-4000-8000-000000000100')).toBe(2);
    expect(await view.db.outbox.count()).toBe(0);
    expect((await view.db.syncState.get('cursor'))?.value).toBe('42');

    expect(screensDb()).toBe(app);
    showSnapshotView(view);
    expect(screensDb()).toBe(view.db);
    expect(await names(factory)).toEqual(['atlas-hors-ligne', view.db.name]);
    await closeSnapshotView(view);
    expect(screensDb()).toBe(app);
    expect(await names(factory)).toEqual(['atlas-hors-ligne']);
    expect((await createRepository(app).list('contact')).map((c) => c.nom)).toEqual(['Personne de l’app']);
    setDb(null);
  });

  const refusals: [string, () => Promise<Uint8Array>, string][] = [
    [
      'a file signed by an unknown key',
      async () => file(contacts(3), { priv: (await pair()).priv }),
      'FILE_BAD_SIGNATURE',
    ],
    [
      'a collectivité’s snapshot holding another collectivité’s records',
      () => file([collectivite(COLL, 'Saint-Brieuc'), ...contacts(3, OTHER)]),
      'FILE_INVALID_CONTENT',
    ],
    [
      'an SGAR device’s snapshot of a collectivité of another région',
      () =>
        file([collectivite(COLL, 'Lyon', '84'), ...contacts(3)], {
          signer: {
            deviceId: DEVICE,
            userId: USER,
            nom: 'SGAR Bretagne',
            role: 'sgar',
            region: '53',
            collectiviteId: null,
            publicKey: server.pub,
            keyId: key.keyId,
            issuedAt: new Date().toISOString(),
            expiresAt: new Date(Date.now() + CERTIFICATE_LIFETIME_MS).toISOString(),
          },
        }),
      'FILE_INVALID_CONTENT',
    ],
  ];
  it('two viewers at once: each has its own copy, kept while shown; copies no viewer holds go', async () => {
    const factory = new IDBFactory();
    const locks = fakeLocks();
    const opts = { trusted: [key], indexedDB: factory, IDBKeyRange, locks };
    await leftover(factory, `${VIEWER_DB_PREFIX}ferme`);
    await leftover(factory, 'atlas-visionneuse');
    const first = await openSnapshotView(await file([collectivite(COLL, 'Saint-Brieuc'), ...contacts(3)]), opts);
    // The leftovers (a closed tab's, an earlier version's) went when the first opened.
    expect(await names(factory)).toEqual([first.db.name]);
    const second = await openSnapshotView(await file([collectivite(COLL, 'Saint-Brieuc'), ...contacts(5)]), opts);
    expect(second.db.name).not.toBe(first.db.name);
    // A start of the app elsewhere neither: both are held.
    await discardLeftoverViews(factory, locks);
    expect(await names(factory)).toEqual([first.db.name, second.db.name].sort());
    expect(await createRepository(first.db).list('contact')).toHaveLength(3);
    expect(await createRepository(second.db).list('contact')).toHaveLength(5);
    await closeSnapshotView(first);
    expect(await names(factory)).toEqual([second.db.name]);
    expect(await createRepository(second.db).list('contact')).toHaveLength(5);
    await closeSnapshotView(second);
    expect(await names(factory)).toEqual([]);
  });

  it('without Web Locks, deletes no copy it cannot tell unused', async () => {
    const factory = new IDBFactory();
    await leftover(factory, `${VIEWER_DB_PREFIX}autre-onglet`);
    const view = await openSnapshotView(await file([collectivite(COLL, 'Saint-Brieuc'), ...contacts(1)]), {
      trusted: [key],
      indexedDB: factory,
      IDBKeyRange,
    });
    expect(await names(factory)).toEqual([`${VIEWER_DB_PREFIX}autre-onglet`, view.db.name].sort());
    await closeSnapshotView(view);
    expect(await names(factory)).toEqual([`${VIEWER_DB_PREFIX}autre-onglet`]);
  });

  for (const [name, make, code] of refusals)
    it(`refuses ${name}, leaving no database behind`, async () => {
      const factory = new IDBFactory();
      const err = await openSnapshotView(await make(), { trusted: [key], indexedDB: factory, IDBKeyRange }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(FileError);
      expect((err as FileError).code).toBe(code);
      expect((err as FileError).message).toMatch(/n’a pas été (ouvert|importé)/);
      expect(await names(factory)).toEqual([]);
    });
});
