// Drives electron-updater's real AppImageUpdater (loaded in plain Node, no Electron binary) against
// the server's /updates/ route: check, background download, sha512 verification, tampered artefact
// refused; the release signature of the metadata (valid installs; tampered, wrong key, missing,
// malformed, downgrade refused before any download); and our UpdateController's rules on top
// (announce, never install over unsaved edits). The test key pair is made here, at run time.
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http, { type ClientRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { configureRequestOptions, configureRequestUrl, HttpExecutor, type DownloadOptions } from 'builder-util-runtime';
import { AppImageUpdater } from 'electron-updater';
import type { AppAdapter } from 'electron-updater/out/AppAdapter';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { updatesRoutes } from '../../../src-server/routes/updates';
import { startTestServer, type TestServer } from '../../integration/helpers/testServer';
import { UpdateController, type UpdaterLike } from '../../../src-main/updater';
import { signedFeed } from '../../../src-main/signedFeed';
import type { UpdateState } from '../../../src-shared/ipc/contract';

/** Plain Node HTTP for the updater (Electron's net module is what the real app uses). */
class NodeHttpExecutor extends HttpExecutor<ClientRequest> {
  createRequest(options: http.RequestOptions, callback: (response: http.IncomingMessage) => void): ClientRequest {
    return http.request(options, callback);
  }

  // Same shape as electron-updater's ElectronHttpExecutor.download, over node:http.
  async download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return options.cancellationToken.createPromise<string>((resolve, reject, onCancel) => {
      const requestOptions: http.RequestOptions = { headers: options.headers ?? undefined };
      configureRequestUrl(url, requestOptions);
      configureRequestOptions(requestOptions);
      this.doDownload(
        requestOptions,
        {
          destination,
          options,
          onCancel,
          callback: (error) => (error == null ? resolve(destination) : reject(error)),
          responseHandler: null,
        },
        0,
      );
    });
  }
}

const ARTEFACT = 'Atlas-hors-ligne-0.2.0.AppImage';
const FEED_FILE = 'latest-linux.yml';
let releases: string;
let app: FastifyInstance;
let feed: string;
let good: Buffer;
/** URLs the feed server was asked for, to prove a refused update downloaded nothing. */
const requested: string[] = [];
// The release key pair of these tests only (the project's private key never exists in the repository).
const releaseKey = generateKeyPairSync('ed25519');
const publicKeyPem = releaseKey.publicKey.export({ type: 'spki', format: 'pem' }).toString();

function feedYml(bytes: Buffer, version: string): string {
  const sha512 = createHash('sha512').update(bytes).digest('base64');
  return `version: ${version}\nfiles:\n  - url: ${ARTEFACT}\n    sha512: ${sha512}\n    size: ${bytes.length}\npath: ${ARTEFACT}\nsha512: ${sha512}\nreleaseDate: '2026-11-26T10:00:00.000Z'\n`;
}

function signFile(name: string, key: KeyObject = releaseKey.privateKey) {
  const signature = sign(null, readFileSync(path.join(releases, name)), key).toString('base64');
  writeFileSync(path.join(releases, `${name}.sig`), `${signature}\n`);
}

/** Publishes `bytes` as the release `version`, its metadata signed with the test release key. */
function writeFeed(bytes: Buffer, version = '0.2.0') {
  writeFileSync(path.join(releases, ARTEFACT), bytes);
  writeFileSync(path.join(releases, FEED_FILE), feedYml(bytes, version));
  signFile(FEED_FILE);
}

/** The app's real feed: generic provider at `url`, metadata verified with `pem`. */
function useSignedFeed(
  updater: { setFeedURL(o: ReturnType<typeof signedFeed>): void },
  url = feed,
  pem = publicKeyPem,
  log: (m: string) => void = () => undefined,
) {
  updater.setFeedURL(signedFeed(url, pem, log));
}

function makeUpdater(version = '0.1.0') {
  const base = mkdtempSync(path.join(tmpdir(), 'atlas-updater-'));
  const configPath = path.join(base, 'app-update.yml');
  writeFileSync(
    configPath,
    'provider: generic\nurl: http://127.0.0.1/updates/\nupdaterCacheDirName: atlas-hors-ligne-updater\n',
  );
  const adapter: AppAdapter = {
    version,
    name: 'Atlas hors ligne',
    isPackaged: true,
    appUpdateConfigPath: configPath,
    userDataPath: path.join(base, 'userData'),
    baseCachePath: path.join(base, 'cache'),
    whenReady: () => Promise.resolve(),
    relaunch: () => undefined,
    quit: () => undefined,
    onQuit: () => undefined,
  };
  const updater = new AppImageUpdater(null, adapter);
  (updater as unknown as { httpExecutor: HttpExecutor<ClientRequest> }).httpExecutor = new NodeHttpExecutor();
  updater.logger = null;
  updater.disableDifferentialDownload = true;
  updater.autoDownload = false;
  useSignedFeed(updater);
  return updater;
}

