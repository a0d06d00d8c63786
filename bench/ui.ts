// npm run bench:ui — the app's screens in Chromium (real IndexedDB) against the real server on loopback.
// Figures (issue 5): load_to_interactive_ms (typical commune, reload to a usable dashboard),
// filter_2000_ms (one keystroke in the filter of 2,000 fiches-projets: script, render and layout),
// map_national_first_render_ms (DAECT scope, 8,674 coopérations and 753 actions extérieures, from navigation to the first complete
// canvas frame), plus map_pan_p95_frame_ms (frame time while dragging the national map),
// dashboard_region_ms (the SGAR of Bretagne's regional dashboard, from navigation to the table drawn),
// dashboard_national_ms (DAECT, from navigation to the national dashboard's figures and région table drawn), and
// export_national_csv_s (issue 15: the DAECT exports every fiche-projet of the national copy as CSV, from the
// click to the file written, the file checked against the server).
// Prints one `name: value` line per figure and writes bench/results/ui.json.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import type { ServerHandle } from '../src-server/app';
import { loadOfficialCollectivites } from '../src-server/reference/officialCollectivites';
import { DEMO_PASSWORD, NATIONAL, insertData } from '../src-server/seed';
import { chooseEngaged, generate } from '../src-server/seed/generate';
import { collectiviteId, naturalId } from '../src-shared/sync/ids';
import type { Queryable } from '../src-server/db/driver';
import { TABLE_DEFS } from '../src-server/sync/tables';
import { csvObjects } from '../test/support/csv';
import { startNationalServer } from './client/data';
import { CHROMIUM_ARGS } from './support/chromium';

const ROOT = path.join(path.dirname(new URL(import.meta.url).pathname), '..');
const DATA_DIR = process.env.BENCH_UI_DATA_DIR ?? path.join(os.tmpdir(), 'atlas-bench-ui-national');
const FILTER_EMAIL = 'agent.2000fiches@bench.atlas.gouv.fr';
const log = (s: string) => console.error(s);
const median = (a: number[]) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)]!;
};
const p95 = (a: number[]) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]!;
};
const round = (n: number) => Math.round(n * 10) / 10;

