// Chromium for the benches: the same quiet flags everywhere, and pages built by vite (the bench/client
// harness: the real sync engine in a page of its own) served from any origin without a web server.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { build } from 'vite';

const BENCH = path.join(path.dirname(new URL(import.meta.url).pathname), '..');

/** Headless, with none of Chromium's own background traffic or work while measuring. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** The system Chromium when there is one, else Playwright's. */
export function launchChromium(args: string[] = CHROMIUM_ARGS): Promise<Browser> {
  return chromium.launch({
    executablePath: fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
    args,
  });
}

/** Builds bench/client (the harness page) into a new temporary folder named after `tmpPrefix`. */
export async function buildHarness(tmpPrefix: string, minify = true): Promise<string> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), tmpPrefix));
  await build({
    root: path.join(BENCH, 'client'),
    base: '/__bench/',
    logLevel: 'warn',
    configFile: false,
    build: { outDir, emptyOutDir: true, target: 'es2022', minify },
  });
  return outDir;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
};

/**
 * Opens the page built in `dist` at `base` (a folder URL), its files answered by the context (so its requests
 * to a server at the same origin are same-origin), and `extra(path)` first when it has that path; once the
 * page says it is ready. The page's errors go to `log`.
 */
export async function openBuiltPage(
  context: BrowserContext,
  base: string,
  dist: string,
  log: (s: string) => void,
  extra?: (rel: string) => Buffer | undefined,
): Promise<Page> {
  const prefix = new URL(base).pathname;
  await context.route(`${base}**`, async (route) => {
    const rel = new URL(route.request().url()).pathname.slice(prefix.length) || 'index.html';
    const body = extra?.(rel);
    if (body) return route.fulfill({ status: 200, body });
    const file = path.join(dist, rel);
    if (!file.startsWith(dist) || !fs.existsSync(file)) return route.fulfill({ status: 404, body: 'introuvable' });
    return route.fulfill({
      status: 200,
      body: fs.readFileSync(file),
      headers: { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' },
    });
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') log(`[page] ${m.text()}`);
  });
  await page.goto(`${base}index.html`);
  await page.waitForSelector('body[data-ready="true"]');
  return page;
}

/** The bench/client harness built in `dist`, opened at `${origin}/__bench/`. */
export function openHarness(context: BrowserContext, origin: string, dist: string, log: (s: string) => void) {
  return openBuiltPage(context, `${origin}/__bench/`, dist, log);
}