/** A stand-in for the running AppImage, which a real install replaces. */
function runningAppImage(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'atlas-installed-'));
  const file = path.join(dir, 'Atlas-hors-ligne.AppImage');
  writeFileSync(file, 'old');
  process.env['APPIMAGE'] = file;
  return file;
}

beforeAll(async () => {
  releases = mkdtempSync(path.join(tmpdir(), 'atlas-releases-'));
  // An "AppImage" that runs: the real install executes the new image once (APPIMAGE_EXIT_AFTER_INSTALL).
  good = Buffer.concat([Buffer.from('#!/bin/sh\nexit 0\n'), randomBytes(3 * 1024 * 1024 + 17)]);
  writeFeed(good);
  app = Fastify();
  app.addHook('onRequest', async (req) => void requested.push(req.url));
  await app.register(updatesRoutes, { prefix: '/updates', dir: releases });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  feed = `${url}/updates/`;
  // AppImageUpdater only runs inside an AppImage; it reads the running image's path from APPIMAGE.
  runningAppImage();
});

afterAll(async () => {
  await app.close();
  delete process.env['APPIMAGE'];
});

describe('electron-updater against the /updates/ feed', () => {
  it('checks, downloads in the background and verifies the sha512', async () => {
    writeFeed(good);
    const updater = makeUpdater();
    const result = await updater.checkForUpdates();
    expect(result?.isUpdateAvailable).toBe(true);
    expect(result?.updateInfo.version).toBe('0.2.0');
    const downloaded = vi.fn();
    updater.on('update-downloaded', downloaded);
    const files = await updater.downloadUpdate();
    expect(files).toHaveLength(1);
    const file = files[0] as string;
    expect(createHash('sha512').update(readFileSync(file)).digest('hex')).toBe(
      createHash('sha512').update(good).digest('hex'),
    );
    expect(downloaded).toHaveBeenCalledWith(expect.objectContaining({ version: '0.2.0' }));
  });

  it('refuses a tampered artefact (same size, other bytes)', async () => {
    writeFeed(good);
    const tampered = Buffer.from(good);
    tampered[1000] = (tampered[1000] as number) ^ 0xff;
    writeFileSync(path.join(releases, ARTEFACT), tampered);
    const updater = makeUpdater();
    const errors = vi.fn();
    updater.on('error', errors);
    const downloaded = vi.fn();
    updater.on('update-downloaded', downloaded);
    await updater.checkForUpdates();
    await expect(updater.downloadUpdate()).rejects.toThrow(/sha512 checksum mismatch/);
    expect(downloaded).not.toHaveBeenCalled();
    writeFeed(good);
  });

  it('finds nothing newer when the app is up to date', async () => {
    writeFeed(good);
    const updater = makeUpdater('0.2.0');
    const result = await updater.checkForUpdates();
    expect(result?.isUpdateAvailable).toBe(false);
  });
});

/** Our controller over a real updater, on the feed and key given (as main.ts wires them). */
function controllerFor(version = '0.1.0', feedUrl = feed, pem = publicKeyPem) {
  const updater = makeUpdater(version);
  const log = vi.fn<(m: string) => void>();
  const controller = new UpdateController(updater as unknown as UpdaterLike, log, { url: feedUrl, publicKeyPem: pem });
  const states: UpdateState['state'][] = [];
  controller.onState((s) => states.push(s.state));
  return { updater, controller, log, states };
}

