// Proves the process-boundary rules of eslint.config.js bite: each deliberately wrong fixture
// is linted as if it lived in the folder it must not be in, and must be reported. The last tests
// prove the per-process tsconfigs bite too (tsc on a fixture project with a process's options).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = (name: string): string => readFileSync(join(root, 'test/lint/fixtures', name), 'utf8');

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

async function lintAs(fixtureName: string, placedAt: string): Promise<{ ruleId: string | null; message: string }[]> {
  const [result] = await eslint.lintText(fixture(fixtureName), { filePath: join(root, placedAt) });
  expect(result, 'ESLint returned no result').toBeDefined();
  return result!.messages.filter((m) => m.severity === 2).map((m) => ({ ruleId: m.ruleId, message: m.message }));
}

const violations: [fixture: string, placedAt: string, rule: string, text: RegExp][] = [
  ['shared-imports-node.ts', 'src-shared/domain/__fixture__.ts', 'no-restricted-imports', /Module Node interdit/],
  ['shared-imports-bare-builtin.ts', 'src-shared/__fixture__.ts', 'no-restricted-imports', /Module Node interdit/],
  ['shared-imports-dexie.ts', 'src-shared/__fixture__.ts', 'no-restricted-imports', /Dexie/],
  ['shared-imports-electron.ts', 'src-shared/sync/__fixture__.ts', 'no-restricted-imports', /Electron/],
  ['shared-imports-react.ts', 'src-shared/__fixture__.ts', 'no-restricted-imports', /interface/],
  ['shared-uses-window.ts', 'src-shared/__fixture__.ts', 'no-restricted-globals', /window/],
  ['shared-dynamic-import.ts', 'src-shared/__fixture__.ts', 'no-restricted-syntax', /Import dynamique/],
  [
    'renderer-imports-node-path.ts',
    'src-renderer/features/__fixture__.ts',
    'no-restricted-imports',
    /Module Node interdit/,
  ],
  ['renderer-imports-electron.ts', 'src-renderer/host/__fixture__.ts', 'no-restricted-imports', /Electron/],
  ['renderer-imports-server.ts', 'src-renderer/sync/__fixture__.ts', 'no-restricted-imports', /src-server/],
  ['server-imports-renderer.ts', 'src-server/__fixture__.ts', 'no-restricted-imports', /src-renderer/],
  ['main-imports-server.ts', 'src-main/__fixture__.ts', 'no-restricted-imports', /src-server/],
  ['main-imports-renderer.ts', 'src-main/__fixture__.ts', 'no-restricted-imports', /src-renderer/],
  // Allow-lists: a package listed for no process, or listed for another one, is refused.
  [
    'unknown-package.ts',
    'src-renderer/features/__fixture__.ts',
    'no-restricted-imports',
    /non autorisé dans src-renderer/,
  ],
  ['unknown-package.ts', 'src-shared/__fixture__.ts', 'no-restricted-imports', /non autorisé dans src-shared/],
  ['unknown-package.ts', 'src-server/__fixture__.ts', 'no-restricted-imports', /non autorisé dans src-server/],
  ['unknown-package.ts', 'src-main/__fixture__.ts', 'no-restricted-imports', /non autorisé dans src-main/],
  ['main-imports-fastify.ts', 'src-main/__fixture__.ts', 'no-restricted-imports', /non autorisé dans src-main/],
  ['shared-imports-node.ts', 'src-main/preload/__fixture__.ts', 'no-restricted-imports', /Module Node interdit/],
  // Globals of the other side: Node's in the renderer, the browser's in the server.
  ['renderer-uses-node-globals.ts', 'src-renderer/sync/__fixture__.ts', 'no-restricted-globals', /process/],
  ['renderer-uses-node-globals.ts', 'src-renderer/sync/__fixture__.ts', 'no-restricted-globals', /Buffer/],
  ['server-uses-window.ts', 'src-server/__fixture__.ts', 'no-restricted-globals', /window/],
  // Layers inside the renderer: screens reach data, the server and the platform through core/ only;
  // nothing below the shell imports it; the machinery imports nothing built on it.
  ['feature-imports-sync.ts', 'src-renderer/features/x/__fixture__.ts', 'no-restricted-imports', /passent par core/],
  ['feature-imports-host.ts', 'src-renderer/features/x/__fixture__.ts', 'no-restricted-imports', /passent par core/],
  ['feature-uses-live-query.ts', 'src-renderer/features/x/__fixture__.ts', 'no-restricted-imports', /core\/data/],
  ['feature-dynamic-sync.ts', 'src-renderer/features/x/__fixture__.ts', 'no-restricted-syntax', /Import dynamique/],
  ['lower-imports-shell.ts', 'src-renderer/core/__fixture__.ts', 'no-restricted-imports', /enveloppe/],
  ['lower-imports-shell.ts', 'src-renderer/ui/__fixture__.ts', 'no-restricted-imports', /enveloppe/],
  ['lower-imports-feature.ts', 'src-renderer/core/__fixture__.ts', 'no-restricted-imports', /sous les écrans/],
  ['lower-imports-feature.ts', 'src-renderer/ui/__fixture__.ts', 'no-restricted-imports', /sous les écrans/],
  ['machinery-imports-core.ts', 'src-renderer/sync/__fixture__.ts', 'no-restricted-imports', /machinerie/],
  ['machinery-imports-core.ts', 'src-renderer/db/__fixture__.ts', 'no-restricted-imports', /machinerie/],
];

