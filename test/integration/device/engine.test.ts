// The engine against the real server (in-process, PGlite): every guarantee of docs/sync.md that
// the device carries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordStatus } from '../../../src-renderer/db/hooks';
import { clockWarningFor } from '../../../src-renderer/sync/engine';
import { PendingChangesError } from '../../../src-renderer/sync/pendingChangesError';
import { collectiviteId } from '../../../src-shared/sync/ids';
import { contactFields } from '../../unit/renderer/fixtures';
import { loginDevice, makeDevice, startAgentServer, syncOk, type Device, type LocalServer } from '../helpers/devices';

const CODE = 'commune:35238';
const COLL = collectiviteId(CODE);
let server: LocalServer;
let user: { email: string; password: string };

beforeAll(async () => {
  ({ server, user } = await startAgentServer(CODE));
});
afterAll(async () => {
  await server?.close();
});

const loggedIn = (): Promise<Device> => loginDevice(server, user);

describe('sync engine against the real server', () => {
  it('logs in once, registers an Ed25519 device key, and pulls its scope', async () => {
    const d = await loggedIn();
    const key = await d.session.deviceKey();
    expect(Buffer.from(key.publicKey, 'base64')).toHaveLength(32);
    const r = await syncOk(d);
    expect(r.requests).toBe(1);
    expect(await d.repo.get('collectivite', COLL)).toMatchObject({ code: CODE });
    expect(await recordStatus('collectivite', COLL, d.db)).toBe('synced');
  });

  it('an offline edit is pending until the server acknowledges it, in one request', async () => {
    const a = await loggedIn();
    await syncOk(a);
    const c = await a.repo.create('contact', contactFields({ nom: 'Hors-ligne' }));
    expect(await recordStatus('contact', c.id, a.db)).toBe('pending');
    const r = await syncOk(a);
    expect(r.requests).toBe(1);
    expect(r.acknowledged).toBe(1);
    expect(await recordStatus('contact', c.id, a.db)).toBe('synced');
    expect(await a.db.outbox.count()).toBe(0);
    const b = await loggedIn();
    await syncOk(b);
    expect(await b.repo.get('contact', c.id)).toMatchObject({ nom: 'Hors-ligne' });
  });

  it('different fields edited on two devices merge silently; the same field becomes a conflict with both values', async () => {
    const a = await loggedIn();
    const b = await loggedIn();
    await syncOk(a);
    const c = await a.repo.create('contact', contactFields({ nom: 'Base' }));
    await syncOk(a);
    await syncOk(b);
    await a.repo.update('contact', c.id, { fonction: 'Adjointe' });
    await b.repo.update('contact', c.id, { telephone: '02 99 00 00 00' });
    await syncOk(a);
    await syncOk(b);
    await syncOk(a);
    for (const d of [a, b])
      expect(await d.repo.get('contact', c.id)).toMatchObject({ fonction: 'Adjointe', telephone: '02 99 00 00 00' });

    await a.repo.update('contact', c.id, { nom: 'Version A' });
    await b.repo.update('contact', c.id, { nom: 'Version B' });
    await syncOk(a);
    const rb = await syncOk(b);
    expect(rb.conflicts).toBe(1);
    expect(await recordStatus('contact', c.id, b.db)).toBe('conflict');
    const [conflict] = await b.db.conflicts.toArray();
    expect(conflict).toMatchObject({
      field: 'nom',
      serverValue: 'Version A',
      proposedValue: 'Version B',
      resolved: false,
    });
    expect((await b.repo.get('contact', c.id))!.nom).toBe('Version A');
    // Resolved on B: it syncs like any change, and A sees the outcome.
    await b.repo.resolveConflict(conflict!.id, 'Version B');
    await syncOk(b);
    expect(await b.db.conflicts.count()).toBe(0);
    expect(await recordStatus('contact', c.id, b.db)).toBe('synced');
    await syncOk(a);
    expect((await a.repo.get('contact', c.id))!.nom).toBe('Version B');
    expect(await a.db.conflicts.filter((x) => !x.resolved).count()).toBe(0);
  });

  it('a response lost on the way back: the retry sends the same change and it is applied once', async () => {
    const a = await loggedIn();
    await syncOk(a);
    const c = await a.repo.create('contact', contactFields({ nom: 'Une fois' }));
    a.wire.loseResponses = 1;
    const lost = await a.engine.syncNow();
    expect(lost.ok).toBe(false);
    expect(!lost.ok && lost.error.kind).toBe('network');
    expect(await recordStatus('contact', c.id, a.db)).toBe('pending');
    await a.repo.update('contact', c.id, { fonction: 'Adjointe' });
    await syncOk(a);
    expect(await a.db.outbox.count()).toBe(0);
    const b = await loggedIn();
    await syncOk(b);
    const list = await b.repo.list('contact', (x) => x.nom === 'Une fois');
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ fonction: 'Adjointe' });
  });

  it('a captive portal (HTML), a malformed body and a response outside the protocol stop the cycle in French and lose nothing', async () => {
    const a = await loggedIn();
    await syncOk(a);
    const c = await a.repo.create('contact', contactFields({ nom: 'Portail' }));
    a.wire.fake = async () =>
      new Response('<html><body>Connectez-vous au Wi-Fi de la mairie</body></html>', {
        status: 200,
        headers: { 'content-type': 'text/html' },
      });
    let out = await a.engine.syncNow();
    expect(!out.ok && out.error.kind).toBe('not_json');
    expect(a.engine.getStatus().lastError).toMatch(/page web/);
    expect(a.engine.getStatus().nextRetryAt).not.toBeNull();
    a.wire.fake = async () =>
      new Response('{"v":1,"results":[', { status: 200, headers: { 'content-type': 'application/json' } });
    out = await a.engine.syncNow();
    expect(!out.ok && out.error.kind).toBe('invalid_response');
    a.wire.fake = async () =>
      new Response(JSON.stringify({ v: 1, results: 'non' }), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    out = await a.engine.syncNow();
    expect(!out.ok && out.error.kind).toBe('invalid_response');
    expect(a.engine.getStatus().lastError).toMatch(/illisible/);
    expect(await a.db.outbox.count()).toBe(1);
    expect(await a.repo.get('contact', c.id)).toBeDefined();
    await syncOk(a);
    expect(await recordStatus('contact', c.id, a.db)).toBe('synced');
    expect(a.engine.getStatus().lastError).toBeNull();
  });

  it('reads a newer server: fields it does not know, at every level of the answers, do not stop login, refresh, probe or sync', async () => {
    const later =
      (extra: (body: Record<string, unknown>) => Record<string, unknown>) => async (real: () => Promise<Response>) => {
        const res = await real();
        const body = (await res.json()) as Record<string, unknown>;
        return new Response(JSON.stringify(extra(body)), {
          status: res.status,
          headers: { 'content-type': 'application/json' },
        });
      };
    const a = makeDevice(server.url);
    a.wire.fake = later((b) => ({ ...b, mfaRequired: false, user: { ...(b.user as object), telephone: null } }));
    await a.session.login({ serverUrl: server.url, email: user.email, password: user.password });
    await syncOk(a);
    const b = await loggedIn();
    await syncOk(b);
    const c = await b.repo.create('contact', contactFields({ nom: 'Version' }));
    await syncOk(b);
    await b.repo.update('contact', c.id, { fonction: 'Maire adjoint' });
    // a's copy has the contact only after its next pull: it arrives with fields this version does not know.
    a.wire.fake = later((r) => ({
      ...r,
      serverRegion: 'fr-ouest',
      changes: (r.changes as Record<string, unknown>[]).map((x) => ({
        ...x,
        origin: 'serveur',
        fields: x.fields ? { ...(x.fields as object), nouveauChamp: 'x' } : x.fields,
      })),
    }));
    await syncOk(a);
    expect(await a.repo.get('contact', c.id)).toMatchObject({ nom: 'Version' });
    expect(await a.repo.get('contact', c.id)).not.toHaveProperty('nouveauChamp');
    // A conflict and a change result with keys a newer server adds.
    await a.repo.update('contact', c.id, { fonction: 'Première adjointe' });
    await syncOk(b);
    a.wire.fake = later((r) => ({
      ...r,
      results: (r.results as Record<string, unknown>[]).map((x) => ({ ...x, appliedAt: '2027-01-01T00:00:00Z' })),
      conflicts: (r.conflicts as Record<string, unknown>[]).map((x) => ({ ...x, severity: 'low' })),
    }));
    const report = await syncOk(a);
    expect(report.conflicts).toBe(1);
    expect(await a.db.conflicts.count()).toBe(1);
    // The refresh of an expired access token, and the probe of a server that came back.
    a.session.dropAccessToken();
    a.wire.fake = later((r) => ({ ...r, refreshExpiresIn: 2_592_000 }));
    await syncOk(a);
    a.wire.fake = later((r) => ({ ...r, uptime: 12 }));
    expect(await a.engine.probeThenSync()).toBe(true);
    expect(a.engine.getStatus().lastError).toBeNull();
  });

  it('a clock years off is reported, never used: the sync still works', async () => {
    expect(clockWarningFor('2020-01-01T00:00:00Z', Date.parse('2026-01-01T00:00:00Z'))).toMatch(
      /avance d’environ 6 ans/,
    );
    expect(clockWarningFor(new Date().toISOString())).toBeNull();
    const a = await loggedIn();
    a.wire.fake = async (real) => {
      const res = await real();
      const body = (await res.json()) as Record<string, unknown>;
      return new Response(JSON.stringify({ ...body, serverTime: '2019-06-01T00:00:00.000Z' }), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    };
    await syncOk(a);
    expect(a.engine.getStatus().clockWarning).toMatch(/horloge/);
  });

  it('an expired access token is refreshed transparently', async () => {
    const a = await loggedIn();
    a.wire.fake = async () =>
      new Response(JSON.stringify({ code: 'TOKEN_EXPIRED', message: 'Session expirée.' }), {
        status: 401,
        headers: { 'content-type': 'application/json' },
      });
    const r = await syncOk(a);
    expect(r.requests).toBe(1);
    // After a restart the access token is gone: the refresh token in secret storage brings it back.
    a.session.dropAccessToken();
    await syncOk(a);
  });

  it('a revoked session asks for a new login and keeps every local record and pending change', async () => {
    const a = await loggedIn();
    await syncOk(a);
    const stolen = await a.session.host.secrets.get('refreshToken');
    a.session.dropAccessToken();
    await a.session.refresh(); // rotates: `stolen` is now a used token
    a.session.dropAccessToken();
    await a.session.refresh(); // and its successor too: a replay of `stolen` is reuse even within the server's grace period
    const c = await a.repo.create('contact', contactFields({ nom: 'Gardé' }));
    // Someone replays the old token: the server revokes the whole family.
    await fetch(`${server.url}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: stolen }),
    });
    a.session.dropAccessToken();
    const out = await a.engine.syncNow();
    expect(!out.ok && out.error.kind).toBe('session');
    expect(a.engine.getStatus().sessionExpired).toBe(true);
    expect(a.engine.getStatus().lastError).toMatch(/reconnectez-vous/);
    expect((await a.session.current())!.status).toBe('expired');
    expect(await a.db.outbox.count()).toBe(1);
    expect(await a.repo.get('contact', c.id)).toBeDefined();
    await a.session.login({ serverUrl: server.url, email: user.email, password: user.password });
    await syncOk(a);
    expect(await recordStatus('contact', c.id, a.db)).toBe('synced');
  });

  it('logout with pending changes refuses unless they are explicitly discarded', async () => {
    const a = await loggedIn();
    await syncOk(a);
    await a.repo.create('contact', contactFields({ nom: 'En attente' }));
    await expect(a.session.logout()).rejects.toBeInstanceOf(PendingChangesError);
    expect(await a.db.outbox.count()).toBe(1);
    const seq = (await a.db.syncState.get('deviceSeq'))?.value;
    await a.session.logout({ discardPending: true });
    expect(await a.db.outbox.count()).toBe(0);
    expect(await a.session.current()).toBeNull();
    expect((await a.db.syncState.get('deviceSeq'))?.value).toBe(seq);
  });

  it('a large push is gzip-compressed and a large pull is paged, with progress', async () => {
    const a = await loggedIn();
    await syncOk(a);
    for (let i = 0; i < 30; i++)
      await a.repo.create(
        'contact',
        contactFields({ nom: `Nom ${i}`, fonction: 'Conseillère municipale déléguée à la coopération' }),
      );
    const raw = JSON.stringify((await a.db.outbox.toArray()).map((e) => e.op === 'create' && e.values)).length;
    expect(raw).toBeGreaterThan(5_000);
    const r = await syncOk(a);
    expect(r.acknowledged).toBe(30);
    expect(await a.db.outbox.count()).toBe(0);
    // The body went gzip-compressed: far below the raw JSON of its values alone.
    expect(r.requestBytes[0]).toBeLessThan(raw / 2);
    const b = makeDevice(server.url, { pullLimit: 10, catchUpLimit: 10 });
    await b.session.login({ serverUrl: server.url, email: user.email, password: user.password });
    const rb = await syncOk(b);
    expect(rb.requests).toBeGreaterThanOrEqual(3);
    expect(b.engine.getStatus().progress!.pages).toBe(rb.requests);
    expect(await b.repo.list('contact', (x) => String(x.nom).startsWith('Nom '))).toHaveLength(30);
  });

  it('a network failure backs off exponentially with jitter and says why', async () => {
    const a = await loggedIn();
    // Not started: start() probes first, which would take one of the dropped requests.
    try {
      a.wire.dropRequests = 2;
      const first = await a.engine.syncNow();
      expect(!first.ok && first.error.kind).toBe('network');
      const s1 = a.engine.getStatus();
      expect(s1.online).toBe(false);
      expect(s1.lastError).toMatch(/injoignable/);
      const d1 = Date.parse(s1.nextRetryAt!) - Date.now();
      const second = await a.engine.syncNow();
      expect(second.ok).toBe(false);
      const d2 = Date.parse(a.engine.getStatus().nextRetryAt!) - Date.now();
      expect(d1).toBeGreaterThan(1_000);
      expect(d2).toBeGreaterThan(d1 * 1.5);
    } finally {
      a.engine.stop();
    }
  });

  it('runs by itself: at start, shortly after an edit, and when the network comes back (online event + probe)', async () => {
    const d = makeDevice(server.url, { debounceMs: 50, periodMs: 3_600_000, backoffBaseMs: 60_000 });
    await d.session.login({ serverUrl: server.url, email: user.email, password: user.password });
    const win = new EventTarget();
    (globalThis as { window?: unknown }).window = win;
    const until = async (cond: () => Promise<boolean>) => {
      for (let i = 0; i < 200 && !(await cond()); i++) await new Promise((r) => setTimeout(r, 25));
      expect(await cond()).toBe(true);
    };
    try {
      d.engine.start();
      // At start: the scope arrives without anyone asking.
      await until(async () => (await d.repo.get('collectivite', COLL)) !== undefined);
      // Shortly after an edit.
      const c = await d.repo.create('contact', contactFields({ nom: 'Automatique' }));
      await until(async () => (await recordStatus('contact', c.id, d.db)) === 'synced');
      // Network down: the next edit fails to go and the engine backs off (a minute here)…
      d.wire.dropRequests = 1000;
      await d.repo.update('contact', c.id, { fonction: 'Adjointe' });
      await until(async () => d.engine.getStatus().nextRetryAt !== null);
      expect(d.engine.getStatus().online).toBe(false);
      // …until the browser says the network is back: a light probe, then the cycle, without waiting.
      d.wire.dropRequests = 0;
      win.dispatchEvent(new Event('online'));
      await until(async () => (await recordStatus('contact', c.id, d.db)) === 'synced');
      // The record is synced when the response is stored; the cycle's status is settled just after.
      await until(async () => !d.engine.getStatus().syncing);
      expect(d.engine.getStatus()).toMatchObject({ online: true, lastError: null, nextRetryAt: null });
    } finally {
      d.engine.stop();
      delete (globalThis as { window?: unknown }).window;
    }
  });
});
