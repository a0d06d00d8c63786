// npm test: every check in sequence, each step's output streamed, a failing step does not stop
// the others, then a summary per step and a line `N skipped` when any, and a last line `N passed, N failed`.
// Counts are tests (vitest + playwright, read from their JSON reports in test-results/);
// a failed lint or type-check counts as one failed test.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const results = join(root, 'test-results');
mkdirSync(results, { recursive: true });
const bin = (name) => join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);

/** @type {{ name: string, passed: number, failed: number, skipped: number, note: string, ms: number }[]} */
const steps = [];

function run(name, command, args, env = {}) {
  console.log(`\n━━━ ${name} ━━━\n$ ${[command.replace(root + '/', ''), ...args].join(' ')}`);
  const started = Date.now();
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.error) console.error(`Impossible de lancer ${command} : ${r.error.message}`);
  return { code: r.status ?? 1, ms: Date.now() - started };
}

/** Lint and type-check: pass or fail as a whole. */
function gate(name, command, args) {
  const { code, ms } = run(name, command, args);
  steps.push({
    name,
    passed: code === 0 ? 1 : 0,
    failed: code === 0 ? 0 : 1,
    skipped: 0,
    note: code === 0 ? 'ok' : `code de sortie ${code}`,
    ms,
  });
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function vitest(name, args, reportName, env = {}) {
  const report = join(results, reportName);
  rmSync(report, { force: true });
  const { code, ms } = run(
    name,
    bin('vitest'),
    ['run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    env,
  );
  const json = readJson(report);
  const step = { name, passed: 0, failed: 0, skipped: 0, note: '', ms };
  if (json) {
    step.passed = json.numPassedTests ?? 0;
    step.failed = json.numFailedTests ?? 0;
    step.skipped = (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
    const brokenFiles = (json.testResults ?? []).filter(
      (f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0,
    ).length;
    if (brokenFiles > 0) {
      // A file that fails to load has no test results: count it, or it would vanish from the total.
      step.failed += brokenFiles;
      step.note = `${brokenFiles} fichier(s) de test en échec au chargement`;
    }
  }
  if (code !== 0 && step.failed === 0) {
    step.failed = 1;
    step.note = json ? `code de sortie ${code}` : `aucun rapport JSON (code de sortie ${code})`;
  }
  steps.push(step);
}

function playwright(name, candidates, reportName) {
  const config = candidates.find((f) => existsSync(join(root, f)));
  if (!config) {
    console.log(`\n━━━ ${name} ━━━\nAucune configuration Playwright (playwright.config.ts) : étape non comptée.`);
    steps.push({ name, passed: 0, failed: 0, skipped: 0, note: 'pas de playwright.config.ts : rien compté', ms: 0 });
    return;
  }
  const report = join(results, reportName);
  rmSync(report, { force: true });
  const { code, ms } = run(name, bin('playwright'), ['test', '-c', config, '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: report,
  });
  const json = readJson(report);
  const s = json?.stats ?? {};
  const step = {
    name,
    passed: (s.expected ?? 0) + (s.flaky ?? 0),
    failed: s.unexpected ?? 0,
    skipped: s.skipped ?? 0,
    note: s.flaky ? `${s.flaky} test(s) instable(s) passé(s) au second essai` : '',
    ms,
  };
  if (json?.errors?.length && step.failed === 0) {
    step.failed = json.errors.length;
    step.note = 'erreur(s) hors test (configuration, serveur web)';
  }
  if (code !== 0 && step.failed === 0) {
    step.failed = 1;
    step.note = json ? `code de sortie ${code}` : `aucun rapport JSON (code de sortie ${code})`;
  }
  steps.push(step);
}

gate('Lint (ESLint, frontières de processus)', bin('eslint'), ['.']);
gate('Mise en forme (Prettier, largeur 120)', bin('prettier'), ['--check', '.']);
vitest('Test des frontières (le lint mord)', ['--config', 'test/lint/vitest.config.ts'], 'vitest-lint.json');
// One project per process (tsconfig.json references them): `tsc -b` checks each with its own globals.
gate('Vérification des types (tsc)', bin('tsc'), ['-b', 'tsconfig.json']);
vitest('Tests unitaires et d’intégration (vitest, PGlite)', [], 'vitest.json');
if (process.env.TEST_DATABASE_URL) {
  vitest('Tests d’intégration sur PostgreSQL', ['test/integration'], 'vitest-postgres.json', {
    DATABASE_URL: process.env.TEST_DATABASE_URL,
  });
} else {
  console.log(
    '\nTEST_DATABASE_URL absent : les tests d’intégration ne sont pas rejoués sur PostgreSQL (PGlite seulement).',
  );
}
playwright(
  'Tests navigateur (Playwright)',
  ['playwright.config.ts', 'playwright.config.js', 'playwright.config.mjs'],
  'playwright.json',
);
// The real desktop app: its tests skip themselves, with the reason, where no Electron binary exists.
playwright(
  'Tests de l’application de bureau (Playwright _electron)',
  ['test/electron/playwright.config.ts'],
  'playwright-electron.json',
);

const total = steps.reduce(
  (t, s) => ({ passed: t.passed + s.passed, failed: t.failed + s.failed, skipped: t.skipped + s.skipped }),
  { passed: 0, failed: 0, skipped: 0 },
);
console.log('\n━━━ Résumé ━━━');
for (const s of steps) {
  const mark = s.failed > 0 ? '✗' : '✓';
  const counts = `${s.passed} réussi(s), ${s.failed} en échec${s.skipped ? `, ${s.skipped} ignoré(s)` : ''}`;
  console.log(`${mark} ${s.name} — ${counts} (${(s.ms / 1000).toFixed(1)} s)${s.note ? ` — ${s.note}` : ''}`);
}
console.log(`Rapports JSON : ${results.replace(root + '/', '')}/`);
// Skipped tests are said on their own line, each step above gives why; the last line keeps its fixed form.
if (total.skipped) console.log(`${total.skipped} skipped (voir les étapes ci-dessus)`);
console.log(`${total.passed} passed, ${total.failed} failed`);
process.exitCode = total.failed > 0 ? 1 : 0;
