// Which of our files one edit passes through, measured rather than told: the real server (in-process,
// PGlite) and two simulated devices (fake IndexedDB) in this Node process under V8's precise coverage.
// Device A saves one field the way a form does (ui/editSession's saveEdit) and pushes it; device B
// pulls it. v8.takeCoverage() between the steps resets the counters, so each report holds exactly the
// functions that ran during that step; a file counts when one of its functions ran. The screens'
// React part (the form component, useEntityForm) runs in the browser and is listed in
// docs/architecture.md by reading. Usage: tsx scripts/trace-edit.ts
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PRODUCT = /^(src-shared|src-server|src-renderer|src-main)\//;

interface ScriptCoverage {
  url: string;
  functions: { functionName: string; ranges: { startOffset: number; count: number }[] }[];
}

/** Our product files with at least one function run in a coverage report. */
function filesRun(file: string): string[] {
  const { result } = JSON.parse(readFileSync(file, 'utf8')) as { result: ScriptCoverage[] };
  const out = new Set<string>();
  for (const s of result) {
    if (!s.url.startsWith('file://')) continue;
    const rel = path.relative(root, fileURLToPath(s.url)).split(path.sep).join('/');
    if (!PRODUCT.test(rel)) continue;
    // The module's top level is a function too (the one starting at offset 0, run once at load): only
    // functions called during the step count.
    const called = s.functions.some((f) => f.ranges[0] && f.ranges[0].startOffset > 0 && f.ranges[0].count > 0);
    if (called) out.add(rel);
  }
  return [...out].sort();
}

async function child(): Promise<void> {
  const { makeDevice, startLocalServer } = await import('../test/integration/helpers/devices');
  const { saveEdit } = await import('../src-renderer/ui/editSession');
  const { collectiviteId } = await import('../src-shared/sync/ids');
  const server = await startLocalServer();
  try {
    const code = 'commune:35238';
    const user = await server.createUser({ role: 'agent', collectiviteCode: code });
    const login = async () => {
      const d = makeDevice(server.url);
      await d.session.login({ serverUrl: server.url, email: user.email, password: user.password });
      return d;
    };
    const sync = async (d: Awaited<ReturnType<typeof login>>) => {
      const out = await d.engine.syncNow();
      if (!out.ok) throw out.error;
    };
    const a = await login();
    const b = await login();
    // Warm-up: both devices hold the record, every module is loaded and every path has run once.
    const c = await a.repo.create('contact', {
      collectiviteId: collectiviteId(code),
      categorie: 'elu',
      civilite: 'Mme',
      prenom: 'Anne',
      nom: 'Trace',
      fonction: 'Maire',
      courriel: 'anne.trace@mairie-exemple.fr',
      telephone: null,
    });
    await sync(a);
    await sync(b);
    for (const fonction of ['Adjointe', 'Maire']) {
      const opened = (await a.repo.editBase('contact', c.id))!;
      const { id: _id, ...values } = opened.record as Record<string, unknown>;
      await saveEdit(a.repo, 'contact', c.id, { ...values, fonction }, values, opened.base);
      await sync(a);
      await sync(b);
    }
    // The measured edit, in three steps.
    const opened = (await a.repo.editBase('contact', c.id))!;
    const { id: _id, ...values } = opened.record as Record<string, unknown>;
    v8.takeCoverage();
    await saveEdit(a.repo, 'contact', c.id, { ...values, fonction: 'Adjointe au maire' }, values, opened.base);
    v8.takeCoverage();
    await sync(a);
    v8.takeCoverage();
    await sync(b);
    v8.takeCoverage();
    const got = await b.repo.get('contact', c.id);
    if (got?.fonction !== 'Adjointe au maire') throw new Error(`B holds ${String(got?.fonction)}, not the edit`);
  } finally {
    await server.close();
  }
}

function parent(): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'trace-edit-'));
  try {
    const run = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
      stdio: 'inherit',
      env: { ...process.env, NODE_V8_COVERAGE: dir, TRACE_EDIT_CHILD: '1' },
    });
    if (run.status !== 0) process.exit(run.status ?? 1);
    // Reports in the order written: [before save] [save] [push] [pull] [exit].
    const reports = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => path.join(dir, f))
      .sort((x, y) => Number(/-(\d+)-\d+\.json$/.exec(x)?.[1]) - Number(/-(\d+)-\d+\.json$/.exec(y)?.[1]));
    const steps = reports.slice(1, 4).map(filesRun);
    const [save = [], push = [], pull = []] = steps;
    const edit = [...new Set([...save, ...push])].sort();
    const print = (name: string, files: string[]) => {
      console.log(`${name}: ${files.length}`);
      for (const f of files) console.log(`  ${f}`);
    };
    print('edit_save_files', save);
    print('edit_push_files', push);
    print('edit_files', edit);
    print('pull_files', pull);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.env.TRACE_EDIT_CHILD) await child();
else parent();
