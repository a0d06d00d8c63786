// npm run bench:files — the files that carry sync without a network (issue 16). Today: a packet of 1,000
// changes made by a simulated device (the app's own code on fake IndexedDB, as in test/integration) and
// imported by an SGAR through the real server (in-process, PGlite): packet_1000_bytes (file size),
// packet_1000_build_s (device: freeze and sign), packet_1000_import_s (server: verify and apply, from the
// request to the answer). The data is checked after the import: every record of the device equals the
// server's, field by field. Prints one `name: value` line per figure and writes bench/results/files.json.
import fs from 'node:fs';
import path from 'node:path';
import { buildPacket } from '../src-renderer/sync/packet';
import { collectiviteId } from '../src-shared/sync/ids';
import { deviceCopy, diffCopies, serverCopy } from '../test/support/copies';
import { contactFields } from '../test/unit/renderer/fixtures';
import { makeDevice, startLocalServer } from '../test/integration/helpers/devices';

const N = 1_000;
const CODE = 'commune:35238';
const COLL = collectiviteId(CODE);
const log = (s: string) => console.error(s);
const seconds = (ms: number) => +(ms / 1000).toFixed(3);

async function main() {
  const server = await startLocalServer();
  const figures: Record<string, number> = {};
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
  for (const [k, v] of Object.entries(figures)) console.log(`${k}: ${v}`);
  const dir = path.join(path.dirname(new URL(import.meta.url).pathname), 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'files.json'), JSON.stringify({ at: new Date().toISOString(), figures }, null, 2));
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