describe('UpdateController over the real updater', () => {
  it('announces each state, installs on quit only when nothing is unsaved, refuses install over edits', async () => {
    writeFeed(good);
    const { updater, controller, states } = controllerFor();
    const quitAndInstall = vi.fn();
    updater.quitAndInstall = quitAndInstall;
    const ready = new Promise<void>((resolve) => controller.onState((s) => s.state === 'ready' && resolve()));
    controller.setEditState(true);
    await controller.check();
    await ready;
    expect(states[0]).toBe('checking');
    expect(states).toContain('available');
    expect(states.at(-1)).toBe('ready');
    expect(controller.state()).toEqual({ state: 'ready', version: '0.2.0' });

    // A form is open: neither on quit nor on request.
    expect(controller.installsOnQuit()).toBe(false);
    expect(() => controller.installNow()).toThrow(expect.objectContaining({ code: 'EDITS_UNSAVED' }));
    expect(quitAndInstall).not.toHaveBeenCalled();

    controller.setEditState(false);
    expect(controller.installsOnQuit()).toBe(true);
    controller.installNow();
    expect(quitAndInstall).toHaveBeenCalledTimes(1);
  });

  it('stays idle when the server has published no release yet', async () => {
    const { controller, log } = controllerFor('0.1.0', `${feed}empty-channel/`);
    await controller.check();
    expect(controller.state()).toEqual({ state: 'idle' });
    expect(log).toHaveBeenCalledWith(expect.stringContaining('Cannot find channel'));
  });

  it('reports an unreachable server as a French error state', async () => {
    const { controller } = controllerFor('0.1.0', 'http://127.0.0.1:9/updates/');
    await controller.check();
    expect(controller.state()).toMatchObject({ state: 'error', message: expect.stringContaining('mise') });
    expect(() => controller.installNow()).toThrow(/Aucune mise à jour/);
  });
});

