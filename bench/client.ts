// npm run bench:client — the client sync engine in Chromium (real IndexedDB) against the real server
// with the national demo data, on loopback. Prints one `name: value` line per figure and writes
// bench/results/client.json. Goals (issue 4): région ≤ 5 s and ≤ 3 requests per 1,000 records,
// national import ≤ 10 s, 1,000 pulled changes ≤ 1 s, one-field edit and no-op cycles ≤ 400 bytes each way.
import fs from 'node:fs';
import path from 'node:path';
import type { CDPSession } from '@playwright/test';
import { startNationalServer } from './client/data';
import { buildHarness, launchChromium, openHarness } from './support/chromium';
import { reportRun } from './support/results';

const ROOT = path.dirname(new URL(import.meta.url).pathname);
const PASSWORD = 'banc-essai-atlas-2026';
const TICK_MS = 10; // USER_HZ = 100 on Linux

/**
 * CPU milliseconds used so far by the descendants of a process, by Chromium process type (`browser`,
 * `renderer`, `utility`…; Linux /proc; null elsewhere). On a shared machine the wall-clock figures
 * swing with other work; CPU time is the steadier comparison.
 */
function childrenCpuMs(root: number): Record<string, number> | null {
  if (!fs.existsSync('/proc/self/stat')) return null;
  const stats = new Map<number, { ppid: number; ms: number }>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const raw = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(d), { ppid: Number(f[1]), ms: (Number(f[11]) + Number(f[12])) * TICK_MS });
    } catch {
      /* the process ended meanwhile */
    }
  }
  const out: Record<string, number> = {};
  const todo = [root];
  const seen = new Set<number>();
  while (todo.length) {
    const pid = todo.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    if (pid !== root && stats.has(pid)) {
      let type = 'other';
      try {
        type = /--type=([a-z-]+)/.exec(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'))?.[1] ?? 'browser';
      } catch {
        /* ended */
      }
      out[type] = (out[type] ?? 0) + stats.get(pid)!.ms;
    }
    for (const [child, st] of stats) if (st.ppid === pid) todo.push(child);
  }
  return out;
}
function cpuDelta(a: Record<string, number> | null, b: Record<string, number> | null): Record<string, number> | null {
  if (!a || !b) return null;
  const d = Object.fromEntries(Object.entries(b).map(([k, v]) => [k, v - (a[k] ?? 0)]));
  return { ...d, total: Object.values(d).reduce((x, y) => x + y, 0) };
}
const nodeCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const log = (s: string) => console.error(s);

/** Bytes of /api/v1/sync traffic seen by Chromium: request bodies, and response bodies as received (compressed). */
class WireMeter {
  private urls = new Map<string, string>();
  private headerBytes = new Map<string, number>();
  requests = 0;
  requestBodyBytes = 0;
  responseBytes = 0;
  constructor(cdp: CDPSession) {
    cdp.on('Network.requestWillBeSent', (e) => {
      if (e.request.url.endsWith('/api/v1/sync')) this.urls.set(e.requestId, e.request.url);
    });
    cdp.on('Network.responseReceivedExtraInfo', (e) => {
      if (e.headersText) this.headerBytes.set(e.requestId, e.headersText.length);
    });
    cdp.on('Network.loadingFinished', (e) => {
      if (!this.urls.has(e.requestId)) return;
      this.requests++;
      // encodedDataLength counts the status line and headers too: keep the body only.
      this.responseBytes += Math.max(0, e.encodedDataLength - (this.headerBytes.get(e.requestId) ?? 0));
    });
  }
  reset() {
    this.requests = 0;
    this.requestBodyBytes = 0;
    this.responseBytes = 0;
  }
}

