// Device-side proofs of guarantees of docs/sync.md that engine.test.ts leaves to the benchmark or to
// the server tests: bytes on the wire (10), scope of what a device pulls (9), natural-key collisions of
// the APD (5), and pulls resumed after an interruption (2). Real server in-process on PGlite, each
// device its own fake IndexedDB, talking HTTP through a fetch that counts body bytes as they travel.
import http from 'node:http';
import zlib from 'node:zlib';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AtlasDb } from '../../../src-renderer/db/database';
import { recordStatus } from '../../../src-renderer/db/hooks';
import { createRepository } from '../../../src-renderer/db/repository';
import { createWebHost } from '../../../src-renderer/host/web';
import { SyncEngine, type EngineOptions } from '../../../src-renderer/sync/engine';
import type { FetchLike } from '../../../src-renderer/api/http';
import { SessionManager } from '../../../src-renderer/sync/session';
import { loadOfficialCollectivites } from '../../../src-server/reference/officialCollectivites';
import { ENTITY_NAMES, entityDef } from '../../../src-shared/registry';
import { collectiviteId, naturalId } from '../../../src-shared/sync/ids';
import { syncRequest, syncResponse, type SyncRequest, type SyncResponse } from '../../../src-shared/sync/protocol';
import { contactFields } from '../../unit/renderer/fixtures';
import { startLocalServer, type LocalServer } from '../helpers/devices';

/** What a current Chromium (the Electron renderer and the browsers) offers the CNCD server over HTTPS. */
const BROWSER_ACCEPT_ENCODING = 'gzip, deflate, br, zstd';

/** One POST /api/v1/sync as it went over the wire. */
interface Exchange {
  /** Body bytes as sent (compressed when the engine compressed them). */
  requestBytes: number;
  requestEncoding: string | null;
  /** Body bytes as received, before decompression; 0 when the response never reached the device. */
  responseBytes: number;
  responseEncoding: string | null;
  request: SyncRequest;
  response: SyncResponse | null;
}

function decode(buf: Buffer, encoding: string | null): Buffer {
  if (!encoding || encoding === 'identity') return buf;
  if (encoding === 'gzip') return zlib.gunzipSync(buf);
  if (encoding === 'deflate') return zlib.inflateSync(buf);
  if (encoding === 'br') return zlib.brotliDecompressSync(buf);
  throw new Error(`unexpected content-encoding ${encoding}`);
}

/**
 * Node's fetch inflates responses before anyone can count them, so requests go out through node:http
 * instead: what is counted is exactly the body bytes on the wire, both ways. Sync exchanges are logged,
 * and `failSync` can drop a sync request before it leaves or lose its response after the server
 * handled it.
 */
class MeteredWire {
  exchanges: Exchange[] = [];
  /** Called with the 1-based number of each sync request (since the last reset). */
  failSync: ((n: number) => 'drop' | 'lose' | null) | null = null;
  private syncCount = 0;

  reset(): void {
    this.exchanges = [];
    this.syncCount = 0;
  }