function chromiumPath(): string | undefined {
  const dir = process.env.PLAYWRIGHT_BROWSERS_PATH ?? path.join(os.homedir(), '.cache', 'ms-playwright');
  try {
    if (fs.readdirSync(dir).some((d) => d.startsWith('chromium'))) return undefined;
  } catch {
    /* none */
  }
  return fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

/** The national demo data, plus one collectivité holding 2,000 fiches-projets for the filter figure. */
async function startServer() {
  return startNationalServer(log, {
    dataDir: DATA_DIR,
    appDir: path.join(ROOT, 'out', 'renderer'),
    prepare: addFilterCollectivite,
  });
}

async function addFilterCollectivite(handle: ServerHandle): Promise<void> {
  const { db, sync, auth } = handle.app.cncd;
  const all = loadOfficialCollectivites();
  const engaged = new Set(chooseEngaged(all, NATIONAL.collectivites).map((c) => c.code));
  const big = all.find((c) => c.type === 'commune' && !engaged.has(c.code) && c.region === '53')!;
  const bigId = collectiviteId(big.code);
  if (!(await db.query('SELECT 1 FROM users WHERE email = $1', [FILTER_EMAIL])).length) {
    log(`Adding ${big.nom} with 2,000 fiches-projets…`);
    const data = generate({
      collectivites: [big],
      partenariats: 120,
      fiches: 2_000,
      actionsExterieures: 0,
      seed: 2000,
    });
    // The generator's ids follow its indexes, as the national seed's do: give these records ids of their own.
    const ids = new Map<string, string>();
    const fresh = (entity: string, id: string) => {
      const n = naturalId('partenariat', ['bench-ui', entity, id]);
      ids.set(id, n);
      return n;
    };
    const partenariat = data.partenariat.map((p) => ({ ...p, id: fresh('partenariat', String(p.id)) }));
    const ficheProjet = data.ficheProjet.map((f) => ({
      ...f,
      id: fresh('ficheProjet', String(f.id)),
      partenariatId: ids.get(String(f.partenariatId))!,
      referentContactId: null,
    }));
    const hasCollectivite = (await db.query('SELECT 1 FROM collectivite WHERE id = $1', [bigId])).length > 0;
    const empty = {
      campagne: [],
      contact: [],
      adhesion: [],
      declarationApd: [],
      ligneApd: [],
      avis: [],
      attestationCampagne: [],
      entreeReference: [],
    };
    await insertData(db, sync.revs, {
      ...empty,
      collectivite: hasCollectivite ? [] : data.collectivite,
      partenariat,
      ficheProjet,
    });
    await auth.createUser({
      role: 'agent',
      email: FILTER_EMAIL,
      password: DEMO_PASSWORD,
      nom: 'Agent banc d’essai',
      collectiviteId: bigId,
    });
  }
}

async function login(page: Page, url: string, email: string, timeoutMs: number): Promise<void> {
  await page.goto(`${url}/#/`);
  await page.getByLabel(/^Adresse électronique/).fill(email);
  await page.getByLabel(/^Mot de passe/).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByTestId('etat-attente').filter({ hasText: 'Tout est synchronisé' }).waitFor({ timeout: timeoutMs });
}

/** Records, in the page, when a selector first appears (MutationObserver, before any app code runs). */
const WATCH = (selector: string) => `
  window.__seen = null;
  new MutationObserver((_, obs) => {
    if (document.querySelector(${JSON.stringify(selector)})) { window.__seen = performance.now(); obs.disconnect(); }
  }).observe(document, { childList: true, subtree: true });
`;

async function loadToInteractive(browser: Browser, url: string): Promise<number> {
  const ctx = await browser.newContext({ locale: 'fr-FR' });
  const page = await ctx.newPage();
  await login(page, url, 'agent.commune@demo.atlas.gouv.fr', 60_000);
  await page.addInitScript(WATCH('[data-testid="partie-apd"] button'));
  const runs: number[] = [];
  for (let i = 0; i < 7; i++) {
    await page.reload({ waitUntil: 'commit' });
    await page.waitForFunction(
      () => typeof (window as unknown as { __seen?: number | null }).__seen === 'number',
      null,
      { timeout: 30_000 },
    );
    runs.push(await page.evaluate(() => (window as unknown as { __seen: number }).__seen));
  }
  await ctx.close();
  log(`load_to_interactive runs (ms): ${runs.map(round).join(', ')} (first one warms the cache, dropped)`);
  return median(runs.slice(1));
}

async function filter2000(browser: Browser, url: string): Promise<{ median: number; max: number }> {
  const ctx = await browser.newContext({ locale: 'fr-FR' });
  const page = await ctx.newPage();
  await login(page, url, FILTER_EMAIL, 120_000);
  await page.goto(`${url}/#/fiches`);
  await page
    .getByTestId('nombre-fiches')
    .filter({ hasText: /^2000 fiches-projets/ })
    .waitFor({ timeout: 60_000 });
  const times = await page.evaluate(async () => {
    const input = document.querySelector<HTMLInputElement>('[data-testid="filtre-fiches"]')!;
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
    const out: number[] = [];
    for (const text of ['eau potable', 'formation des', 'santé']) {
      for (let i = 1; i <= text.length; i++) {
        const t0 = performance.now();
        setter.call(input, text.slice(0, i));
        input.dispatchEvent(new Event('input', { bubbles: true }));
        await new Promise((r) => setTimeout(r, 0)); // React commits the update
        void document.body.offsetHeight; // and the browser lays it out
        out.push(performance.now() - t0);
      }
      setter.call(input, '');
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((r) => setTimeout(r, 50));
    }
    return out;
  });
  await ctx.close();
  return { median: median(times), max: Math.max(...times) };
}

async function mapNational(
  browser: Browser,
  url: string,
): Promise<{ first: number; panP95: number; partners: string }> {
  const ctx = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const t0 = Date.now();
  await login(page, url, 'daect@demo.atlas.gouv.fr', 600_000);
  log(`DAECT national sync in the browser: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  await page.goto(`${url}/#/synchronisation`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  const first = await page.evaluate(async () => {
    performance.clearMarks();
    const t = performance.now();
    location.hash = '#/carte';
    for (;;) {
      const m = performance.getEntriesByName('atlas-map-rendered');
      if (m.length) return m[0]!.startTime - t;
      await new Promise((r) => setTimeout(r, 5));
    }
  });
  const partners = (await page.getByTestId('carte-resume').textContent()) ?? '';
  // Drag the map for ~1 s and record frame intervals, once the first render's follow-up work (country
  // shading and the small countries' centroids, loaded after the markers) is done, then ten frames in a
  // row under 20 ms (10 s at most).
  await page.waitForFunction(() => performance.getEntriesByName('atlas-map-settled').length > 0, undefined, {
    timeout: 60_000,
  });
  await page.evaluate(`new Promise((resolve) => {
    let calm = 0, last = performance.now(); const end = last + 10000;
    function tick(t) { calm = t - last < 20 ? calm + 1 : 0; last = t; if (calm >= 10 || t > end) resolve(undefined); else requestAnimationFrame(tick); }
    requestAnimationFrame(tick);
  })`);
  const box = (await page.getByTestId('carte').boundingBox())!;
  // A string, not a function: tsx would wrap named functions with a helper the page does not have.
  await page.evaluate(`(() => {
    window.__frames = []; window.__stop = false;
    let last = performance.now();
    function tick(t) { window.__frames.push(t - last); last = t; if (!window.__stop) requestAnimationFrame(tick); }
    requestAnimationFrame(tick);
  })()`);
  const cx = box.x + box.width / 2,
    cy = box.y + box.height / 2;
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  for (let i = 0; i < 60; i++) await page.mouse.move(cx - i * 6, cy - Math.sin(i / 8) * 40, { steps: 1 });
  await page.mouse.up();
  const frames = await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __stop: boolean };
    w.__stop = true;
    return w.__frames.slice(1);
  });
  await ctx.close();
  log(`pan frames (ms, in order): ${frames.map((f) => f.toFixed(0)).join(' ')}`);
  return { first, panP95: p95(frames), partners };
}

