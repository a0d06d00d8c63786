// npm run bench:link — the app on a poor link (issue 11): the real server with the national demo data
// behind test/support/link-proxy.ts at 64 kbit/s and 600 ms round trip (LINK_KBPS, LINK_RTT_MS to vary),
// Chromium pointed at the proxy. Figures: link_cold_load_s (web app, empty cache, to a usable login
// form), link_first_sync_commune_s (agent of the demo's typical commune), link_edit_ack_s (one-field edit,
// from save to acknowledged, i.e. "synchronisé"), link_first_sync_region_s (SGAR Bretagne of the demo).
// Goals ≤ 20 s, ≤ 3 s, ≤ 1.5 s, ≤ 60 s. Prints one `name: value` line per figure and writes
// bench/results/link.json. The sync figures run the real engine in the bench/client harness page
// (served locally: an installed app has its files already), every API request through the link.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_PASSWORD } from '../src-server/seed';
import { LinkProxy, slowLink } from '../test/support/link-proxy';
import { startNationalServer } from './client/data';
import { buildHarness, CHROMIUM_ARGS, launchChromium, openHarness } from './support/chromium';
import { reportRun } from './support/results';

const BENCH = path.dirname(new URL(import.meta.url).pathname);
const ROOT = path.join(BENCH, '..');
const DATA_DIR = process.env.BENCH_LINK_DATA_DIR ?? path.join(os.tmpdir(), 'atlas-bench-link-national');
const APP_DIR = path.join(ROOT, 'out', 'renderer');
const KBPS = Number(process.env.LINK_KBPS ?? 64);
const RTT_MS = Number(process.env.LINK_RTT_MS ?? 600);
const COMMUNE_EMAIL = 'agent.commune@demo.atlas.gouv.fr';
const SGAR_EMAIL = 'sgar.bretagne@demo.atlas.gouv.fr';
const log = (s: string) => console.error(s);
const seconds = (ms: number) => +(ms / 1000).toFixed(2);

async function main() {
  const t0 = Date.now();
  if (!fs.existsSync(path.join(APP_DIR, 'index.html'))) {
    log('Building the app (npm run build)…');
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  }
  const { handle, url } = await startNationalServer(log, { dataDir: DATA_DIR, appDir: APP_DIR });
  const proxy = await LinkProxy.start({
    target: { port: Number(new URL(url).port) },
    behaviour: slowLink(KBPS, RTT_MS),
  });
  const figures: Record<string, number> = {};
  const notes: Record<string, unknown> = { link: { kbps: KBPS, rttMs: RTT_MS } };
  const browser = await launchChromium([...CHROMIUM_ARGS, '--lang=fr-FR']);
  try {
    // (1) Cold load: a new profile (no HTTP cache, no service worker), to a login form one can use.
    const cold = await browser.newContext({ locale: 'fr-FR' });
    const page = await cold.newPage();
    const before = { ...proxy.stats };
    const tLoad = performance.now();
    await page.goto(`${proxy.url}/#/`, { waitUntil: 'commit', timeout: 600_000 });
    const email = page.getByLabel(/^Adresse électronique/);
    await email.waitFor({ state: 'visible', timeout: 600_000 });
    await page.getByLabel(/^Mot de passe/).waitFor({ state: 'visible', timeout: 600_000 });
    await page.waitForFunction(
      () => {
        const b = [...document.querySelectorAll('button')].find((x) => /Se connecter/.test(x.textContent ?? ''));
        return !!b && !b.hasAttribute('disabled');
      },
      null,
      { timeout: 600_000 },
    );
    figures.link_cold_load_s = seconds(performance.now() - tLoad);
    notes.cold_load = {
      connections: proxy.stats.connections - before.connections,
      bytesDown: proxy.stats.bytesDown - before.bytesDown,
      bytesUp: proxy.stats.bytesUp - before.bytesUp,
    };
    log(`link_cold_load_s: ${figures.link_cold_load_s}`);
    await cold.close();

    // (2)-(4) The sync engine in the harness page; every API request crosses the link.
    const dist = await buildHarness('atlas-bench-link-harness-');
    const ctx = await browser.newContext();
    const harness = await openHarness(ctx, proxy.url, dist, log);
    type SyncOut = { ms: number; report: { requests: number; pulled: number }; counts: Record<string, number> };
    const firstSync = async (name: string, who: string) => {
      await harness.evaluate(([n, e, p]) => window.atlasBench.login(n!, e!, p!), [name, who, DEMO_PASSWORD]);
      const b = { ...proxy.stats };
      const out = (await harness.evaluate(() => window.atlasBench.sync())) as SyncOut;
      return { ...out, bytesDown: proxy.stats.bytesDown - b.bytesDown, bytesUp: proxy.stats.bytesUp - b.bytesUp };
    };

    const commune = await firstSync('link-commune', COMMUNE_EMAIL);
    figures.link_first_sync_commune_s = seconds(commune.ms);
    notes.commune = {
      records: commune.counts.total,
      requests: commune.report.requests,
      bytesDown: commune.bytesDown,
      bytesUp: commune.bytesUp,
    };
    log(`link_first_sync_commune_s: ${figures.link_first_sync_commune_s}`);

    // From the save of one field to its acknowledgement (the status "synchronisé"), median of 5.
    const edits: number[] = [];
    for (let i = 0; i < 5; i++) {
      edits.push(
        await harness.evaluate(async () => {
          const t = performance.now();
          await window.atlasBench.editOneField();
          await window.atlasBench.sync();
          return performance.now() - t;
        }),
      );
    }
    edits.sort((a, b) => a - b);
    figures.link_edit_ack_s = seconds(edits[2]!);
    notes.edit_runs_s = edits.map(seconds);
    log(`link_edit_ack_s: ${figures.link_edit_ack_s}`);

    const region = await firstSync('link-region', SGAR_EMAIL);
    figures.link_first_sync_region_s = seconds(region.ms);
    notes.region = {
      records: region.counts.total,
      requests: region.report.requests,
      bytesDown: region.bytesDown,
      bytesUp: region.bytesUp,
    };
    log(`link_first_sync_region_s: ${figures.link_first_sync_region_s}`);
    await ctx.close();
  } finally {
    await browser.close();
    await proxy.close();
    await handle.close();
  }
  const goals = {
    link_cold_load_s: figures.link_cold_load_s! <= 20,
    link_first_sync_commune_s: figures.link_first_sync_commune_s! <= 3,
    link_edit_ack_s: figures.link_edit_ack_s! <= 1.5,
    link_first_sync_region_s: figures.link_first_sync_region_s! <= 60,
  };
  reportRun('link', t0, { figures, goals, notes });
}

main().catch((e) => {
  console.error('bench:link failed:', e);
  process.exit(1);
});