describe('release signature of the update metadata', () => {
  const artefactDownloads = () => requested.filter((u) => u.includes(ARTEFACT)).length;

  /** Checks with a fresh controller; asserts the refusal: a log line, no download, nothing installed. */
  async function expectRefused(reason: RegExp, opts: { version?: string; pem?: string } = {}) {
    const installed = runningAppImage();
    const { updater, controller, log, states } = controllerFor(opts.version, feed, opts.pem);
    const downloaded = vi.fn();
    updater.on('update-downloaded', downloaded);
    const before = artefactDownloads();
    await controller.check();
    expect(log).toHaveBeenCalledWith(expect.stringMatching(reason));
    expect(states).not.toContain('available');
    expect(downloaded).not.toHaveBeenCalled();
    expect(artefactDownloads()).toBe(before);
    expect(() => controller.installNow()).toThrow(/Aucune mise à jour/);
    expect(readFileSync(installed, 'utf8')).toBe('old');
    return controller;
  }

  it('a valid signature: downloaded, verified and really installed (the AppImage is replaced)', async () => {
    writeFeed(good);
    const installed = runningAppImage();
    const { updater, controller, log } = controllerFor();
    const ready = new Promise<void>((resolve) => controller.onState((s) => s.state === 'ready' && resolve()));
    // quitAndInstall would also quit Electron: run the same install step without the quit.
    let result: boolean | undefined;
    updater.quitAndInstall = (isSilent) => void (result = updater.install(isSilent, false));
    await controller.check();
    await ready;
    controller.installNow();
    expect(result).toBe(true);
    expect(readFileSync(installed).equals(good)).toBe(true);
    expect(log).not.toHaveBeenCalledWith(expect.stringContaining('refused'));
  });

  it('a tampered latest.yml (another installer and its sha512, old signature) is refused before any download', async () => {
    writeFeed(good);
    const evil = Buffer.concat([Buffer.from('#!/bin/sh\necho pwned\n'), randomBytes(1024)]);
    writeFileSync(path.join(releases, ARTEFACT), evil);
    writeFileSync(path.join(releases, FEED_FILE), feedYml(evil, '0.2.0'));
    const controller = await expectRefused(/update refused: signature of latest-linux\.yml invalid/);
    expect(controller.state()).toMatchObject({ state: 'error', message: expect.stringContaining('non signée') });
    // One changed byte is enough.
    writeFeed(good);
    writeFileSync(
      path.join(releases, FEED_FILE),
      readFileSync(path.join(releases, FEED_FILE), 'utf8').replace('0.2.0', '0.2.1'),
    );
    await expectRefused(/signature of latest-linux\.yml invalid/);
  });

  it('metadata signed with another key is refused; so is a key the app does not ship', async () => {
    writeFeed(good);
    signFile(FEED_FILE, generateKeyPairSync('ed25519').privateKey);
    await expectRefused(/signature of latest-linux\.yml invalid/);
    writeFeed(good);
    const otherPublic = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    await expectRefused(/signature of latest-linux\.yml invalid/, { pem: otherPublic });
    // Only an Ed25519 key is a release key: the app refuses to start its updater with anything else.
    const ecPublic = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    expect(() => signedFeed(feed, ecPublic, () => undefined)).toThrow(/must be Ed25519/);
  });

  it('a missing or malformed signature is refused, never taken for "no release yet"', async () => {
    writeFeed(good);
    rmSync(path.join(releases, `${FEED_FILE}.sig`));
    const controller = await expectRefused(/signature of latest-linux\.yml missing/);
    expect(controller.state()).toMatchObject({ state: 'error' });
    writeFileSync(path.join(releases, `${FEED_FILE}.sig`), 'not a signature');
    await expectRefused(/signature of latest-linux\.yml malformed/);
    writeFileSync(path.join(releases, `${FEED_FILE}.sig`), '');
    await expectRefused(/signature of latest-linux\.yml missing/);
  });

  it('a correctly signed older release (a replay) is refused as a downgrade, even with allowDowngrade on', async () => {
    writeFeed(good, '0.0.9');
    const installed = runningAppImage();
    const { updater, controller, log } = controllerFor('0.1.0');
    updater.allowDowngrade = true;
    const before = artefactDownloads();
    await controller.check();
    expect(log).toHaveBeenCalledWith(
      expect.stringContaining('update refused: 0.0.9 is older than the running 0.1.0 (downgrade)'),
    );
    expect(controller.state()).toEqual({ state: 'idle' });
    expect(artefactDownloads()).toBe(before);
    expect(readFileSync(installed, 'utf8')).toBe('old');
    writeFeed(good);
  });

  it('npm run release:sign signs what the verifier accepts, refuses a key that is not the app’s or lies in the repository', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'atlas-dist-'));
    const keyFile = path.join(dir, '..', `${path.basename(dir)}.key`);
    writeFileSync(keyFile, releaseKey.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    const pubFile = path.join(dir, '..', `${path.basename(dir)}.pub.pem`);
    writeFileSync(pubFile, publicKeyPem);
    writeFileSync(path.join(dir, FEED_FILE), feedYml(good, '0.2.0'));
    writeFileSync(path.join(dir, 'latest.yml'), 'version: 0.2.0\n');
    const script = path.resolve(import.meta.dirname, '../../../scripts/release-sign.mjs');
    const run = (env: Record<string, string>, args: string[] = []) =>
      execFileSync(process.execPath, [script, dir, '--public-key', pubFile, ...args], {
        env: { PATH: process.env['PATH'] ?? '', ...env },
        encoding: 'utf8',
        stdio: 'pipe',
      });
    expect(run({ ATLAS_RELEASE_KEY_FILE: keyFile })).toContain('latest-linux.yml.sig');
    expect(existsSync(path.join(dir, 'latest.yml.sig'))).toBe(true);
    // The script's output is what the app verifies: publish it and install from it.
    for (const f of [FEED_FILE, `${FEED_FILE}.sig`])
      writeFileSync(path.join(releases, f), readFileSync(path.join(dir, f)));
    writeFileSync(path.join(releases, ARTEFACT), good);
    const { controller } = controllerFor();
    const ready = new Promise<void>((resolve) => controller.onState((s) => s.state === 'ready' && resolve()));
    await controller.check();
    await ready;

    // From the environment as PEM text too.
    expect(
      run({ ATLAS_RELEASE_KEY: releaseKey.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }),
    ).toContain('Signé');
    const fails = (env: Record<string, string>) => {
      try {
        run(env);
        return '';
      } catch (e) {
        return String((e as { stderr?: string }).stderr);
      }
    };
    const otherKey = path.join(dir, '..', `${path.basename(dir)}.other.key`);
    writeFileSync(otherKey, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(fails({ ATLAS_RELEASE_KEY_FILE: otherKey })).toContain('ne correspond pas à la clé publique');
    expect(fails({ ATLAS_RELEASE_KEY_FILE: path.resolve(import.meta.dirname, 'nope.key') })).toContain(
      'ne doit pas se trouver dans le dépôt',
    );
    expect(fails({})).toContain('Clé privée absente');
  });
});