async function main() {
  const t0 = Date.now();
  const { handle, url, seededNow } = await startNationalServer(log);
  const { db, auth } = handle.app.cncd;
  const figures: Record<string, number> = {};
  const notes: Record<string, unknown> = { seededNow };
  const browser = await launchChromium();
  try {
    // The largest collectivité (most records) and the largest région.
    const big = await db.query<{ id: string; n: number }>(
      `SELECT id, sum(n)::int AS n FROM (
         SELECT "collectiviteId" AS id, count(*) AS n FROM partenariat GROUP BY 1
         UNION ALL SELECT "collectiviteId", count(*) FROM fiche_projet GROUP BY 1
         UNION ALL SELECT "collectiviteId", count(*) FROM contact GROUP BY 1
         UNION ALL SELECT "collectiviteId", count(*) FROM adhesion GROUP BY 1) t GROUP BY id ORDER BY 2 DESC LIMIT 1`,
    );
    const region = await db.query<{ region: string; n: number }>(
      'SELECT region, count(*)::int AS n FROM collectivite WHERE region IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 1',
    );
    const stamp = Date.now();
    const agentEmail = `bench.agent.${stamp}@demo.atlas.gouv.fr`;
    const sgarEmail = `bench.sgar.${stamp}@demo.atlas.gouv.fr`;
    const daectEmail = `bench.daect.${stamp}@demo.atlas.gouv.fr`;
    await auth.createUser({
      role: 'agent',
      email: agentEmail,
      password: PASSWORD,
      nom: 'Banc agent',
      collectiviteId: big[0]!.id,
    });
    await auth.createUser({
      role: 'sgar',
      email: sgarEmail,
      password: PASSWORD,
      nom: 'Banc SGAR',
      region: region[0]!.region,
    });
    await auth.createUser({ role: 'daect', email: daectEmail, password: PASSWORD, nom: 'Banc DAECT' });

    const dist = await buildHarness('atlas-bench-harness-', process.env.BENCH_PROFILE !== '1');
    const context = await browser.newContext();
    const page = await openHarness(context, url, dist, log);
    // The harness makes no request of its own on load: metering from here misses nothing.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    const meter = new WireMeter(cdp);

    type SyncOut = {
      ms: number;
      report: { requests: number; requestBytes: number[]; pulled: number; networkMs: number; applyMs: number };
      counts: Record<string, number>;
    };
    const firstSync = async (name: string, email: string) => {
      await page.evaluate(([n, e, p]) => window.atlasBench.login(n!, e!, p!), [name, email, PASSWORD]);
      meter.reset();
      const out = (await page.evaluate(() => window.atlasBench.sync())) as SyncOut;
      return {
        ...out,
        wireRequests: meter.requests,
        bytes: meter.responseBytes + out.report.requestBytes.reduce((a, b) => a + b, 0),
      };
    };

    // (a) first sync of the largest collectivité, then of a whole région (SGAR scope).
    const commune = await firstSync('bench-commune', agentEmail);
    figures.first_sync_commune_s = +(commune.ms / 1000).toFixed(3);
    notes.commune = { records: commune.counts.total, requests: commune.report.requests, bytes: commune.bytes };
    const reg = await firstSync('bench-region', sgarEmail);
    figures.first_sync_region_s = +(reg.ms / 1000).toFixed(3);
    figures.first_sync_region_requests_per_1000 = +(reg.report.requests / ((reg.counts.total ?? 1) / 1000)).toFixed(2);
    figures.first_sync_region_bytes = reg.bytes;
    notes.region = {
      region: region[0]!.region,
      records: reg.counts.total,
      requests: reg.report.requests,
      networkMs: Math.round(reg.report.networkMs),
      applyMs: Math.round(reg.report.applyMs),
    };

    // (b) the whole national data into IndexedDB (DAECT scope, through the same sync path).
    // BENCH_PROFILE=1: a CPU profile of the page during the national import (bench/results/client-national.cpuprofile).
    const profile = process.env.BENCH_PROFILE === '1';
    if (profile) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
    }
    // Chromium's processes are this process's only children.
    const cpu0 = { browser: childrenCpuMs(process.pid), server: nodeCpuMs() };
    const nat = await firstSync('bench-national', daectEmail);
    const cpu1 = { browser: childrenCpuMs(process.pid), server: nodeCpuMs() };
    if (profile) {
      const { profile: prof } = await cdp.send('Profiler.stop');
      fs.mkdirSync(path.join(ROOT, 'results'), { recursive: true });
      fs.writeFileSync(path.join(ROOT, 'results', 'client-national.cpuprofile'), JSON.stringify(prof));
    }
    figures.import_national_s = +(nat.ms / 1000).toFixed(3);
    // The same packs written again by bare IndexedDB: the part of the import no sync code can remove.
    const floor = (await page.evaluate(() => window.atlasBench.idbFloor())) as { ms: number; rows: number };
    figures.import_national_idb_floor_s = +(floor.ms / 1000).toFixed(3);
    notes.national = {
      records: nat.counts.total,
      packs: nat.counts.packs,
      requests: nat.report.requests,
      bytes: nat.bytes,
      networkMs: Math.round(nat.report.networkMs),
      applyMs: Math.round(nat.report.applyMs),
      // CPU used during the import by Chromium (all its processes: page, IndexedDB, network) and by this
      // process (the server and the harness).
      chromiumCpuMs: cpuDelta(cpu0.browser, cpu1.browser),
      serverCpuMs: Math.round(cpu1.server - cpu0.server),
    };

    // (d) a one-field edit cycle and a no-op cycle, as the commune's agent with an up-to-date copy.
    await firstSync('bench-edit', agentEmail);
    await page.evaluate(() => window.atlasBench.editOneField());
    meter.reset();
    const edit = (await page.evaluate(() => window.atlasBench.sync())) as SyncOut;
    figures.edit_cycle_request_bytes = edit.report.requestBytes[0]!;
    figures.edit_cycle_response_bytes = meter.responseBytes;
    meter.reset();
    const noop = (await page.evaluate(() => window.atlasBench.sync())) as SyncOut;
    figures.noop_cycle_request_bytes = noop.report.requestBytes[0]!;
    notes.noop_cycle_response_bytes = meter.responseBytes;

    // (c) 1,000 pulled changes applied with 50 pending local edits (on the région copy, which has the fiches).
    await firstSync('bench-apply', daectEmail);
    const apply = (await page.evaluate(() => window.atlasBench.applyPulled(1000, 50))) as {
      ms: number;
      keptPending: number;
      outbox: number;
    };
    if (apply.keptPending !== 50) throw new Error(`pending edits overwritten: ${apply.keptPending}/50 kept`);
    figures.apply_1000_changes_ms = Math.round(apply.ms);
    notes.apply = apply;

    // (e) checking a copy against the server's digest (région copy): a matching check, then one damaged bucket repaired.
    await firstSync('bench-digest', sgarEmail);
    type Check = {
      digestMs: number;
      records: number;
      ms: number;
      report: SyncOut['report'] & { checked: string | null; repaired: number };
      intact: boolean;
    };
    meter.reset();
    const match = (await page.evaluate(() => window.atlasBench.digestCheck(0))) as Check;
    if (match.report.checked !== 'match')
      throw new Error(`the région copy does not match the server: ${JSON.stringify(match.report)}`);
    figures.digest_check_request_bytes = match.report.requestBytes[0]! - figures.noop_cycle_request_bytes!;
    notes.digest_check = {
      records: match.records,
      deviceDigestMs: Math.round(match.digestMs),
      cycleMs: Math.round(match.ms),
      requestBytes: match.report.requestBytes[0],
      responseBytes: meter.responseBytes,
    };
    const repair = (await page.evaluate(() => window.atlasBench.digestCheck(1))) as Check;
    if (repair.report.checked !== 'repaired' || !repair.intact)
      throw new Error(`one damaged bucket was not repaired: ${JSON.stringify(repair.report)}`);
    figures.digest_repair_bucket_ms = Math.round(repair.ms);
    notes.digest_repair = {
      repaired: repair.report.repaired,
      requests: repair.report.requests,
      requestBytes: repair.report.requestBytes,
    };
    await context.close();
  } finally {
    await browser.close();
    await handle.close();
  }
  const goals = {
    first_sync_region_s: figures.first_sync_region_s! <= 5,
    first_sync_region_requests_per_1000: figures.first_sync_region_requests_per_1000! <= 3,
    import_national_s: figures.import_national_s! <= 10,
    apply_1000_changes_ms: figures.apply_1000_changes_ms! <= 1000,
    edit_cycle_request_bytes: figures.edit_cycle_request_bytes! <= 400,
    edit_cycle_response_bytes: figures.edit_cycle_response_bytes! <= 400,
    noop_cycle_request_bytes: figures.noop_cycle_request_bytes! <= 400,
  };
  reportRun('client', t0, { figures, goals, notes });
}

main().catch((e) => {
  console.error('bench:client failed:', e);
  process.exit(1);
});
