// npm run bench:reference — build time, heap and search latency of the collectivité index.
// Queries are drawn (seeded, so every run asks the same) from the real register in the shapes
// users type: full names with and without accents, partial names, word order swapped,
// "st" abbreviations, lower case, codes INSEE, SIREN, SIRET, postal codes, département + name.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadOfficialCollectivites } from '../src-server/reference/officialCollectivites';
import { createCollectiviteIndex } from '../src-shared/reference/collectivites/index';
import { foldText } from '../src-shared/reference/collectivites/normalize';
import type { OfficialCollectivite } from '../src-shared/reference/collectivites/types';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeQueries(list: readonly OfficialCollectivite[], count: number, seed: number): string[] {
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const communes = list.filter((c) => c.type === 'commune');
  // Collectivités engaged abroad are mostly the larger ones: half the picks among the 2,000 most populous.
  const big = [...communes].sort((a, b) => (b.population ?? 0) - (a.population ?? 0)).slice(0, 2000);
  const groupements = list.filter((c) => c.type !== 'commune');
  const queries: string[] = [];
  while (queries.length < count) {
    const c = rand() < 0.5 ? pick(big) : rand() < 0.7 ? pick(communes) : pick(groupements);
    const words = c.nom.split(/[\s'-]+/).filter(Boolean);
    switch (Math.floor(rand() * 10)) {
      case 0:
        queries.push(c.nom);
        break;
      case 1:
        queries.push(foldText(c.nom));
        break;
      case 2:
        queries.push(c.nom.toLowerCase().slice(0, 3 + Math.floor(rand() * 4)));
        break;
      case 3:
        queries.push([...words].reverse().join(' '));
        break;
      case 4:
        queries.push(
          c.nom
            .replace(/^Saint-/, 'St ')
            .replace(/^Sainte-/, 'Ste ')
            .toLowerCase(),
        );
        break;
      case 5:
        queries.push(c.codeInsee ?? c.nom);
        break;
      case 6:
        queries.push(c.siren ?? c.nom);
        break;
      case 7:
        queries.push(c.codesPostaux[0] ?? foldText(c.nom).slice(0, 5));
        break;
      case 8:
        queries.push(`${words[0] ?? c.nom} ${c.departement ?? ''}`.trim());
        break;
      default:
        queries.push(c.siren ? `${c.siren}00017` : c.nom.toUpperCase());
        break;
    }
  }
  return queries;
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const round = (n: number, digits = 3): number => Number(n.toFixed(digits));

const loadStart = performance.now();
const list = loadOfficialCollectivites();
const loadMs = performance.now() - loadStart;

gc();
const heapBefore = process.memoryUsage().heapUsed;
const buildStart = performance.now();
const buildCpuStart = process.cpuUsage();
const index = createCollectiviteIndex(list);
const buildMs = performance.now() - buildStart;
// CPU time beside wall time: on a busy shared machine the wall clock also counts waiting for a core.
const buildCpu = process.cpuUsage(buildCpuStart);
const buildCpuMs = (buildCpu.user + buildCpu.system) / 1000;
gc();
const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;

// JIT warm-up on other queries, as a running app would be after its first keystrokes.
for (const q of makeQueries(list, 200, 7)) index.search(q, 20);

const queries = makeQueries(list, 1000, 42);
const times: number[] = [];
let empty = 0;
for (const q of queries) {
  const t = performance.now();
  const hits = index.search(q, 20);
  times.push(performance.now() - t);
  if (hits.length === 0) empty++;
}
times.sort((a, b) => a - b);

const figures = {
  reference_index_build_ms: round(buildMs, 1),
  reference_heap_mb: round(heapMb, 1),
  reference_search_p50_ms: round(percentile(times, 50)),
  reference_search_p99_ms: round(percentile(times, 99)),
};
for (const [name, value] of Object.entries(figures)) console.log(`${name}: ${value}`);
// Timings are single-shot, as a user meets them: on a shared machine, note how busy it was.
const load = loadavg()[0]!.toFixed(2);
console.log(
  `# ${index.size} collectivités, register loaded in ${loadMs.toFixed(0)} ms, ${queries.length} queries (${empty} without hit), max ${times[times.length - 1]!.toFixed(3)} ms, build CPU ${buildCpuMs.toFixed(0)} ms, load average ${load} on ${cpus().length} cores`,
);

const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'reference.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  JSON.stringify(
    {
      bench: 'reference',
      date: new Date().toISOString(),
      node: process.version,
      figures,
      context: {
        buildCpuMs: round(buildCpuMs, 1),
        loadAverage1m: Number(load),
        cores: cpus().length,
        entries: index.size,
        loadMs: round(loadMs, 1),
        queries: queries.length,
        queriesWithoutHit: empty,
        maxMs: round(times[times.length - 1]!),
      },
      goals: { reference_index_build_ms: 1000, reference_search_p99_ms: 5 },
    },
    null,
    2,
  ) + '\n',
);