describe('/updates/ route', () => {
  const get = (name: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url: `/updates/${name}`, headers });

  it('serves the feed uncached and artefacts with ranges', async () => {
    const yml = await get('latest-linux.yml');
    expect(yml.statusCode).toBe(200);
    expect(yml.headers['cache-control']).toBe('no-cache');
    expect(yml.body).toContain('version: 0.2.0');
    // Its signature changes with it at each release: never served from a cache either.
    const sig = await get('latest-linux.yml.sig');
    expect(sig.statusCode).toBe(200);
    expect(sig.headers['cache-control']).toBe('no-cache');
    expect(sig.body.trim()).toMatch(/^[A-Za-z0-9+/]{86}==$/);
    const full = await get(ARTEFACT);
    expect(full.rawPayload.equals(good)).toBe(true);
    expect(full.headers['accept-ranges']).toBe('bytes');
  });

  it('answers a single range with 206 and the exact bytes', async () => {
    const r = await get(ARTEFACT, { range: 'bytes=10-19' });
    expect(r.statusCode).toBe(206);
    expect(r.headers['content-range']).toBe(`bytes 10-19/${good.length}`);
    expect(r.rawPayload.equals(good.subarray(10, 20))).toBe(true);
    const tail = await get(ARTEFACT, { range: 'bytes=-5' });
    expect(tail.rawPayload.equals(good.subarray(good.length - 5))).toBe(true);
  });

  it('answers multiple ranges as multipart/byteranges', async () => {
    const r = await get(ARTEFACT, { range: 'bytes=0-3,100-103' });
    expect(r.statusCode).toBe(206);
    const type = String(r.headers['content-type']);
    expect(type).toMatch(/^multipart\/byteranges; boundary=/);
    const boundary = type.split('boundary=')[1] as string;
    const body = r.rawPayload;
    expect(Number(r.headers['content-length'])).toBe(body.length);
    const text = body.toString('latin1');
    expect(text.split(`--${boundary}`).length).toBe(4);
    expect(text).toContain(`Content-Range: bytes 0-3/${good.length}`);
    expect(text).toContain(`Content-Range: bytes 100-103/${good.length}`);
    expect(body.includes(good.subarray(100, 104))).toBe(true);
  });

  it('answers 416 to an unsatisfiable range, 200 to a malformed one', async () => {
    expect((await get(ARTEFACT, { range: `bytes=${good.length + 10}-` })).statusCode).toBe(416);
    expect((await get(ARTEFACT, { range: 'bytes=abc' })).statusCode).toBe(200);
  });

  it('never serves files outside the releases folder', async () => {
    // The URL is normalised before routing: it lands outside /updates/ and nothing is served.
    const r = await get('../package.json');
    expect(r.statusCode).toBe(404);
    expect(r.body).not.toContain('atlas-hors-ligne');
  });

  it.each(['..%2f..%2fpackage.json', '.hidden', 'sub/dir.yml', '%00latest.yml', 'missing.exe'])(
    'refuses %s with 404',
    async (name) => {
      const r = await get(name);
      expect(r.statusCode).toBe(404);
      expect(r.json()).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('introuvable') });
    },
  );

  it('supports HEAD and conditional requests', async () => {
    const head = await app.inject({ method: 'HEAD', url: `/updates/${ARTEFACT}` });
    expect(head.statusCode).toBe(200);
    expect(Number(head.headers['content-length'])).toBe(good.length);
    const again = await get(ARTEFACT, { 'if-none-match': String(head.headers['etag']) });
    expect(again.statusCode).toBe(304);
  });
});

describe('through the CNCD server itself (createServer, compression and CSP hooks on)', () => {
  let server: TestServer;

  beforeAll(async () => {
    writeFeed(good);
    process.env['CNCD_UPDATES_DIR'] = releases;
    server = await startTestServer({ seed: 'none' });
  }, 60_000);

  afterAll(async () => {
    delete process.env['CNCD_UPDATES_DIR'];
    await server?.close();
  });

  it('serves ranges uncompressed even to a client accepting gzip', async () => {
    const r = await fetch(`${server.url}/updates/${ARTEFACT}`, {
      headers: { range: 'bytes=5-9', 'accept-encoding': 'gzip' },
    });
    expect(r.status).toBe(206);
    expect(r.headers.get('content-encoding')).toBeNull();
    expect(r.headers.get('content-security-policy')).toBeNull();
    expect(Buffer.from(await r.arrayBuffer()).equals(good.subarray(5, 10))).toBe(true);
  });

  it('lets electron-updater check, verify the signature and download from <server>/updates/', async () => {
    const updater = makeUpdater();
    useSignedFeed(updater, `${server.url}/updates/`);
    expect((await updater.checkForUpdates())?.updateInfo.version).toBe('0.2.0');
    const [file] = await updater.downloadUpdate();
    expect(readFileSync(file as string).equals(good)).toBe(true);
  });
});