/**
 * dashboard_national_ms: the DAECT's national dashboard on the national copy (4,787 collectivités, ~65,000
 * records), from the navigation to its figures and région table drawn (the screen marks
 * `atlas-tdb-national-drawn` on the frame after they are committed). Its own browser context and login.
 */
async function dashboardNational(browser: Browser, url: string): Promise<{ median: number; runs: number[] }> {
  const ctx = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await login(page, url, 'daect@demo.atlas.gouv.fr', 600_000);
  const runs: number[] = [];
  for (let i = 0; i < 4; i++) {
    await page.goto(`${url}/#/synchronisation`);
    await page.getByRole('heading', { level: 1, name: 'Synchronisation' }).waitFor();
    runs.push(
      await page.evaluate(async () => {
        performance.clearMarks();
        const t = performance.now();
        location.hash = '#/tableau-de-bord';
        for (;;) {
          const m = performance.getEntriesByName('atlas-tdb-national-drawn');
          if (m.length) return m[0]!.startTime - t;
          await new Promise((r) => setTimeout(r, 5));
        }
      }),
    );
  }
  const rows = await page.locator('[data-testid="tableau-regions"] tbody tr').count();
  const engagees = (await page.getByTestId('chiffre-engagees').locator('[data-valeur]').textContent()) ?? '';
  await ctx.close();
  log(
    `dashboard_national runs (ms): ${runs.map(round).join(', ')} (first one dropped); ${rows} régions, ${engagees} engagées`,
  );
  return { median: median(runs.slice(1)), runs };
}

/**
 * export_national_csv_s: the DAECT, its national copy synced, clicks « Exporter les fiches-projets en CSV »;
 * timed until the downloaded file is written. The file must hold every fiche of the server, a sample of
 * fields equal to the server's. The JSON of everything is built too, its time and size logged (the desktop
 * saves files of 50 MB at most).
 */