  fetch: FetchLike = async (url, init) => {
    const isSync = url.endsWith('/api/v1/sync');
    const raw = init.body;
    const body =
      raw === undefined || raw === null
        ? undefined
        : typeof raw === 'string'
          ? Buffer.from(raw)
          : Buffer.from(raw as Uint8Array);
    const headers: Record<string, string> = {
      ...(init.headers as Record<string, string>),
      'accept-encoding': BROWSER_ACCEPT_ENCODING,
    };
    if (body) headers['content-length'] = String(body.byteLength);
    const verdict = isSync ? (this.failSync?.(++this.syncCount) ?? null) : null;
    let exchange: Exchange | undefined;
    if (isSync) {
      const requestEncoding = headers['content-encoding'] ?? null;
      exchange = {
        requestBytes: body?.byteLength ?? 0,
        requestEncoding,
        responseBytes: 0,
        responseEncoding: null,
        request: syncRequest.parse(JSON.parse(decode(body!, requestEncoding).toString('utf8'))),
        response: null,
      };
      this.exchanges.push(exchange);
    }
    if (verdict === 'drop') throw new TypeError('fetch failed');
    const { status, resHeaders, bytes } = await new Promise<{
      status: number;
      resHeaders: http.IncomingHttpHeaders;
      bytes: Buffer;
    }>((resolve, reject) => {
      const req = http.request(
        url,
        { method: init.method ?? 'GET', headers, signal: init.signal ?? undefined },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, resHeaders: res.headers, bytes: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', () => reject(new TypeError('fetch failed')));
      req.end(body);
    });
    if (verdict === 'lose') throw new TypeError('network connection lost');
    const encoding = (resHeaders['content-encoding'] as string | undefined) ?? null;
    const plain = decode(bytes, encoding);
    if (exchange) {
      exchange.responseBytes = bytes.byteLength;
      exchange.responseEncoding = encoding;
      if (status === 200) exchange.response = syncResponse.parse(JSON.parse(plain.toString('utf8')));
    }
    const out = new Headers();
    for (const [k, v] of Object.entries(resHeaders)) {
      if (v === undefined || ['content-encoding', 'content-length', 'transfer-encoding'].includes(k)) continue;
      out.set(k, Array.isArray(v) ? v.join(', ') : v);
    }
    return new Response(status === 204 || status === 304 ? null : new Uint8Array(plain), { status, headers: out });
  };
}

interface Device {
  db: AtlasDb;
  repo: ReturnType<typeof createRepository>;
  session: SessionManager;
  engine: SyncEngine;
  wire: MeteredWire;
}

let server: LocalServer;
let devices = 0;

// PGlite's start and migrations take most of a minute when the two shared cores are busy.
beforeAll(async () => {
  server = await startLocalServer();
}, 120_000);
afterAll(async () => {
  await server?.close();
});

async function device(user: { email: string; password: string }, opts: Partial<EngineOptions> = {}): Promise<Device> {
  const name = `guarantees-${++devices}`;
  const factory = new IDBFactory();
  const db = new AtlasDb(name, { indexedDB: factory, IDBKeyRange });
  const host = createWebHost({ indexedDB: factory, IDBKeyRange, origin: server.url });
  const wire = new MeteredWire();
  const session = new SessionManager({ db, host, fetch: wire.fetch });
  const engine = new SyncEngine({ db, session, fetch: wire.fetch, random: () => 0.5, ...opts });
  await session.login({ serverUrl: server.url, email: user.email, password: user.password });
  return { db, repo: createRepository(db), session, engine, wire };
}

async function ok(d: Device) {
  const out = await d.engine.syncNow();
  if (!out.ok) throw out.error;
  return out.report;
}

/** Every record of every table of a device's copy, with the collectivité it belongs to (null: national). */
async function everyRecord(d: Device): Promise<{ entity: string; id: string; collectivite: string | null }[]> {
  const out: { entity: string; id: string; collectivite: string | null }[] = [];
  for (const e of ENTITY_NAMES) {
    const scoped = entityDef(e).scope === 'collectivite';
    for (const r of await d.db.records(e).toArray()) {
      out.push({
        entity: e,
        id: r.id,
        collectivite: !scoped ? null : e === 'collectivite' ? r.id : String(r.collectiviteId),
      });
    }
  }
  return out;
}

describe('guarantee 10: small on the wire', () => {
  it('a no-op cycle and a one-field edit cycle cost at most 400 bytes of body each way, as sent and received', async () => {
    const code = 'commune:29019';
    const coll = collectiviteId(code);
    const agent = await server.createUser({ role: 'agent', collectiviteCode: code });
    const a = await device(agent);
    const b = await device(agent);
    await ok(a);
    const c = await a.repo.create(
      'contact',
      contactFields({ collectiviteId: coll, nom: 'Le Gall', prenom: 'Maëlle', fonction: 'Maire adjointe' }),
    );
    await ok(a);
    await ok(b);

    // A no-op cycle: nothing to send, nothing new on the server.
    a.wire.reset();
    const noop = await ok(a);
    expect(noop.requests).toBe(1);
    expect(a.wire.exchanges).toHaveLength(1);
    const [n] = a.wire.exchanges;
    expect(n!.request.changes).toEqual([]);
    expect(n!.response!.changes).toEqual([]);
    expect(n!.requestBytes).toBe(noop.requestBytes[0]);
    expect(n!.requestBytes).toBeLessThanOrEqual(400);
    expect(n!.responseBytes).toBeGreaterThan(0);
    expect(n!.responseBytes).toBeLessThanOrEqual(400);

    // A one-field edit: only that field (value + base revision) goes, and the answer is its result.
    await a.repo.update('contact', c.id, { fonction: 'Première adjointe au maire' });
    a.wire.reset();
    const edit = await ok(a);
    expect(edit).toMatchObject({ requests: 1, sent: 1, acknowledged: 1 });
    expect(a.wire.exchanges).toHaveLength(1);
    const [e] = a.wire.exchanges;
    expect(e!.request.changes).toHaveLength(1);
    const sent = e!.request.changes[0]!;
    expect(sent.op === 'update' && Object.keys(sent.fields)).toEqual(['fonction']);
    expect(e!.requestBytes).toBe(edit.requestBytes[0]);
    expect(e!.requestBytes).toBeLessThanOrEqual(400);
    expect(e!.responseBytes).toBeLessThanOrEqual(400);
    expect(await recordStatus('contact', c.id, a.db)).toBe('synced');

    // The other device's cycle pulls that edit: only the changed field comes down.
    b.wire.reset();
    const pull = await ok(b);
    expect(pull).toMatchObject({ requests: 1, pulled: 1 });
    const [p] = b.wire.exchanges;
    expect(p!.response!.changes).toHaveLength(1);
    expect(Object.keys(p!.response!.changes[0]!.fields ?? {})).toEqual(['fonction']);
    expect(p!.requestBytes).toBeLessThanOrEqual(400);
    expect(p!.responseBytes).toBeLessThanOrEqual(400);
    expect((await b.repo.get('contact', c.id))!.fonction).toBe('Première adjointe au maire');
  });

  it('large bodies travel compressed both ways', async () => {
    const code = 'commune:35051';
    const coll = collectiviteId(code);
    const agent = await server.createUser({ role: 'agent', collectiviteCode: code });
    const a = await device(agent);
    await ok(a);
    for (let i = 0; i < 30; i++)
      await a.repo.create(
        'contact',
        contactFields({
          collectiviteId: coll,
          nom: `Nom ${i}`,
          fonction: 'Conseillère municipale déléguée à la coopération',
        }),
      );
    a.wire.reset();
    await ok(a);
    expect(a.wire.exchanges[0]!.requestEncoding).toBe('gzip');
    const b = await device(agent);
    await ok(b);
    const first = b.wire.exchanges[0]!;
    expect(first.response!.changes.length).toBeGreaterThanOrEqual(31);
    expect(first.responseEncoding).toMatch(/^(br|gzip|deflate)$/);
    expect(first.responseBytes).toBeLessThan(JSON.stringify(first.response).length / 3);
  });
});

describe('guarantee 9: a device pulls its scope and nothing else', () => {
  it('an agent’s device gets only its collectivité, an SGAR device only its région, and a change outside the scope is refused alone', async () => {
    const regionOf = new Map(loadOfficialCollectivites().map((c) => [collectiviteId(c.code), c.region]));
    const rennes = collectiviteId('commune:35238');
    const bruz = collectiviteId('commune:35047'); // the neighbour, same région (53)
    const nantes = collectiviteId('commune:44109'); // another région (52)
    const agents = {
      rennes: await server.createUser({ role: 'agent', collectiviteCode: 'commune:35238' }),
      bruz: await server.createUser({ role: 'agent', collectiviteCode: 'commune:35047' }),
      nantes: await server.createUser({ role: 'agent', collectiviteCode: 'commune:44109' }),
    };
    const made: Record<string, string> = {};
    for (const [key, coll] of [
      ['rennes', rennes],
      ['bruz', bruz],
      ['nantes', nantes],
    ] as const) {
      const d = await device(agents[key]);
      await ok(d);
      const c = await d.repo.create('contact', contactFields({ collectiviteId: coll, nom: `Contact de ${key}` }));
      const p = await d.repo.create('partenariat', {
        collectiviteId: coll,
        nature: 'action_exterieure',
        pays: 'SN',
        nomPartenaire: `Partenaire de ${key}`,
        typePartenaire: 'municipalite',
        jumelage: false,
        dateConvention: null,
        statut: 'active',
        latitude: null,
        longitude: null,
      });
      const r = await ok(d);
      expect(r.acknowledged).toBe(2);
      made[`contact:${key}`] = c.id;
      made[`partenariat:${key}`] = p.id;
    }

    // A fresh device of Rennes's agent: its collectivité, none of the neighbour's nor of Nantes.
    const agentDevice = await device(agents.rennes);
    await ok(agentDevice);
    const agentCopy = await everyRecord(agentDevice);
    expect(agentCopy.length).toBeGreaterThanOrEqual(3);
    expect(agentCopy.filter((r) => r.collectivite !== null && r.collectivite !== rennes)).toEqual([]);
    expect(await agentDevice.repo.get('contact', made['contact:rennes']!)).toMatchObject({ nom: 'Contact de rennes' });
    expect(await agentDevice.repo.get('partenariat', made['partenariat:rennes']!)).toBeDefined();
    expect(await agentDevice.repo.get('contact', made['contact:bruz']!)).toBeUndefined();
    expect(await agentDevice.repo.get('collectivite', bruz)).toBeUndefined();
    // And nothing of them was on the wire either (not just dropped on arrival).
    const pulledIds = new Set(agentDevice.wire.exchanges.flatMap((x) => x.response?.changes.map((c) => c.id) ?? []));
    for (const key of ['contact:bruz', 'partenariat:bruz', 'contact:nantes', 'partenariat:nantes'])
      expect(pulledIds.has(made[key]!)).toBe(false);

    // An SGAR device of Bretagne: both Breton communes, nothing of Pays de la Loire.
    const sgar = await server.createUser({ role: 'sgar', region: '53' });
    const sgarDevice = await device(sgar);
    await ok(sgarDevice);
    const sgarCopy = await everyRecord(sgarDevice);
    expect(sgarCopy.filter((r) => r.collectivite !== null && regionOf.get(r.collectivite) !== '53')).toEqual([]);
    for (const key of ['contact:rennes', 'contact:bruz'])
      expect(await sgarDevice.repo.get('contact', made[key]!)).toBeDefined();
    for (const key of ['partenariat:rennes', 'partenariat:bruz'])
      expect(await sgarDevice.repo.get('partenariat', made[key]!)).toBeDefined();
    expect(await sgarDevice.repo.get('collectivite', bruz)).toMatchObject({ code: 'commune:35047' });
    expect(await sgarDevice.repo.get('contact', made['contact:nantes']!)).toBeUndefined();
    expect(await sgarDevice.repo.get('collectivite', nantes)).toBeUndefined();

    // The agent's device writes into the neighbour's collectivité: refused with a French message and
    // kept on the device; its own edit in the same request goes through.
    const outside = await agentDevice.repo.create(
      'contact',
      contactFields({ collectiviteId: bruz, nom: 'Hors périmètre' }),
    );
    await agentDevice.repo.update('contact', made['contact:rennes']!, { fonction: 'Adjointe' });
    const r = await ok(agentDevice);
    expect(r).toMatchObject({ requests: 1, sent: 2, acknowledged: 1, rejected: 1 });
    expect(await recordStatus('contact', outside.id, agentDevice.db)).toBe('rejected');
    const [rejected] = await agentDevice.db.rejected.toArray();
    expect(rejected).toMatchObject({ record: outside.id, code: 'OUT_OF_SCOPE' });
    expect(rejected!.message).toMatch(/collectivité|périmètre|droit/i);
    expect(await agentDevice.repo.get('contact', outside.id)).toMatchObject({ nom: 'Hors périmètre' });
    expect(await recordStatus('contact', made['contact:rennes']!, agentDevice.db)).toBe('synced');
    await ok(sgarDevice);
    expect(await sgarDevice.repo.get('contact', outside.id)).toBeUndefined();
    expect(await sgarDevice.repo.get('contact', made['contact:rennes']!)).toMatchObject({ fonction: 'Adjointe' });
  });
});

describe('guarantee 5: natural keys on the device', () => {
  it('two devices create the same APD year offline: one declaration, a conflict with both values on the second device, settled there, both converge', async () => {
    const code = 'commune:22278';
    const coll = collectiviteId(code);
    const agent1 = await server.createUser({ role: 'agent', collectiviteCode: code });
    const agent2 = await server.createUser({ role: 'agent', collectiviteCode: code });
    const a = await device(agent1);
    const b = await device(agent2);
    await ok(a);
    await ok(b);

    // Offline on both: the same year, different comments, a line each; and another year where one
    // device left the comment empty.
    const da = await a.repo.create('declarationApd', {
      collectiviteId: coll,
      annee: 2023,
      commentaire: 'Saisie du poste A',
    });
    const db = await b.repo.create('declarationApd', {
      collectiviteId: coll,
      annee: 2023,
      commentaire: 'Saisie du poste B',
    });
    const id = naturalId('declarationApd', [coll, 2023]);
    expect([da.id, db.id]).toEqual([id, id]);
    const la = await a.repo.create('ligneApd', {
      collectiviteId: coll,
      declarationApdId: id,
      pays: 'SN',
      categorie: 'cooperation_jumelage',
      montant: 12_000,
    });
    const lb = await b.repo.create('ligneApd', {
      collectiviteId: coll,
      declarationApdId: id,
      pays: 'BF',
      categorie: 'subventions_ong',
      montant: 3_500,
    });
    const id22 = naturalId('declarationApd', [coll, 2022]);
    await a.repo.create('declarationApd', { collectiviteId: coll, annee: 2022, commentaire: null });
    await b.repo.create('declarationApd', {
      collectiviteId: coll,
      annee: 2022,
      commentaire: 'Complété sur le poste B',
    });

    await ok(a);
    const rb = await ok(b);
    expect(rb.conflicts).toBe(1);
    expect(rb.rejected).toBe(0);

    // The second device sees the conflict, with both values, on the one declaration it has.
    expect(await recordStatus('declarationApd', id, b.db)).toBe('conflict');
    const open = await b.db.conflicts.filter((c) => !c.resolved).toArray();
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      entity: 'declarationApd',
      record: id,
      kind: 'natural_key',
      field: 'commentaire',
      serverValue: 'Saisie du poste A',
      proposedValue: 'Saisie du poste B',
    });
    expect(await b.repo.list('declarationApd', (x) => x.annee === 2023)).toHaveLength(1);
    expect((await b.repo.get('declarationApd', id))!.commentaire).toBe('Saisie du poste A');
    // Both lines are kept under it; the year with one empty comment merged without a conflict.
    expect((await b.repo.list('ligneApd', { declarationApdId: id })).map((l) => l.id).sort()).toEqual(
      [la.id, lb.id].sort(),
    );
    expect(await recordStatus('declarationApd', id22, b.db)).toBe('synced');
    expect((await b.repo.get('declarationApd', id22))!.commentaire).toBe('Complété sur le poste B');

    // The first device learns of it too, until someone settles it.
    await ok(a);
    expect(await a.db.conflicts.filter((c) => !c.resolved && c.record === id).count()).toBe(1);

    // Settled from the second device with a value of its own: it syncs like any change.
    await b.repo.resolveConflict(open[0]!.id, 'Saisies des postes A et B');
    expect(await recordStatus('declarationApd', id, b.db)).toBe('pending');
    await ok(b);
    expect(await recordStatus('declarationApd', id, b.db)).toBe('synced');
    expect(await b.db.conflicts.filter((c) => !c.resolved).count()).toBe(0);
    await ok(a);
    expect(await a.db.conflicts.filter((c) => !c.resolved).count()).toBe(0);
    expect(await recordStatus('declarationApd', id, a.db)).toBe('synced');

    // Both devices, and a fresh one, hold the same declarations and lines.
    const c = await device(agent1);
    await ok(c);
    const view = async (d: Device) => ({
      declarations: (await d.repo.list('declarationApd')).sort((x, y) => x.annee - y.annee),
      lignes: (await d.repo.list('ligneApd')).sort((x, y) => x.id.localeCompare(y.id)),
    });
    const expected = await view(c);
    expect(expected.declarations.map((d) => [d.annee, d.commentaire])).toEqual([
      [2022, 'Complété sur le poste B'],
      [2023, 'Saisies des postes A et B'],
    ]);
    expect(expected.lignes).toHaveLength(2);
    expect(await view(a)).toEqual(expected);
    expect(await view(b)).toEqual(expected);
    for (const d of [a, b]) expect(await d.db.outbox.count()).toBe(0);
  });
});

