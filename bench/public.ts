// npm run bench:public — the public Atlas (/atlas/) on the national demo data: the server in its own process
// (PGlite in a temporary folder, seeded with the national demo data at start, like `npm run server` on an empty
// database), autocannon in this one, on the same machine. Pages are asked for as a browser does (br/gzip).
// Figures (one function each, in FIGURES: add one there):
//   public_page_p95_ms, public_pages_per_s — a mix of home (10 %), collectivité (30 %), fiche (30 %), country
//   (15 %) and search (15 %) pages, 32 concurrent clients, BENCH_WARMUP s (3) unmeasured then BENCH_DURATION s (10);
//   public_page_server_cpu_ms, the server process's CPU time per page meanwhile (what a loaded machine hides);
//   open_data_export_s (with open_data_records, open_data_mb), the open-data files built (bench/openData.ts).
// Prints one `name: value` line per figure and writes bench/results/public.json.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { runBench, writeFigures } from './support/results';

const CLIENTS = 32;
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const log = (s: string) => console.error(s);
const figures: Record<string, number> = {};
const put = (name: string, value: number) => {
  figures[name] = Math.round(value * 100) / 100;
  console.log(`${name}: ${figures[name]}`);
};

export interface BenchServer {
  /** http://127.0.0.1:<port> */
  base: string;
  /** The server process's CPU time so far, in ms (Linux /proc; 0 elsewhere). */
  cpuMs(): number;
  /** Every page of the sitemap, as paths. */
  paths: string[];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function startServer(dataDir: string): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src-server/main.ts'], {
    env: {
      ...process.env,
      CNCD_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      CNCD_APP_DIR: '/nonexistent-app-dir',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => {
      if (b.toString().includes('Serveur CNCD prêt')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`le serveur s’est arrêté (code ${code})`)));
  });
  return { child, base: `http://127.0.0.1:${port}` };
}

/** A deterministic pseudo-random sequence (the same mix on every run). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** public_page_p95_ms and public_pages_per_s: the page mix under 32 concurrent clients. */
async function pageMix(srv: BenchServer): Promise<void> {
  const col = srv.paths.filter((p) => p.startsWith('/atlas/collectivites/'));
  const fiches = srv.paths.filter((p) => p.startsWith('/atlas/projets/'));
  const pays = srv.paths.filter((p) => p.startsWith('/atlas/pays/'));
  const words = col
    .slice(0, 400)
    .map((p) => p.split('-').slice(2).join(' '))
    .filter((w) => w.length > 2);
  const terms = [...words.slice(0, 60), 'mali', 'senegal', 'eau', 'education', 'sante', 'madagascar', 'saint'];
  const rand = rng(17);
  const pick = <T>(a: T[]) => a[Math.floor(rand() * a.length)]!;
  const next = () => {
    const r = rand();
    if (r < 0.1) return '/atlas/';
    if (r < 0.4) return pick(col);
    if (r < 0.7) return pick(fiches);
    if (r < 0.85) return pick(pays);
    return `/atlas/recherche?q=${encodeURIComponent(pick(terms))}`;
  };
  const run = async (seconds: number) => {
    const times: number[] = [];
    let ok = 0;
    let bad = 0;
    await new Promise<void>((resolve, reject) => {
      const inst = autocannon(
        {
          url: srv.base,
          connections: CLIENTS,
          duration: seconds,
          headers: { 'accept-encoding': 'br, gzip', accept: 'text/html' },
          requests: [{ setupRequest: (req) => ({ ...req, method: 'GET', path: next() }) }],
        },
        (err) => (err ? reject(err) : resolve()),
      );
      inst.on('response', (_c: unknown, status: number, _bytes: number, ms: number) => {
        times.push(ms);
        if (status === 200) ok++;
        else bad++;
      });
    });
    return { times, ok, bad };
  };
  if (WARMUP > 0) await run(WARMUP);
  const cpu0 = srv.cpuMs();
  const { times, ok, bad } = await run(DURATION);
  const cpu = srv.cpuMs() - cpu0;
  if (bad) throw new Error(`${bad} réponse(s) autre que 200 pendant la mesure`);
  times.sort((a, b) => a - b);
  put('public_page_p95_ms', times[Math.floor(times.length * 0.95)] ?? 0);
  put('public_pages_per_s', ok / DURATION);
  // CPU of the server per page: what the figures above cost on a machine shared with other work.
  if (cpu > 0) put('public_page_server_cpu_ms', cpu / (ok + bad));
}

/**
 * open_data_export_s — every public CSV and JSON file built on the national demo data (bench/openData.ts, which
 * checks each file is complete), in a server of its own in this process: the building is timed, not the download.
 */
async function openDataExport() {
  const { measureOpenData } = await import('./openData');
  for (const [name, value] of Object.entries(await measureOpenData())) put(name, value);
}

/** Each figure of the bench, in order; another script may add its own. */
export const FIGURES: ((srv: BenchServer) => Promise<void>)[] = [pageMix, openDataExport];

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cncd-bench-public-'));
  log('serveur sur les données nationales de démonstration (création au démarrage)…');
  const t0 = performance.now();
  const { child, base } = await startServer(dataDir);
  try {
    const sm = await (await fetch(`${base}/atlas/sitemap.xml`)).text();
    const paths = [...sm.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]!).pathname);
    log(`prêt en ${((performance.now() - t0) / 1000).toFixed(1)} s ; ${paths.length} pages dans le plan du site`);
    const cpuMs = () => {
      try {
        const f = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, in clock ticks of 1/100 s
      } catch {
        return 0;
      }
    };
    for (const f of FIGURES) await f({ base, paths, cpuMs });
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  writeFigures('public', figures);
}

runBench(main);
