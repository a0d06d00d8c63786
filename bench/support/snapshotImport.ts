// The device side of the snapshot benchmark (issue 16): verify and import a snapshot into IndexedDB in
// Chromium, through the app's own import (src-renderer/sync/snapshot.ts: two passes, applyResponse pages),
// then check that every live record of the file arrived field by field. `measureSnapshotImports` is what
// bench/files.ts calls with the files it produced; run directly (`tsx bench/support/snapshotImport.ts`),
// it produces the Bretagne and national snapshots from the national demo data itself and prints
// `snapshot_region_import_s` and `snapshot_national_import_s` (bench/results/snapshot-import.json).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { build } from 'vite';
import type { ServerKey } from '../../src-shared/files/snapshot';
import type { DeviceScope } from '../../src-renderer/sync/snapshot';
import type { SnapshotRun } from './snapshot/harness';
import { openBuiltPage } from './chromium';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const ORIGIN = 'http://localhost:47999';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--no-first-run',
];

export interface SnapshotToImport {
  /** The figure's name, e.g. `snapshot_region_import_s`. */
  figure: string;
  bytes: Uint8Array;
  /** The device that imports it: an SGAR of the file's région, the DAECT for the national one. */
  scope: DeviceScope;
}

export interface SnapshotImportResult extends SnapshotRun {
  figure: string;
  seconds: number;
}

/**
 * Imports each file into a fresh IndexedDB copy in Chromium (loopback origin, no server needed) and
 * times verification + import; throws when a record of the file did not arrive as it was.
 */
export async function measureSnapshotImports(
  files: readonly SnapshotToImport[],
  trusted: readonly ServerKey[],
  opts: { browser?: Browser; log?: (s: string) => void } = {},
): Promise<SnapshotImportResult[]> {
  const log = opts.log ?? ((s: string) => console.error(s));
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-bench-snapshot-'));
  await build({
    root: path.join(HERE, 'snapshot'),
    base: '/',
    logLevel: 'warn',
    configFile: false,
    build: { outDir: dist, emptyOutDir: true, target: 'es2022' },
  });
  const browser =
    opts.browser ??
    (await chromium.launch({
      executablePath: fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
      args: CHROMIUM_ARGS,
    }));
  const out: SnapshotImportResult[] = [];
  try {
    const context = await browser.newContext();
    const page = await openBuiltPage(context, `${ORIGIN}/`, dist, log, (rel) => {
      const m = /^fichier\/(\d+)$/.exec(rel);
      return m ? Buffer.from(files[Number(m[1])]!.bytes) : undefined;
    });
    for (const [i, f] of files.entries()) {
      const arg: [string, DeviceScope, ServerKey[]] = [`${ORIGIN}/fichier/${i}`, f.scope, [...trusted]];
      const r = await page.evaluate(([url, scope, keys]) => window.atlasSnapshotBench.run(url, scope, keys), arg);
      if (r.mismatches.length || r.stored === 0)
        throw new Error(`${f.figure}: copie différente du fichier après l’import :\n${r.mismatches.join('\n')}`);
      log(
        `${f.figure}: ${r.records} enregistrements (${r.stored} vivants vérifiés) en ${Math.round(r.ms)} ms (une lecture des lignes seule : ${Math.round(r.readMs)} ms)`,
      );
      out.push({ ...r, figure: f.figure, seconds: +(r.ms / 1000).toFixed(3) });
    }
    await context.close();
  } finally {
    if (!opts.browser) await browser.close();
    fs.rmSync(dist, { recursive: true, force: true });
  }
  return out;
}

async function main() {
  const { startNationalServer } = await import('../client/data');
  const { buildSnapshot, resolveScope } = await import('../../src-server/sync/snapshots');
  const log = (s: string) => console.error(s);
  const { handle } = await startNationalServer(log);
  const { db, sync, signingKey } = handle.app.cncd;
  const daect = { role: 'daect' as const, collectiviteId: null, region: null };
  try {
    const region = await buildSnapshot(
      db,
      sync,
      signingKey,
      await resolveScope(db, daect, { type: 'region', id: '53' }),
    );
    const national = await buildSnapshot(
      db,
      sync,
      signingKey,
      await resolveScope(db, daect, { type: 'national', id: null }),
    );
    const load = os.loadavg().map((l) => +l.toFixed(2));
    const results = await measureSnapshotImports(
      [
        { figure: 'snapshot_region_import_s', bytes: region.bytes, scope: { role: 'sgar', region: '53' } },
        { figure: 'snapshot_national_import_s', bytes: national.bytes, scope: { role: 'daect' } },
      ],
      [signingKey.document],
      { log },
    );
    const figures = Object.fromEntries(results.map((r) => [r.figure, r.seconds]));
    for (const [k, v] of Object.entries(figures)) console.log(`${k}: ${v}`);
    const dir = path.join(HERE, '..', 'results');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'snapshot-import.json'),
      JSON.stringify(
        {
          bench: 'snapshot-import',
          at: new Date().toISOString(),
          machine: { cpus: os.cpus().length, node: process.version, loadavgBefore: load, loadavgAfter: os.loadavg() },
          figures,
          goals: {
            snapshot_region_import_s: (figures.snapshot_region_import_s ?? Infinity) <= 3,
            snapshot_national_import_s: (figures.snapshot_national_import_s ?? Infinity) <= 10,
          },
          notes: Object.fromEntries(
            results.map((r) => [
              r.figure,
              { records: r.records, liveChecked: r.stored, ms: Math.round(r.ms), readLinesMs: Math.round(r.readMs) },
            ]),
          ),
        },
        null,
        2,
      ) + '\n',
    );
  } finally {
    await handle.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) await main();
