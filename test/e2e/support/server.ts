// Runs a real CNCD server (PGlite in memory, small seed, serving out/renderer) for the browser tests,
// plus a loopback control port through which tests create users. Started by global-setup.ts with tsx;
// prints one JSON line `{ url, control }` when ready.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from '../../integration/helpers/smtp';
import { startTestServer } from '../../integration/helpers/testServer';
import { loadOfficialCollectivites } from '../../../src-server/reference/officialCollectivites';
import { SMALL_CODES } from '../../../src-server/seed';
import { serverCopy, type Scope } from '../../support/copies';
import { TABLE_DEFS } from '../../../src-server/sync/tables';

// Mail goes to .eml files (the embedded default), which tests read through the control port.
const mailDir = mkdtempSync(join(tmpdir(), 'atlas-e2e-mail-'));
const server = await startTestServer({ seed: 'small', serveApp: true, env: { CNCD_MAIL_DIR: mailDir } });
// Fresh communes (no seeded data) so each test starts from an empty collectivité of its own.
const seeded = new Set<string>(SMALL_CODES);
const fresh = loadOfficialCollectivites()
  .filter((c) => c.type === 'commune' && !seeded.has(c.code) && c.region === '53')
  .map((c) => c.code);
let next = 0;

const control = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', async () => {
    try {
      const o = body ? (JSON.parse(body) as Record<string, unknown>) : {};
      if (req.url === '/users' && req.method === 'POST') {
        const code = o.collectiviteCode === 'fresh' ? fresh[next++]! : (o.collectiviteCode as string | undefined);
        const u = await server.createUser({
          role: (o.role as 'agent' | 'sgar' | 'daect') ?? 'agent',
          collectiviteCode: code,
          region: o.region as string | undefined,
        });
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ ...u, collectiviteCode: code ?? null }));
        return;
      }
      if (req.url === '/mail' && req.method === 'POST') {
        // Decoded texts of the messages sent to one address, oldest first (file names start with the time).
        const to = String(o.to).toLowerCase();
        const mails = readdirSync(mailDir)
          .filter((f) => f.endsWith('.eml'))
          .sort()
          .map((f) => decode(readFileSync(join(mailDir, f), 'utf8')))
          .filter((m) => m.split(/\r?\n/).some((l) => l.toLowerCase() === `to: ${to}`));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ mails }));
        return;
      }
      if (req.url === '/collectivites' && req.method === 'POST') {
        // Adds `add` communes of Bretagne from the register (the last of the fresh ones: agents take the
        // first), then counts the live collectivités of région `region` on the server.
        for (const code of fresh.slice(fresh.length - Number(o.add ?? 0)))
          await server.internals.auth.ensureCollectivite(code);
        const rows = await server.internals.db.query<{ n: number | string }>(
          'SELECT count(*) AS n FROM collectivite WHERE scope_region = $1 AND NOT deleted',
          [String(o.region ?? '53')],
        );
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ count: Number(rows[0]!.n) }));
        return;
      }
      if (req.url === '/national' && req.method === 'POST') {
        // The live rows the DAECT's national dashboard and « à jour » list are computed from, straight from
        // the server database (tableau-de-bord-national.spec.ts computes the expected figures from them).
        const db = server.internals.db;
        const [collectivites, partenariats, fiches, campagnes, attestations] = await Promise.all([
          db.query('SELECT id, nom, code, type, departement, region FROM collectivite WHERE NOT deleted'),
          db.query('SELECT "collectiviteId", nature, pays, "nomPartenaire" FROM partenariat WHERE NOT deleted'),
          db.query<{ n: number | string }>('SELECT count(*) AS n FROM fiche_projet WHERE NOT deleted'),
          db.query('SELECT id, annee, "dateOuverture", "dateCloture" FROM campagne WHERE NOT deleted'),
          db.query(
            'SELECT id, "collectiviteId", "campagneId", partie, "verifieeLe", par FROM attestation_campagne WHERE NOT deleted',
          ),
        ]);
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ collectivites, partenariats, fiches: Number(fiches[0]!.n), campagnes, attestations }));
        return;
      }
      if (req.url === '/region' && req.method === 'POST') {
        // The live records of région `region` (and every campaign) straight from the server database: what
        // its SGAR's regional dashboard must show after a sync.
        const region = String(o.region ?? '53');
        const db = server.internals.db;
        const scoped = (table: string) =>
          db.query(`SELECT * FROM ${table} WHERE NOT deleted AND scope_region = $1`, [region]);
        const out = {
          collectivite: await scoped('collectivite'),
          campagne: await db.query('SELECT * FROM campagne WHERE NOT deleted'),
          attestationCampagne: await scoped('attestation_campagne'),
          partenariat: await scoped('partenariat'),
          ficheProjet: await scoped('fiche_projet'),
          avis: await scoped('avis'),
        };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out));
        return;
      }
      if (req.url === '/records' && req.method === 'POST') {
        // Reads a record straight from the server database: "the server has it".
        const rows = await server.internals.db.query(
          // The entity's table (`entreeReference` → entree_reference), or the name given.
          `SELECT * FROM ${TABLE_DEFS[o.entity as keyof typeof TABLE_DEFS]?.table ?? String(o.entity).replace(/[^a-zA-Z]/g, '')} WHERE id = $1`,
          [o.id],
        );
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ rows }));
        return;
      }
      if (req.url === '/audit' && req.method === 'POST') {
        // The audit of some records (one row per field written, with the change id, its revision, author and
        // device) and who carried each change by file: "applied once, as whom".
        const db = server.internals.db;
        const audit = await db.query(
          `SELECT change_id, rev, user_id, device_id, entity, record_id, field FROM audit_log
           WHERE record_id = ANY($1::uuid[]) ORDER BY id`,
          [o.records],
        );
        const carried = await db.query(
          `SELECT c.change_id, c.carrier_id FROM carried_changes c
           WHERE c.change_id IN (SELECT change_id FROM audit_log WHERE record_id = ANY($1::uuid[]))`,
          [o.records],
        );
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ audit, carried }));
        return;
      }
      if (req.url === '/copy' && req.method === 'POST') {
        // Every live record of a scope, every field as the pull sends it (entity → id → record): what a
        // device of that scope should hold, and export.
        const copy = await serverCopy(server.internals.db, o.scope as Scope);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ copy }));
        return;
      }
      if (req.url === '/revs' && req.method === 'POST') {
        // The revision of every live record of a scope (entity → id → sync_rev): which records changed after a
        // cursor (a snapshot's), so a spec compares a copy with the server's records as they were at it.
        const scope = o.scope as Scope;
        const revs: Record<string, Record<string, number>> = {};
        for (const [entity, def] of Object.entries(TABLE_DEFS)) {
          let cond = '';
          const params: unknown[] = [];
          const national = entity === 'campagne' || entity === 'entreeReference';
          if (!national && scope.role !== 'daect') {
            if (scope.role === 'agent')
              cond = entity === 'collectivite' ? ' AND id = $1' : ' AND "collectiviteId" = $1';
            else cond = ' AND scope_region = $1';
            params.push(scope.role === 'agent' ? scope.collectiviteId : scope.region);
          }
          const rows = await server.internals.db.query<{ id: string; sync_rev: number | string }>(
            `SELECT id, sync_rev FROM ${def.table} WHERE NOT deleted${cond}`,
            params,
          );
          revs[entity] = Object.fromEntries(rows.map((r) => [r.id, Number(r.sync_rev)]));
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ revs }));
        return;
      }
      res.writeHead(404).end();
    } catch (e) {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(e) }));
    }
  });
});
control.listen(0, '127.0.0.1', () => {
  const addr = control.address() as { port: number };
  process.stdout.write(`${JSON.stringify({ url: server.url, control: `http://127.0.0.1:${addr.port}` })}\n`);
});

const stop = async () => {
  control.close();
  await server.close();
  rmSync(mailDir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
