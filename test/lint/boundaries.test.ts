// Proves the process-boundary rules of eslint.config.js bite: each deliberately wrong fixture
// is linted as if it lived in the folder it must not be in, and must be reported.
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
    ['clean-renderer.tsx', 'src-renderer/features/__fixture__.tsx'],
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
});
