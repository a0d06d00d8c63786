// electron-builder.yml: validated against electron-builder's own JSON schema, then an unpacked
// `--dir` Linux build with a stand-in Electron binary (the real one cannot be downloaded here)
// proves what ships: only out/** and package.json in the asar, no node_modules, no server code,
// and the security fuses flipped in the executable.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_UPDATES_FEED_URL } from '../../../src-main/updateFeedUrl';

const root = path.resolve(import.meta.dirname, '../../..');
const require = createRequire(import.meta.url);
// js-yaml comes with electron-builder (no types of its own).
const yaml = require('js-yaml') as { load(text: string): unknown };
const config = yaml.load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

describe('electron-builder.yml', () => {
  it("validates against electron-builder's JSON schema", () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
    const validate = ajv.compile(schema);
    const ok = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('installs per user without administrator rights, and flips the security fuses', () => {
    expect(config['nsis']).toMatchObject({ perMachine: false, allowElevation: false });
    expect(config['electronFuses']).toMatchObject({
      runAsNode: false,
      enableNodeCliInspectArguments: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    expect(config['files']).toEqual(
      expect.arrayContaining(['out/main/**', 'out/preload/**', 'out/renderer/**', 'package.json', '!node_modules/**']),
    );
  });

  it('verifies Authenticode of Windows updates where a certificate signs them; names the same feed as the app', () => {
    const win = config['win'] as {
      verifyUpdateCodeSignature?: unknown;
      signtoolOptions?: { publisherName?: unknown; signingHashAlgorithms?: unknown };
    };
    expect(win.verifyUpdateCodeSignature).toBe(true);
    // null would turn the check off even with a certificate; absent = the certificate's common name.
    expect(win.signtoolOptions?.publisherName).not.toBeNull();
    expect(win.signtoolOptions?.signingHashAlgorithms).toEqual(['sha256']);
    expect(config['publish']).toEqual([
      expect.objectContaining({ provider: 'generic', url: DEFAULT_UPDATES_FEED_URL }),
    ]);
  });
});

describe('unpacked build (--dir, stand-in Electron)', () => {
  let unpacked: string;
  let mainJsPath: string;

  beforeAll(() => {
    // A private copy of the project (own out/, node_modules linked) so parallel builds never race.
    const work = mkdtempSync(path.join(tmpdir(), 'atlas-dist-'));
    for (const f of ['package.json', 'package-lock.json', 'electron-builder.yml'])
      cpSync(path.join(root, f), path.join(work, f));
    cpSync(path.join(root, 'resources'), path.join(work, 'resources'), { recursive: true });
    symlinkSync(path.join(root, 'node_modules'), path.join(work, 'node_modules'), 'dir');
    execFileSync(
      process.execPath,
      [path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--outDir', path.join(work, 'out')],
      { cwd: root, stdio: 'pipe' },
    );
    mainJsPath = path.join(work, 'out/main/main.js');
    const fakeDist = path.join(work, 'electron-dist');
    mkdirSync(fakeDist);
    // An "Electron" with a fuse wire of 8 fuses in Electron's default states.
    writeFileSync(
      path.join(fakeDist, 'electron'),
      Buffer.concat([
        Buffer.from('stand-in electron\0'),
        Buffer.from(SENTINEL),
        Buffer.from([1, 8]),
        Buffer.from('10111001'),
      ]),
      { mode: 0o755 },
    );
    execFileSync(
      process.execPath,
      [
        path.join(root, 'node_modules/electron-builder/cli.js'),
        '--linux',
        'dir',
        '--x64',
        '--publish',
        'never',
        `-c.electronDist=${fakeDist}`,
        '-c.electronVersion=45.5.0',
        `-c.directories.output=${path.join(work, 'dist')}`,
      ],
      { cwd: work, stdio: 'pipe', env: { ...process.env, CI: '' } },
    );
    unpacked = path.join(work, 'dist', 'linux-unpacked');
  }, 180_000);

  it('ships only the bundled app: no node_modules, no server code', () => {
    const asar = require('@electron/asar') as { listPackage(p: string, o?: object): string[] };
    const archive = path.join(unpacked, 'resources', 'app.asar');
    const entries = asar.listPackage(archive, {}).map((e) => e.replace(/\\/g, '/'));
    const top = [...new Set(entries.map((e) => e.split('/')[1]))].sort();
    expect(top).toEqual(['out', 'package.json']);
    expect(entries.filter((e) => e.includes('node_modules'))).toEqual([]);
    expect(entries.filter((e) => /fastify|pglite|\/pg\/|argon2|nodemailer|src-server/.test(e))).toEqual([]);
    expect(entries).toEqual(
      expect.arrayContaining(['/out/main/main.js', '/out/preload/index.cjs', '/out/renderer/index.html']),
    );

    const mainJs = readFileSync(mainJsPath, 'utf8');
    for (const serverModule of ['fastify', '@electric-sql/pglite', 'nodemailer', '@node-rs/argon2', 'from "pg"']) {
      expect(mainJs.includes(serverModule), serverModule).toBe(false);
    }
    // The release public key is bundled (what verifies updates); no private key of any kind is.
    const publicKeyBody = readFileSync(path.join(root, 'resources/release-public-key.pem'), 'utf8').split(
      '\n',
    )[1] as string;
    expect(mainJs).toContain(publicKeyBody);
    expect(mainJs).toContain(DEFAULT_UPDATES_FEED_URL);
    expect(mainJs).not.toMatch(/BEGIN (ENCRYPTED |)PRIVATE KEY/);
    const size = statSync(archive).size;
    console.log(`app.asar: ${entries.length} entries, ${(size / 1024 / 1024).toFixed(2)} MiB`);
    // Guard against a dependency tree sneaking in again (the server's node_modules weigh hundreds of MB).
    expect(size).toBeLessThan(40 * 1024 * 1024);
  });

  it('flips the fuses in the executable and writes the update feed config', () => {
    const exe = readFileSync(path.join(unpacked, 'atlas-hors-ligne'));
    const at = exe.indexOf(SENTINEL) + SENTINEL.length;
    const wire = exe.subarray(at + 2, at + 2 + exe[at + 1]!).toString('latin1');
    // RunAsNode, CookieEncryption, NodeOptions, InspectArgs, AsarIntegrity, OnlyFromAsar, V8Snapshot, FileProtocol
    expect(wire).toBe('01001100');
    const feed = readFileSync(path.join(unpacked, 'resources', 'app-update.yml'), 'utf8');
    expect(feed).toContain('provider: generic');
    expect(feed).toMatch(/url: https:\/\/.+\/updates\//);
  });
});
