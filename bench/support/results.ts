// How a bench reports: one `name: value` line per figure on stdout, and bench/results/<bench>.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const RESULTS = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'results');

export function printFigures(figures: Record<string, number>): void {
  for (const [k, v] of Object.entries(figures)) console.log(`${k}: ${v}`);
}

/** bench/results/<file>.json with the time of the run and its figures. */
export function writeFigures(file: string, figures: Record<string, number>): void {
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(
    path.join(RESULTS, `${file}.json`),
    JSON.stringify({ at: new Date().toISOString(), figures }, null, 2),
  );
}

/**
 * Prints the figures, then writes bench/results/<bench>.json with the machine, which goals were met, the
 * notes and how long the whole run took (from `t0`).
 */
export function reportRun(
  bench: string,
  t0: number,
  r: { figures: Record<string, number>; goals: Record<string, boolean>; notes: Record<string, unknown> },
): void {
  printFigures(r.figures);
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(
    path.join(RESULTS, `${bench}.json`),
    JSON.stringify(
      {
        bench,
        at: new Date().toISOString(),
        machine: { cpus: os.cpus().length, node: process.version },
        figures: r.figures,
        goals: r.goals,
        notes: r.notes,
        totalSeconds: Math.round((Date.now() - t0) / 1000),
      },
      null,
      2,
    ) + '\n',
  );
}

/** Runs a bench to its end: exit 0 (whatever handle is left open), or 1 with the error. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