async function exportNationalCsv(browser: Browser, url: string, db: Queryable): Promise<number> {
  const ctx = await browser.newContext({ locale: 'fr-FR', acceptDownloads: true });
  const page = await ctx.newPage();
  await login(page, url, 'daect@demo.atlas.gouv.fr', 600_000);
  await page.goto(`${url}/#/exports`);
  const row = page.getByTestId('export-ficheProjet');
  await row.waitFor({ timeout: 60_000 });
  await page.waitForFunction(
    () => !document.querySelector('[data-testid="export-ficheProjet"]')?.textContent?.includes('Comptage'),
    null,
    { timeout: 60_000 },
  );
  const t0 = Date.now();
  const [dl] = await Promise.all([
    page.waitForEvent('download', { timeout: 120_000 }),
    page.getByRole('button', { name: 'Exporter les fiches-projets en CSV', exact: true }).click(),
  ]);
  const file = await dl.path();
  const seconds = (Date.now() - t0) / 1000;
  const bytes = fs.statSync(file).size;
  // Intact: one row per fiche of the server, the ids the same, a sample of fields equal.
  const server = (
    await db.query<{ row: Record<string, unknown> }>(
      `SELECT to_jsonb(t) AS row FROM ${TABLE_DEFS.ficheProjet.table} t WHERE NOT deleted`,
    )
  ).map((r) => r.row);
  const { rows } = csvObjects(fs.readFileSync(file, 'utf8'));
  if (rows.length !== server.length)
    throw new Error(`export: ${rows.length} lignes, ${server.length} fiches sur le serveur`);
  const byId = new Map(rows.map((r) => [r.Identifiant, r]));
  for (const f of server) if (!byId.has(String(f.id))) throw new Error(`export: fiche ${String(f.id)} absente`);
  for (const f of server.filter((_, i) => i % Math.max(1, Math.floor(server.length / 200)) === 0)) {
    const r = byId.get(String(f.id))!;
    const [y, m, d] = String(f.dateDebut).split('-');
    const want: Record<string, string> = {
      Intitulé: /^[=+\-@\t\r]/.test(String(f.intitule)) ? `'${String(f.intitule)}` : String(f.intitule),
      'Date de début': `${d}/${m}/${y}`,
      'Collectivité (identifiant)': String(f.collectiviteId),
      'Coût total (€)': f.coutTotal === null ? '' : String(f.coutTotal).replace('.', ','),
    };
    for (const [h, v] of Object.entries(want))
      if (r[h] !== v) throw new Error(`export: fiche ${String(f.id)} « ${h} » : ${r[h]} au lieu de ${v}`);
  }
  const built = await page.evaluate(() => {
    const [a] = performance.getEntriesByName('atlas-export-start');
    const [b] = performance.getEntriesByName('atlas-export-built');
    const [l] = performance.getEntriesByName('atlas-export-lookups');
    return a && b ? { built: b.startTime - a.startTime, lookups: l ? l.startTime - a.startTime : null } : null;
  });
  log(
    `export CSV: ${rows.length} fiches-projets, ${(bytes / 1024 / 1024).toFixed(1)} Mo, ${seconds.toFixed(2)} s (file built in the page in ${built ? (built.built / 1000).toFixed(2) : '?'} s, of which ${built?.lookups ? (built.lookups / 1000).toFixed(2) : '?'} s reading the collectivités and partenariats; load average ${os.loadavg()[0]!.toFixed(1)})`,
  );
  const t1 = Date.now();
  const [dlJson] = await Promise.all([
    page.waitForEvent('download', { timeout: 300_000 }),
    page.getByRole('button', { name: 'Tout exporter en JSON', exact: true }).click(),
  ]);
  const jsonBytes = fs.statSync(await dlJson.path()).size;
  log(
    `export JSON (tout le national): ${(jsonBytes / 1024 / 1024).toFixed(1)} Mo, ${((Date.now() - t1) / 1000).toFixed(2)} s`,
  );
  await ctx.close();
  return seconds;
}

/**
 * dashboard_region_ms: the SGAR of Bretagne (its région's copy of the national data, plus the bench's commune of
 * 2,000 fiches), from the navigation to its regional dashboard to the table drawn and laid out (every row:
 * the table is not virtualised). Median of 5, after one warm-up.
 */
