// npm run bench:server — the CNCD server against PostgreSQL 15 (DATABASE_URL, or the local cluster),
// server in a child process, autocannon in this one, on the same machine; authenticated devices,
// gzip request bodies and br/gzip responses like the app. Each load runs BENCH_WARMUP seconds (3)
// unmeasured, then BENCH_DURATION seconds (10) measured.
// Figures: sync_noop_per_s, sync_noop_p99_ms, sync_push5_per_s, sync_push5_p99_ms, seed_national_pg_s,
// sync_*_server_cpu_us and sync_*_pg_cpu_us (CPU per cycle of the server process and of its PostgreSQL backends),
// seed_national_pglite_s, edit_cycle_request_bytes, edit_cycle_response_bytes.
import { execSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import autocannon from 'autocannon';
import pg from 'pg';
import { createServer } from '../src-server/app';
import { loadConfig } from '../src-server/config';
import { seedNational } from '../src-server/seed';
import { newId } from '../src-shared/sync/ids';
import type { SessionResponse } from '../src-shared/api/auth';
import type { SyncResponse } from '../src-shared/sync/protocol';

const DEVICES = 32;
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const figures: Record<string, number> = {};
const put = (name: string, value: number) => {
  figures[name] = Math.round(value * 100) / 100;
  console.log(`${name}: ${figures[name]}`);
};

async function adminUrl(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  try {
    execSync('pg_ctlcluster 15 main start', { stdio: 'ignore' });
  } catch {
    /* already running */
  }
  try {
    execSync(
      `su postgres -c "psql -tc \\"SELECT 1 FROM pg_roles WHERE rolname='atlas'\\" | grep -q 1 || psql -c \\"CREATE ROLE atlas LOGIN SUPERUSER PASSWORD 'atlas'\\""`,
      { stdio: 'ignore' },
    );
  } catch {
    /* role exists or not root: the URL below says what is wrong */
  }
  return 'postgres://atlas:atlas@127.0.0.1:5432/postgres';
}

async function freshDb(admin: string, name: string): Promise<string> {
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return u.toString();
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

async function post<T>(url: string, body: unknown, token?: string): Promise<T> {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${url}: ${r.status} ${await r.text()}`);
  return r.json() as Promise<T>;
}

/** Raw body bytes on the wire (no transparent decompression), for figure (d). */
function rawPost(
  url: string,
  body: Buffer,
  headers: Record<string, string>,
): Promise<{ bytes: number; status: number; text: Buffer; encoding: string | undefined }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: 'POST',
        headers: { ...headers, 'content-length': String(body.length) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            bytes: Buffer.concat(chunks).length,
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks),
            encoding: res.headers['content-encoding'] as string | undefined,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** What the app sends (src-renderer/sync/engine.ts): gzip above 1 KiB of JSON, plain JSON below. */
const COMPRESS_ABOVE = 1_024;
function deviceBody(obj: unknown): { body: Buffer; headers: Record<string, string> } {
  const json = Buffer.from(JSON.stringify(obj));
  return json.length > COMPRESS_ABOVE
    ? {
        body: zlib.gzipSync(json, { level: 6 }),
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      }
    : { body: json, headers: { 'content-type': 'application/json' } };
}

/** CPU seconds used so far by each process (utime + stime from /proc, Linux). */
function cpuSeconds(pids: number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    try {
      const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      out.set(pid, (Number(f[11]) + Number(f[12])) / 100);
    } catch {
      /* process gone */
    }
  }
  return out;
}
/** CPU used between two samples (processes started in between count from zero). */
const cpuDelta = (a: Map<number, number>, b: Map<number, number>) =>
  [...b].reduce((t, [pid, v]) => t + v - (a.get(pid) ?? 0), 0);
const pgPids = (): number[] => {
  try {
    // the backends serving the bench database only (other work on the cluster is not ours)
    return execSync('pgrep -u postgres -f "postgres: .* atlas_bench "', { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
};
/** Server and PostgreSQL CPU per request during fn: what a cycle costs, less sensitive to other load than rates. */
async function withCpu<T extends { requests: { total: number } }>(
  name: string,
  serverPid: number,
  fn: () => Promise<T>,
): Promise<T> {
  const s0 = cpuSeconds([serverPid]);
  const p0 = cpuSeconds(pgPids());
  const out = await fn();
  const n = Math.max(1, out.requests.total);
  put(`${name}_server_cpu_us`, (cpuDelta(s0, cpuSeconds([serverPid])) / n) * 1e6);
  put(`${name}_pg_cpu_us`, (cpuDelta(p0, cpuSeconds(pgPids())) / n) * 1e6);
  return out;
}

async function main() {
  const admin = await adminUrl();

  // (c) seed time on PostgreSQL and on PGlite
  const pgUrl = await freshDb(admin, 'atlas_bench');
  let s = await createServer({ ...loadConfig({ DATABASE_URL: pgUrl, LOG_LEVEL: 'warn' }) });
  let t0 = performance.now();
  const { data } = await seedNational(s.app.cncd.db, s.app.cncd.sync.revs, s.app.cncd.auth);
  put('seed_national_pg_s', (performance.now() - t0) / 1000);
  // the bench devices: agents of 32 different collectivités
  const communes = data.collectivite.filter((c) => c.type === 'commune').slice(0, DEVICES);
  const users: { email: string; password: string; cid: string }[] = [];
  for (const [i, c] of communes.entries()) {
    const email = `bench.${i}@bench.atlas.gouv.fr`;
    await s.app.cncd.auth.createUser({
      role: 'agent',
      email,
      password: 'mot-de-passe-bench',
      nom: `Agent bench ${i}`,
      collectiviteId: String(c.id),
    });
    users.push({ email, password: 'mot-de-passe-bench', cid: String(c.id) });
  }
  await s.close();

  const pgliteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cncd-bench-'));
  s = await createServer(loadConfig({ CNCD_DATA_DIR: pgliteDir, LOG_LEVEL: 'warn' }));
  t0 = performance.now();
  await seedNational(s.app.cncd.db, s.app.cncd.sync.revs, s.app.cncd.auth);
  put('seed_national_pglite_s', (performance.now() - t0) / 1000);
  await s.close();
  fs.rmSync(pgliteDir, { recursive: true, force: true });

  // the server, in its own process, on the seeded PostgreSQL database
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/cncd-prof'] : []),
      ...(process.env.BENCH_DEBUG ? ['--trace-gc'] : []),
      '--import',
      'tsx',
      'src-server/main.ts',
    ],
    {
      env: {
        ...process.env,
        DATABASE_URL: pgUrl,
        PORT: String(port),
        SEED_DEMO: '0',
        LOG_LEVEL: 'warn',
        AUTH_RATE_LIMIT: '1000',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const base = `http://127.0.0.1:${port}`;
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => {
      if (process.env.BENCH_DEBUG) fs.appendFileSync('/tmp/cncd-bench-gc.log', b);
      if (b.toString().includes('Serveur CNCD prêt')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });

  try {
    // devices log in, pull their whole scope, and each gets a contact of its own to edit
    const devices: { token: string; cursor: string; seq: number; contact: string; base: number }[] = [];
    for (const u of users) {
      const { publicKey } = crypto.generateKeyPairSync('ed25519');
      const session = await post<SessionResponse>(`${base}/api/v1/auth/login`, {
        email: u.email,
        password: u.password,
        device: {
          id: newId(),
          name: 'Poste de bench',
          publicKey: publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64'),
        },
      });
      let cursor = '0';
      for (;;) {
        const r = await post<SyncResponse>(`${base}/api/v1/sync`, { v: 1, cursor, changes: [] }, session.accessToken);
        cursor = r.cursor;
        if (!r.more) break;
      }
      const contact = newId();
      const r = await post<SyncResponse>(
        `${base}/api/v1/sync`,
        {
          v: 1,
          cursor,
          changes: [
            {
              id: newId(),
              seq: 1,
              entity: 'contact',
              op: 'create',
              record: contact,
              fields: {
                collectiviteId: u.cid,
                categorie: 'cadre',
                civilite: 'Mme',
                prenom: 'Claire',
                nom: 'Bench',
                fonction: 'Chargée de mission',
                courriel: 'claire.bench@mairie.fr',
                telephone: null,
              },
            },
          ],
        },
        session.accessToken,
      );
      devices.push({ token: session.accessToken, cursor: r.cursor, seq: 1, contact, base: r.results[0]!.rev! });
    }

    const headersFor = (token: string, h: Record<string, string>) => ({
      ...h,
      authorization: `Bearer ${token}`,
      'accept-encoding': 'br, gzip',
    });
    // Devices not in a cycle now. autocannon clears a connection's context before each request, so a
    // request takes a free device and its answer frees it: like the app, a device never has two cycles
    // in flight (handing devices out in turn ran two cycles of one device at once, which the server
    // serialises, and sent sequence numbers out of order).
    const free = [...devices];
    const take = (context: Ctx) => (context.dev = free.shift()!);
    const release = (context: Ctx) => {
      if (context.dev) free.push(context.dev);
    };
    type Ctx = { dev?: (typeof devices)[number]; sent?: number };
    // BENCH_DEBUG: each push cycle's start and latency, to tell stalls that hit every device at once
    // (garbage collection, checkpoints) from slow requests spread over the run.
    const trace: [number, number][] = [];

    // Devices catch up like a device at rest once a load has stopped: the requests it cut off may have
    // been applied, and each device's next edit must be based on its contact's revision.
    const settle = async () => {
      await new Promise((r) => setTimeout(r, 1_000));
      free.splice(0, free.length, ...devices);
      for (const d of devices) {
        const rest = await post<SyncResponse>(`${base}/api/v1/sync`, { v: 1, cursor: d.cursor, changes: [] }, d.token);
        d.cursor = rest.cursor;
        for (const c of rest.changes) if (c.id === d.contact) d.base = c.rev;
      }
    };

    // (a) no-op cycles: nothing to push, nothing new in scope
    const noopLoad = (duration: number) =>
      autocannon({
        url: base,
        connections: DEVICES,
        duration,
        requests: [
          {
            method: 'POST',
            path: '/api/v1/sync',
            setupRequest: (req: Record<string, unknown>, context: Ctx) => {
              const d = take(context);
              const { body, headers } = deviceBody({ v: 1, cursor: d.cursor, changes: [] });
              return { ...req, body, headers: headersFor(d.token, headers) };
            },
            onResponse: (status: number, body: string, context: Ctx) => {
              release(context);
              if (status !== 200 || !context.dev) return;
              try {
                context.dev.cursor = (JSON.parse(body) as SyncResponse).cursor;
              } catch {
                /* compressed: keep it */
              }
            },
          },
        ],
      } as unknown as autocannon.Options);
    // The same load for WARMUP seconds first, not measured: a server that has run is not cold (its code
    // compiled, its statements prepared on every connection); the first seconds of a cold start are slower.
    await noopLoad(WARMUP);
    await settle();
    const noop = await withCpu('sync_noop', child.pid!, () => noopLoad(DURATION));
    if (noop.non2xx) throw new Error(`no-op: ${noop.non2xx} non-2xx answers`);
    put('sync_noop_per_s', noop.requests.average);
    put('sync_noop_p50_ms', noop.latency.p50);
    put('sync_noop_p99_ms', noop.latency.p99);

    // (b) cycles pushing 5 field edits of one record (one change, as the outbox coalesces a form) and pulling
    await settle();
    let n = 0;
    let notApplied = 0;
    const pushLoad = (duration: number) =>
      autocannon({
        url: base,
        connections: DEVICES,
        duration,
        requests: [
          {
            method: 'POST',
            path: '/api/v1/sync',
            setupRequest: (req: Record<string, unknown>, context: Ctx) => {
              const d = take(context);
              const k = ++n;
              const fields = {
                prenom: { value: `Claire ${k}`, base: d.base },
                nom: { value: `Bench ${k}`, base: d.base },
                fonction: { value: `Chargée de mission ${k}`, base: d.base },
                courriel: { value: `claire.${k}@mairie.fr`, base: d.base },
                telephone: { value: `02 96 ${String(k % 100).padStart(2, '0')} 00 00`, base: d.base },
              };
              const { body, headers } = deviceBody({
                v: 1,
                cursor: d.cursor,
                changes: [{ id: newId(), seq: ++d.seq, entity: 'contact', op: 'update', record: d.contact, fields }],
              });
              context.sent = performance.now();
              return { ...req, body, headers: headersFor(d.token, headers) };
            },
            onResponse: (status: number, body: string, context: Ctx) => {
              if (context.sent !== undefined) trace.push([context.sent, performance.now() - context.sent]);
              release(context);
              if (status !== 200 || !context.dev) return;
              try {
                const r = JSON.parse(body) as SyncResponse;
                context.dev.cursor = r.cursor;
                if (r.results[0]?.status !== 'applied') notApplied++;
                if (r.results[0]?.rev) context.dev.base = r.results[0].rev;
              } catch {
                /* compressed page: keep the previous cursor */
              }
            },
          },
        ],
      } as unknown as autocannon.Options);
    await pushLoad(WARMUP);
    await settle();
    trace.length = 0;
    notApplied = 0;
    const push = await withCpu('sync_push5', child.pid!, () => pushLoad(DURATION));
    if (push.non2xx) throw new Error(`push5: ${push.non2xx} non-2xx answers`);
    // every edit must be applied as sent: a refusal or a conflict would mean the load is not what it claims
    if (notApplied) throw new Error(`push5: ${notApplied} edits not applied`);
    put('sync_push5_per_s', push.requests.average);
    put('sync_push5_p50_ms', push.latency.p50);
    put('sync_push5_p99_ms', push.latency.p99);
    if (process.env.BENCH_DEBUG && trace.length) {
      const t0 = trace[0]![0];
      const buckets = new Map<number, { n: number; slow: number; max: number }>();
      for (const [at, ms] of trace) {
        const b = Math.floor((at - t0) / 500);
        const x = buckets.get(b) ?? { n: 0, slow: 0, max: 0 };
        x.n++;
        if (ms > 50) x.slow++;
        x.max = Math.max(x.max, ms);
        buckets.set(b, x);
      }
      for (const [b, x] of [...buckets].sort((a, c) => a[0] - c[0]))
        console.log(`  ${(b / 2).toFixed(1)} s: ${x.n} cycles, ${x.slow} > 50 ms, max ${x.max.toFixed(0)} ms`);
    }

    // (d) bytes of a one-field edit cycle, request and response bodies as they travel
    await settle();
    const d = devices[0]!;
    const edit = deviceBody({
      v: 1,
      cursor: d.cursor,
      changes: [
        {
          id: newId(),
          seq: ++d.seq + 1_000_000,
          entity: 'contact',
          op: 'update',
          record: d.contact,
          fields: { telephone: { value: '02 96 62 54 00', base: d.base } },
        },
      ],
    });
    const res = await rawPost(`${base}/api/v1/sync`, edit.body, headersFor(d.token, edit.headers));
    if (res.status !== 200) throw new Error(`edit cycle: ${res.status} ${res.text.toString()}`);
    if (process.env.BENCH_DEBUG) {
      const plain =
        res.encoding === 'br'
          ? zlib.brotliDecompressSync(res.text)
          : res.encoding === 'gzip'
            ? zlib.gunzipSync(res.text)
            : res.text;
      console.log(plain.toString());
    }
    put('edit_cycle_request_bytes', edit.body.length);
    put('edit_cycle_response_bytes', res.bytes);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }

  fs.mkdirSync('bench/results', { recursive: true });
  fs.writeFileSync(
    'bench/results/server.json',
    JSON.stringify(
      {
        bench: 'server',
        at: new Date().toISOString(),
        cpus: os.cpus().length,
        loadavg: os.loadavg(),
        duration_s: DURATION,
        figures,
      },
      null,
      2,
    ),
  );
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query('DROP DATABASE IF EXISTS atlas_bench WITH (FORCE)');
  await c.end();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
