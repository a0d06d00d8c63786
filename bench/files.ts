// npm run bench:files — the files that carry sync without a network (issue 16). Today: a packet of 1,000
// changes made by a simulated device (the app's own code on fake IndexedDB, as in test/integration) and
// imported by an SGAR through the real server (in-process, PGlite): packet_1000_bytes (file size),
// packet_1000_build_s (device: freeze and sign), packet_1000_import_s (server: verify and apply, from the
// request to the answer). The data is checked after the import: every record of the device equals the
// server's, field by field.
// Snapshots (.atlas-instantane) on the national demo seed (PGlite, seeded once into BENCH_FILES_DATA_DIR):
// the région Bretagne's ('53') and the nation's, built by the server's own code (sync/snapshots.ts, what
// GET /api/v1/instantanes runs): snapshot_{region,national}_bytes (file), _json_bytes (the plain NDJSON it
// holds), _ratio (file / JSON, goal ≤ 0.25), _build_s (pull pages, compression, signature). Each file is
// then opened as a device opens it (openSnapshot with the served key) and checked: as many record lines
// as the scope has rows, and one record in 25 compared field by field with the database.
// Then snapshot_{region,national}_import_s: each file verified and imported into IndexedDB in Chromium by the
// device's own import (bench/support/snapshotImport.ts), every live record checked after. The built files
// are also left in bench/results/tmp/ (SNAPSHOT_FILES: the two snapshots and the key that signed them).
// Prints one `name: value` line per figure and writes bench/results/files.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPacket } from '../src-renderer/sync/packet';
import { createServer } from '../src-server/app';
import { loadConfig } from '../src-server/config';
import type { Queryable } from '../src-server/db/driver';
import { isEmpty, seedNational } from '../src-server/seed';
import { countRemaining } from '../src-server/sync/pull';
import { buildSnapshot, resolveScope } from '../src-server/sync/snapshots';
import { measureSnapshotImports } from './support/snapshotImport';
import { printFigures, runBench, writeFigures } from './support/results';
import { openSnapshot, snapshotKeyFor, type SnapshotScope } from '../src-shared/files/snapshot';
import { ENTITY_NAMES, type EntityName } from '../src-shared/registry';
import { collectiviteId } from '../src-shared/sync/ids';
import type { PulledRecord } from '../src-shared/sync/protocol';
import { copyOfRecords, deviceCopy, diffCopies, serverCopy, serverRecords } from '../test/support/copies';
import { contactFields } from '../test/unit/renderer/fixtures';
import { makeDevice, startLocalServer } from '../test/integration/helpers/devices';

const N = 1_000;
const CODE = 'commune:35238';
const COLL = collectiviteId(CODE);
const log = (s: string) => console.error(s);
const seconds = (ms: number) => +(ms / 1000).toFixed(3);
const BENCH = path.dirname(fileURLToPath(import.meta.url));
const DATA_DIR = process.env.BENCH_FILES_DATA_DIR ?? path.join(os.tmpdir(), 'atlas-bench-files-national');
const TMP = path.join(BENCH, 'results', 'tmp');

/** The files this bench leaves for the import measures (device side, Chromium). */
export const SNAPSHOT_FILES = {
  region: path.join(TMP, 'instantane-region-53.atlas-instantane'),
  national: path.join(TMP, 'instantane-national.atlas-instantane'),
  /** The server key document (ServerKey JSON) that verifies both. */
  key: path.join(TMP, 'cle-serveur.json'),
};

async function packetFigures(figures: Record<string, number>) {
  const server = await startLocalServer();
  try {
    const agent = await server.createUser({ role: 'agent', collectiviteCode: CODE });
    const sgar = await server.createUser({ role: 'sgar', region: '53' });
    const login = async (u: { email: string; password: string }) => {
      const d = makeDevice(server.url);
      await d.session.login({ serverUrl: server.url, email: u.email, password: u.password });
      const out = await d.engine.syncNow();
      if (!out.ok) throw out.error;
      return d;
    };
    const commune = await login(agent);
    const carrier = await login(sgar);
    log(`${N} modifications hors ligne…`);
    for (let i = 0; i < N; i++)
      await commune.repo.create(
        'contact',
        contactFields({ collectiviteId: COLL, nom: `Contact ${i}`, prenom: 'Élodie' }),
      );
    let t = performance.now();
    const packet = await buildPacket(commune.db, commune.session);
    figures.packet_1000_build_s = seconds(performance.now() - t);
    if (!packet || packet.count !== N) throw new Error(`paquet de ${packet?.count ?? 0} modifications, ${N} attendues`);
    figures.packet_1000_bytes = packet.bytes.length;
    const body = JSON.stringify({ fichier: Buffer.from(packet.bytes).toString('base64') });
    const token = await carrier.session.token();
    t = performance.now();
    const res = await fetch(`${server.url}/api/v1/paquets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
    });
    const answer = (await res.json()) as { counts?: { applied: number } };
    figures.packet_1000_import_s = seconds(performance.now() - t);
    if (res.status !== 200 || answer.counts?.applied !== N)
      throw new Error(`import refusé ou incomplet : ${res.status} ${JSON.stringify(answer).slice(0, 300)}`);
    // Intact: the device's records (its pending creations) equal the server's, field by field.
    const diff = diffCopies(
      await serverCopy(server.internals.db, { role: 'agent', collectiviteId: COLL }),
      await deviceCopy(commune.db),
    );
    if (diff.length) throw new Error(`copies différentes après l’import :\n${diff.join('\n')}`);
    log('données vérifiées : les 1 000 enregistrements du poste sont ceux du serveur, champ par champ');
  } finally {
    await server.close();
  }
}

/** Rows of the scope (deleted ones too: a pull sends them) and conflicts: the lines a snapshot must hold. */
async function expectedLines(db: Queryable, actor: Parameters<typeof countRemaining>[1], upTo: number) {
  const records = await countRemaining(db, actor, 0, upTo);
  const cond =
    actor.role === 'agent' ? ' AND collectivite_id = $2' : actor.role === 'sgar' ? ' AND scope_region = $2' : '';
  const params: unknown[] = [upTo];
  if (actor.role !== 'daect') params.push(actor.role === 'agent' ? actor.collectiviteId : actor.region);
  const [c] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM conflicts WHERE rev <= $1${cond}`, params);
  let exits = 0;
  if (actor.role === 'sgar') {
    const [e] = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM scope_exits WHERE rev <= $1 AND region = $2',
      [upTo, actor.region],
    );
    exits = Number(e?.n ?? 0);
  }
  return { records, lines: records + Number(c?.n ?? 0) + exits };
}