describe('guarantee 2: a paged pull is resumable', () => {
  const PAGE = 25;
  const code = 'commune:22001';
  const coll = collectiviteId(code);
  let agent: { email: string; password: string };
  let total: number;

  beforeAll(async () => {
    agent = await server.createUser({ role: 'agent', collectiviteCode: code });
    const writer = await device(agent);
    await ok(writer);
    for (let i = 0; i < 24; i++)
      await writer.repo.create('contact', contactFields({ collectiviteId: coll, nom: `Page ${i}` }));
    await ok(writer);
    total = (await everyRecord(writer)).length;
  });

  for (const how of ['drop', 'lose'] as const) {
    const what =
      how === 'drop'
        ? 'the request for page 3 fails before leaving'
        : 'the response to page 3 is lost after the server answered';
    it(`${what}: the next cycle resumes from the saved cursor, downloads no earlier page again and loses nothing`, async () => {
      // Pages of PAGE records: the first two hold contacts too (the reference lists' 38 entries come first).
      expect(total).toBeGreaterThanOrEqual(2 * PAGE + 5);
      const d = await device(agent, { pullLimit: PAGE, catchUpLimit: PAGE });
      d.wire.failSync = (n) => (n === 3 ? how : null);
      const failed = await d.engine.syncNow();
      expect(!failed.ok && failed.error.kind).toBe('network');
      expect(d.engine.getStatus().lastError).toMatch(/injoignable/);

      // Pages 1 and 2 are complete steps: their records and their cursor are saved together.
      const before = d.wire.exchanges.filter((x) => x.response !== null);
      expect(before).toHaveLength(2);
      expect(before.every((x) => x.response!.more)).toBe(true);
      const kept = before.flatMap((x) => x.response!.changes.map((c) => `${c.entity}|${c.id}`));
      expect(kept).toHaveLength(2 * PAGE);
      expect(String((await d.db.syncState.get('cursor'))?.value)).toBe(before[1]!.response!.cursor);
      const local = new Set((await everyRecord(d)).map((r) => `${r.entity}|${r.id}`));
      for (const k of kept) expect(local.has(k)).toBe(true);
      expect(local.size).toBe(2 * PAGE);

      // Meanwhile the person edits a record received on page 1: it goes with the resumed request.
      const edited = kept.find((k) => k.startsWith('contact|'))!.split('|')[1]!;
      await d.repo.update('contact', edited, { fonction: 'Modifiée pendant la coupure' });

      d.wire.failSync = null;
      d.wire.reset();
      const resumed = await ok(d);
      const first = d.wire.exchanges[0]!;
      expect(first.request.cursor).toBe(before[1]!.response!.cursor);
      expect(first.request.changes).toHaveLength(1);
      expect(resumed.acknowledged).toBe(1);
      // No revision delivered before the cut comes again. The one earlier record that does come back is
      // the device's own edit at its new revision (the server leaves a device's echo out of the page
      // answering that request only, not out of later pages), whole: the device's copy is complete only
      // from cursor 0 until this first pull ends (`since`), so the server cannot leave any field out.
      const keptRevs = new Set(before.flatMap((x) => x.response!.changes.map((c) => `${c.entity}|${c.id}@${c.rev}`)));
      const afterChanges = d.wire.exchanges.flatMap((x) => x.response!.changes);
      expect(afterChanges.filter((c) => keptRevs.has(`${c.entity}|${c.id}@${c.rev}`))).toEqual([]);
      const again = afterChanges.filter((c) => kept.includes(`${c.entity}|${c.id}`));
      expect(again.map((c) => c.id)).toEqual(again.length ? [edited] : []);
      for (const c of again)
        expect(c.fields).toMatchObject({
          fonction: 'Modifiée pendant la coupure',
          nom: expect.any(String),
          courriel: expect.any(String),
        });
      const after = afterChanges.map((c) => `${c.entity}|${c.id}`).filter((k) => !kept.includes(k));
      expect(new Set(after).size).toBe(after.length);
      expect(kept.length + after.length).toBe(total);

      const copy = await everyRecord(d);
      expect(copy).toHaveLength(total);
      expect((await d.repo.get('contact', edited))!.fonction).toBe('Modifiée pendant la coupure');
      expect(await d.db.outbox.count()).toBe(0);
      expect(d.engine.getStatus().lastError).toBeNull();
    });
  }
});
