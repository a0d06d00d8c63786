// Issue 11 item 4: a dead link (packets swallowed, nothing refused) must not hang the sync engine.
// The backoff schedule, the request timeouts against real sockets that stall, and the engine's
// probe-and-retry loop against the real server.
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { requestJson, SyncError } from '../../../src-renderer/api/http';
import { BACKOFF_MAX_MS, backoffDelay, retryLabel } from '../../../src-renderer/sync/reachability';
import { makeDevice, startLocalServer, type LocalServer } from '../helpers/devices';

const nodeFetch = (u: string, i: RequestInit) => fetch(u, i);

describe('backoff schedule', () => {
  it('doubles from 2 s and is capped at 30 s, with equal jitter (between half and all of the step)', () => {
    const low = Array.from({ length: 10 }, (_, i) => backoffDelay(i + 1, { random: () => 0 }));
    const high = Array.from({ length: 10 }, (_, i) => backoffDelay(i + 1, { random: () => 1 }));
    expect(high).toEqual([2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000, 30_000, 30_000, 30_000]);
    expect(low).toEqual(high.map((h) => h / 2));
    expect(BACKOFF_MAX_MS).toBe(30_000);
    // However long the outage, never more than the cap: the server's return is noticed within 30 s.
    for (const failures of [50, 1_000, Number.MAX_SAFE_INTEGER]) {
      const d = backoffDelay(failures, { random: Math.random });
      expect(d).toBeGreaterThanOrEqual(15_000);
      expect(d).toBeLessThanOrEqual(30_000);
    }
  });

  it('says when the next attempt is, in French, and "imminente" once due', () => {
    const now = Date.parse('2026-12-02T10:00:00Z');
    expect(retryLabel(null, now)).toBeNull();
    expect(retryLabel('2026-12-02T10:00:12Z', now)).toBe('Nouvelle tentative dans 12\u00a0s');
    expect(retryLabel('2026-12-02T10:01:05Z', now)).toBe('Nouvelle tentative dans 1\u00a0min\u00a005\u00a0s');
    expect(retryLabel('2026-12-02T09:59:59Z', now)).toBe('Nouvelle tentative imminente');
  });
});

describe('request timeouts on real sockets', () => {
  const sockets = new Set<net.Socket>();
  let blackHole: net.Server;
  let blackHoleUrl = '';
  let slow: http.Server;
  let slowUrl = '';

  beforeAll(async () => {
    // Accepts connections and never answers: a captive portal or a dead 4G link, as seen by TCP.
    blackHole = net.createServer((s) => {
      sockets.add(s);
      s.on('error', () => undefined);
    });
    await new Promise<void>((r) => blackHole.listen(0, '127.0.0.1', r));
    blackHoleUrl = `http://127.0.0.1:${(blackHole.address() as net.AddressInfo).port}`;
    // /stall: headers and half a body, then silence. /trickle: a body sent piece by piece for 1.2 s.
    slow = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url === '/stall') {
        res.write('{"ok":');
        return;
      }
      const parts = ['{"ok"', ':', 't', 'r', 'u', 'e', '', '}'];
      let i = 0;
      const t = setInterval(() => {
        res.write(parts[i++]!);
        if (i === parts.length) {
          clearInterval(t);
          res.end();
        }
      }, 150);
    });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    slowUrl = `http://127.0.0.1:${(slow.address() as net.AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    slow.closeAllConnections();
    await Promise.all([new Promise((r) => blackHole.close(r)), new Promise((r) => slow.close(r))]);
  });

  const shape = z.object({ ok: z.boolean() });
  const failure = async (p: Promise<unknown>) => {
    const e = await p.then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(SyncError);
    return e as SyncError;
  };

  it('a server that never answers fails as a network timeout, in French, once the wait for headers is over', async () => {
    const t = Date.now();
    const e = await failure(requestJson(nodeFetch, `${blackHoleUrl}/api/health`, shape, { timeoutMs: 400 }));
    expect(e.kind).toBe('network');
    expect(e.message).toMatch(/trop de temps/);
    expect(Date.now() - t).toBeLessThan(5_000);
  });

  it('a body that stops arriving fails after the inactivity limit', async () => {
    const e = await failure(
      requestJson(nodeFetch, `${slowUrl}/stall`, shape, { timeoutMs: 2_000, idleTimeoutMs: 300 }),
    );
    expect(e.kind).toBe('network');
    expect(e.message).toMatch(/trop de temps/);
  });

  it('a slow body is not cut while bytes keep coming, even past both limits in total', async () => {
    const t = Date.now();
    const r = await requestJson(nodeFetch, `${slowUrl}/trickle`, shape, { timeoutMs: 600, idleTimeoutMs: 600 });
    expect(r).toEqual({ ok: true });
    expect(Date.now() - t).toBeGreaterThan(1_000);
  });
});

describe('sync engine on a dead link (real server)', () => {
  let server: LocalServer;
  let user: Awaited<ReturnType<LocalServer['createUser']>>;
  beforeAll(async () => {
    server = await startLocalServer();
    user = await server.createUser({ role: 'agent', collectiviteCode: 'commune:35238' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('a failed probe schedules the next one with the backoff; the button tries at once and syncs when the server answers', async () => {
    const d = makeDevice(server.url, { periodMs: 3_600_000, backoffBaseMs: 60_000 });
    await d.session.login({ serverUrl: server.url, email: user.email, password: user.password });
    const until = async (cond: () => boolean | Promise<boolean>) => {
      for (let i = 0; i < 400 && !(await cond()); i++) await new Promise((r) => setTimeout(r, 25));
      expect(await cond()).toBe(true);
    };
    d.wire.dropRequests = 1_000;
    d.engine.start();
    try {
      // At start, a probe (not a sync request) finds the server unreachable: offline, next attempt scheduled.
      await until(() => d.engine.getStatus().nextRetryAt !== null);
      const s1 = d.engine.getStatus();
      expect(s1).toMatchObject({ online: false, syncing: false });
      expect(s1.lastError).toMatch(/injoignable/);
      const wait1 = Date.parse(s1.nextRetryAt!) - Date.now();
      expect(wait1).toBeGreaterThan(20_000); // backoffBaseMs 60 s, jitter 0.5 → 45 s
      // "Synchroniser maintenant" during the backoff: an attempt right away (not in 45 s), still offline.
      const before = d.wire.requests;
      await d.engine.retryNow();
      expect(d.wire.requests).toBe(before + 1);
      expect(d.engine.getStatus().online).toBe(false);
      expect(d.engine.getStatus().nextRetryAt).not.toBeNull();
      // The server is reachable again: the button syncs now.
      d.wire.dropRequests = 0;
      await d.engine.retryNow();
      await until(() => !d.engine.getStatus().syncing && d.engine.getStatus().online);
      expect(d.engine.getStatus()).toMatchObject({ online: true, lastError: null, nextRetryAt: null });
      expect(await d.db.syncState.get('lastSyncAt')).toBeDefined();
    } finally {
      d.engine.stop();
    }
  });
});
