// Chromium for the benches: the same quiet flags everywhere, and the bench/client harness page (the real
// sync engine in a page of its own) built once and served from any origin under /__bench/.
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
 * Opens the harness built in `dist` at `${origin}/__bench/` (its files answered by the context, so its
 * requests to the API are same-origin); the page's errors go to `log`.
 */
export async function openHarness(
  context: BrowserContext,
  origin: string,
  dist: string,
  log: (s: string) => void,
): Promise<Page> {
  await context.route(`${origin}/__bench/**`, async (route) => {
    const rel = new URL(route.request().url()).pathname.replace(/^\/__bench\//, '') || 'index.html';
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
  await page.goto(`${origin}/__bench/index.html`);
  await page.waitForSelector('body[data-ready="true"]');
  return page;
}