async function dashboardRegion(
  browser: Browser,
  url: string,
): Promise<{ median: number; runs: number[]; count: string }> {
  const ctx = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const t0 = Date.now();
  await login(page, url, 'sgar.bretagne@demo.atlas.gouv.fr', 600_000);
  log(`SGAR Bretagne sync in the browser: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const runs: number[] = [];
  for (let i = 0; i < 6; i++) {
    await page.goto(`${url}/#/synchronisation`);
    await page.getByRole('heading', { level: 1, name: 'Synchronisation' }).waitFor();
    // A string, not a function: tsx would wrap named functions with a helper the page does not have.
    const ms = (await page.evaluate(`new Promise((resolve) => {
      const t = performance.now();
      const drawn = () => document.querySelector('[data-testid="region-table"] tbody tr');
      const obs = new MutationObserver(() => {
        if (!drawn()) return;
        obs.disconnect();
        void document.body.offsetHeight; // laid out
        resolve(performance.now() - t);
      });
      obs.observe(document.body, { childList: true, subtree: true });
      location.hash = '#/tableau-de-bord/region/53';
    })`)) as number;
    runs.push(ms);
  }
  const count = (await page.getByTestId('region-nombre').textContent()) ?? '';
  await ctx.close();
  log(`dashboard_region runs (ms): ${runs.map(round).join(', ')} (first one warms up, dropped); ${count}`);
  return { median: median(runs.slice(1)), runs, count };
}

async function main() {
  if (!process.env.BENCH_UI_SKIP_BUILD)
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const { handle, url } = await startServer();
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_ARGS, '--lang=fr-FR'] });
  const results: Record<string, number | string> = {};
  const only = process.env.BENCH_UI_ONLY?.split(',');
  const want = (k: string) => !only || only.includes(k);
  try {
    if (want('load')) results.load_to_interactive_ms = round(await loadToInteractive(browser, url));
    if (want('load')) console.log(`load_to_interactive_ms: ${results.load_to_interactive_ms}`);
    const f = want('filter') ? await filter2000(browser, url) : null;
    if (f) {
      results.filter_2000_ms = round(f.median);
      results.filter_2000_max_ms = round(f.max);
      console.log(`filter_2000_ms: ${results.filter_2000_ms}`);
      console.log(`filter_2000_max_ms: ${results.filter_2000_max_ms}`);
    }
    const m = want('map') ? await mapNational(browser, url) : null;
    if (m) {
      results.map_national_first_render_ms = round(m.first);
      results.map_pan_p95_frame_ms = round(m.panP95);
      console.log(`map_national_first_render_ms: ${results.map_national_first_render_ms}`);
      console.log(`map_pan_p95_frame_ms: ${results.map_pan_p95_frame_ms}`);
      log(`map: ${m.partners.trim()}`);
    }
    if (want('dashboard_national')) {
      results.dashboard_national_ms = round((await dashboardNational(browser, url)).median);
      console.log(`dashboard_national_ms: ${results.dashboard_national_ms}`);
    }
    if (want('export')) {
      results.export_national_csv_s =
        Math.round((await exportNationalCsv(browser, url, handle.app.cncd.db)) * 100) / 100;
      console.log(`export_national_csv_s: ${results.export_national_csv_s}`);
    }
    if (want('region')) {
      results.dashboard_region_ms = round((await dashboardRegion(browser, url)).median);
      console.log(`dashboard_region_ms: ${results.dashboard_region_ms}`);
    }
  } finally {
    await browser.close();
    await handle.close();
  }
  fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
  fs.writeFileSync(
    path.join(ROOT, 'bench', 'results', 'ui.json'),
    `${JSON.stringify(
      {
        at: new Date().toISOString(),
        machine: `${os.cpus().length} cœurs, ${os.cpus()[0]?.model ?? ''}`,
        goals: {
          load_to_interactive_ms: 1000,
          filter_2000_ms: 50,
          map_national_first_render_ms: 1000,
          dashboard_region_ms: 300,
          dashboard_national_ms: 1000,
          export_national_csv_s: 5,
        },
        ...results,
      },
      null,
      2,
    )}\n`,
  );
}

await main();