describe('process boundaries (eslint.config.js)', () => {
  it.each(violations)('%s placed at %s is rejected', async (name, placedAt, rule, text) => {
    const errors = await lintAs(name, placedAt);
    expect(
      errors.some((e) => e.ruleId === rule && text.test(e.message)),
      JSON.stringify(errors),
    ).toBe(true);
  });

  it('the navigator global is rejected too in src-shared', async () => {
    const errors = await lintAs('shared-uses-window.ts', 'src-shared/__fixture__.ts');
    expect(
      errors
        .filter((e) => e.ruleId === 'no-restricted-globals')
        .map((e) => e.message)
        .join('\n'),
    ).toMatch(/navigator/);
  });

  it.each([
    ['clean-shared.ts', 'src-shared/__fixture__.ts'],
    ['clean-renderer.tsx', 'src-renderer/db/__fixture__.tsx'],
    ['clean-feature.tsx', 'src-renderer/features/x/__fixture__.tsx'],
    ['clean-server.ts', 'src-server/__fixture__.ts'],
  ])('clean %s placed at %s passes', async (name, placedAt) => {
    expect(await lintAs(name, placedAt)).toEqual([]);
  });

  it('the same Node import is fine in the server and in tests', async () => {
    expect(await lintAs('shared-imports-node.ts', 'src-server/__fixture__.ts')).toEqual([]);
    expect(await lintAs('shared-imports-node.ts', 'test/unit/__fixture__.test.ts')).toEqual([]);
  });

  it('src-server may be imported by the server tests', async () => {
    expect(await lintAs('main-imports-server.ts', 'test/integration/__fixture__.test.ts')).toEqual([]);
  });

  it('a package allowed in one process passes there (fastify in the server)', async () => {
    expect(await lintAs('main-imports-fastify.ts', 'src-server/__fixture__.ts')).toEqual([]);
  });
});

describe('per-process tsconfigs (tsc -b)', () => {
  const tsc = (project: string): string => {
    try {
      execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project], {
        cwd: root,
        encoding: 'utf8',
        stdio: 'pipe',
      });
      return '';
    } catch (error) {
      return String((error as { stdout?: string }).stdout);
    }
  };

  it('process.env and Buffer do not type-check with the options of src-renderer', () => {
    const out = tsc('test/lint/fixtures/tsc-renderer');
    expect(out).toMatch(/uses-node-globals\.ts.*Cannot find name 'process'/);
    expect(out).toMatch(/uses-node-globals\.ts.*Cannot find name 'Buffer'/);
  });

  it('window and document do not type-check with the options of src-server', () => {
    const out = tsc('test/lint/fixtures/tsc-server');
    expect(out).toMatch(/uses-window\.ts.*Cannot find name 'window'/);
    expect(out).toMatch(/uses-window\.ts.*Cannot find name 'document'/);
  });
});