async function snapshotFigures(figures: Record<string, number>) {
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const handle = await createServer(
    loadConfig({ ...process.env, LOG_LEVEL: 'warn', SEED_DEMO: '0', CNCD_DATA_DIR: DATA_DIR, PORT: '0' }),
  );
  const { db, sync, auth, signingKey } = handle.app.cncd;
  try {
    if (await isEmpty(db)) {
      log(`jeu national de démonstration, créé une fois dans ${DATA_DIR}…`);
      const t0 = performance.now();
      await seedNational(db, sync.revs, auth);
      log(`créé en ${seconds(performance.now() - t0)} s`);
    }
    fs.mkdirSync(TMP, { recursive: true });
    fs.writeFileSync(SNAPSHOT_FILES.key, JSON.stringify(signingKey.document, null, 2));
    const scopes: [name: 'region' | 'national', scope: SnapshotScope][] = [
      ['region', { type: 'region', id: '53' }],
      ['national', { type: 'national', id: null }],
    ];
    for (const [name, scope] of scopes) {
      const resolved = await resolveScope(db, { role: 'daect', collectiviteId: null, region: null }, scope);
      const heapBefore = process.memoryUsage().heapUsed;
      const t = performance.now();
      const built = await buildSnapshot(db, sync, signingKey, resolved);
      figures[`snapshot_${name}_build_s`] = seconds(performance.now() - t);
      log(
        `${name} : ${built.count} lignes, tas +${((process.memoryUsage().heapUsed - heapBefore) / 1e6).toFixed(0)} Mo`,
      );
      fs.writeFileSync(SNAPSHOT_FILES[name], built.bytes);

      // Opened as a device opens it, every line read; one record in 25 kept for the comparison.
      const { header, lines } = await openSnapshot(built.bytes, snapshotKeyFor([signingKey.document]));
      let recordLines = 0;
      let otherLines = 0;
      const sample: PulledRecord[] = [];
      for await (const l of lines()) {
        if (l.type === 'record') {
          if (recordLines++ % 25 === 0 && !l.record.deleted) sample.push(l.record);
        } else if (l.type === 'conflict') otherLines++;
      }
      const expected = await expectedLines(db, resolved.actor, sync.revs.lastRev);
      if (recordLines + otherLines !== expected.lines || header.cursor !== sync.revs.watermark())
        throw new Error(
          `${name} : ${recordLines + otherLines} lignes dans le fichier (curseur ${header.cursor}), ${expected.lines} attendues (curseur ${sync.revs.watermark()})`,
        );
      const ids: Partial<Record<EntityName, string[]>> = {};
      for (const r of sample) (ids[r.entity] ??= []).push(r.id);
      const diff = diffCopies(await serverRecords(db, ids), copyOfRecords(sample));
      if (diff.length) throw new Error(`${name} : enregistrements différents de la base :\n${diff.join('\n')}`);
      const entities = ENTITY_NAMES.filter((e) => ids[e]?.length).length;
      log(
        `${name} : données vérifiées — ${recordLines} enregistrements (autant que de lignes en base), ` +
          `${sample.length} comparés champ par champ (${entities} types)`,
      );
      figures[`snapshot_${name}_bytes`] = built.bytes.length;
      figures[`snapshot_${name}_json_bytes`] = header.body.plainBytes;
      figures[`snapshot_${name}_ratio`] = +(built.bytes.length / header.body.plainBytes).toFixed(3);
    }
    // Verified and imported into IndexedDB in Chromium as a device does, every live record checked after.
    const imported = await measureSnapshotImports(
      [
        {
          figure: 'snapshot_region_import_s',
          bytes: fs.readFileSync(SNAPSHOT_FILES.region),
          scope: { role: 'sgar', region: '53' },
        },
        {
          figure: 'snapshot_national_import_s',
          bytes: fs.readFileSync(SNAPSHOT_FILES.national),
          scope: { role: 'daect' },
        },
      ],
      [signingKey.document],
      { log },
    );
    for (const r of imported) figures[r.figure] = r.seconds;
  } finally {
    await handle.close();
  }
}

async function main() {
  const figures: Record<string, number> = {};
  const only = process.argv[2]; // `paquet` or `instantane`: one part only
  if (only !== 'instantane') await packetFigures(figures);
  if (only !== 'paquet') await snapshotFigures(figures);
  printFigures(figures);
  writeFigures('files', figures);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) runBench(main);
