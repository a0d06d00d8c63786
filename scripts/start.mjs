#!/usr/bin/env node
// `npm start`: builds what is stale, starts the CNCD server on its embedded default (PGlite, demo
// data seeded when empty — the server prints the demo accounts), then launches the desktop app
// pointed at it. Without an Electron binary, says so in one French line and keeps serving the same
// app to browsers. Ctrl-C stops everything cleanly.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const host = '127.0.0.1';
const children = new Set();
let stopping = false;

function say(line) {
  console.log(`[atlas] ${line}`);
}

/** Newest modification time under the given paths (files only, node_modules and out skipped). */
function newestMtime(paths) {
  let newest = 0;
  const walk = (p) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p)) if (name !== 'node_modules' && name !== 'out') walk(path.join(p, name));
    } else newest = Math.max(newest, st.mtimeMs);
  };
  paths.forEach(walk);
  return newest;
}

function buildIsStale() {
  const outputs = ['out/main/main.js', 'out/preload/index.cjs', 'out/renderer/index.html'].map((p) =>
    path.join(root, p),
  );
  if (!outputs.every(existsSync)) return true;
  const built = Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  const sources = ['src-renderer', 'src-shared', 'src-main', 'electron.vite.config.ts', 'package.json'].map((p) =>
    path.join(root, p),
  );
  return newestMtime(sources) > built;
}

function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
    children.add(child);
    child.on('exit', (code, signal) => {
      children.delete(child);
      if (code === 0) resolve();
      else reject(new Error(`${path.basename(args[0] ?? cmd)} s’est arrêté (${signal ?? `code ${code}`})`));
    });
    child.on('error', reject);
  });
}

/**
 * Builds into .tmp/ then swaps the folder in, so a server or a test reading out/ meanwhile never
 * sees a half-emptied folder.
 */
async function buildAtomically() {
  const tmpRoot = path.join(root, '.tmp');
  mkdirSync(tmpRoot, { recursive: true });
  const fresh = path.join(tmpRoot, `out-build-${process.pid}`);
  const old = path.join(tmpRoot, `out-old-${process.pid}`);
  try {
    await run(process.execPath, [
      path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'),
      'build',
      '--outDir',
      fresh,
    ]);
    const out = path.join(root, 'out');
    if (existsSync(out)) renameSync(out, old);
    renameSync(fresh, out);
  } finally {
    rmSync(fresh, { recursive: true, force: true });
    rmSync(old, { recursive: true, force: true });
  }
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

async function choosePort() {
  if (process.env.PORT) return Number(process.env.PORT);
  for (let port = 8787; port < 8807; port++) if (await portIsFree(port)) return port;
  return 0;
}

async function waitForHealth(url, server) {
  const deadline = Date.now() + 10 * 60_000; // the first national seed can take a while on a slow disk
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error('le serveur s’est arrêté au démarrage');
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error('le serveur ne répond pas sur /api/health');
}

/**
 * ELECTRON_PATH, else the binary of the installed `electron` package if it was ever downloaded.
 * Never `require('electron')`: since Electron 45 that downloads the binary on first use.
 */
function findElectron() {
  const fromEnv = process.env.ELECTRON_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  const pkg = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const exe = path.join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(exe) ? exe : null;
}

async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  say('arrêt en cours…');
  const waits = [...children].map(
    (child) =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', resolve);
        child.kill('SIGTERM');
        setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 10_000).unref();
      }),
  );
  await Promise.all(waits);
  say('tout est arrêté.');
  process.exit(code);
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

async function main() {
  if (buildIsStale()) {
    say('construction de l’application (electron-vite build)…');
    await buildAtomically();
  } else {
    say('application déjà construite et à jour.');
  }
  if (stopping) return;

  const port = await choosePort();
  const url = `http://${host}:${port}`;
  say(`démarrage du serveur CNCD sur ${url} (base embarquée, données de démonstration si elle est vide)…`);
  const server = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'src-server/main.ts'], {
    cwd: root,
    stdio: 'inherit',
    // Request logs stay out of the newcomer's terminal unless asked for (LOG_LEVEL=info).
    env: {
      ...process.env,
      PORT: String(port),
      HOST: host,
      PUBLIC_URL: process.env.PUBLIC_URL ?? url,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      // …but each mail written as an .eml file (no SMTP_URL) is announced with its path, in one French line.
      CNCD_MAIL_CONSOLE: process.env.CNCD_MAIL_CONSOLE ?? '1',
    },
  });
  children.add(server);
  server.on('exit', (code, signal) => {
    children.delete(server);
    if (!stopping) {
      console.error(`[atlas] le serveur CNCD s’est arrêté (${signal ?? `code ${code}`}).`);
      void stopAll(code || 1);
    }
  });
  await waitForHealth(url, server);
  if (stopping) return;

  const electron = findElectron();
  if (!electron) {
    console.log(
      `Electron n’est pas disponible sur cette machine : l’application reste accessible dans un navigateur à l’adresse ${url}/`,
    );
    say('Ctrl-C pour tout arrêter.');
    return;
  }
  say(`lancement de l’application de bureau (${url})…`);
  const app = spawn(electron, [root], { cwd: root, stdio: 'inherit', env: { ...process.env, ATLAS_SERVER_URL: url } });
  children.add(app);
  app.on('exit', () => {
    children.delete(app);
    say('application fermée.');
    void stopAll(0);
  });
}

main().catch((e) => {
  console.error(`[atlas] échec du démarrage : ${e instanceof Error ? e.message : e}`);
  void stopAll(1);
});
