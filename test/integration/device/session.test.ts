// The device's session against the real server: a refresh whose answer is lost does not end the
// session (the device retries the same token; the server answers it with the same pair), and a
// disabled account keeps every local record and pending change and says why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectiviteId } from '../../../src-shared/sync/ids';
import { contactFields } from '../../unit/renderer/fixtures';
import { loginDevice, makeDevice, startAgentServer, syncOk, type Device, type LocalServer } from '../helpers/devices';

const CODE = 'commune:35238';
const COLL = collectiviteId(CODE);
let server: LocalServer;
let user: { id: string; email: string; password: string };

beforeAll(async () => {
  ({ server, user } = await startAgentServer(CODE));
});
afterAll(async () => {
  await server?.close();
});

async function loggedIn(): Promise<Device> {
  const d = await loginDevice(server, user);
  await syncOk(d);
  return d;
}

describe('device session', () => {
  it('a refresh whose answer is lost after the server rotated the token does not end the session', async () => {
    const d = await loggedIn();
    const c = await d.repo.create('contact', contactFields({ collectiviteId: COLL, nom: 'Réponse-perdue' }));
    d.session.dropAccessToken(); // as after a restart: the next request needs a refresh
    const requestsBefore = d.wire.requests;
    const tokensBefore = await server.internals.db.query('SELECT 1 FROM refresh_tokens WHERE user_id = $1', [user.id]);
    // The refresh reaches the server (which rotates the token), then its answer is lost.
    d.wire.fake = async (real) => {
      const res = await real();
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      throw new TypeError('network connection lost');
    };
    const out = await d.engine.syncNow();
    expect(out.ok).toBe(true);
    expect(d.wire.requests - requestsBefore).toBe(3); // the lost refresh, the same one again, the sync
    // One rotation on the server: the second refresh was answered with the pair of the first.
    expect(await server.internals.db.query('SELECT 1 FROM refresh_tokens WHERE user_id = $1', [user.id])).toHaveLength(
      tokensBefore.length + 1,
    );
    expect((await d.session.current())?.status).toBe('active');
    expect(await d.db.outbox.count()).toBe(0);
    expect((await server.internals.db.query('SELECT nom FROM contact WHERE id = $1', [c.id]))[0]).toMatchObject({
      nom: 'Réponse-perdue',
    });
    // The pair it got is the live one: the next rotation works.
    d.session.dropAccessToken();
    expect((await d.engine.syncNow()).ok).toBe(true);
  });

  it('a disabled account keeps its local data and pending changes and says why', async () => {
    const agent = await server.createUser({ role: 'agent', collectiviteCode: CODE });
    const d = makeDevice(server.url);
    await d.session.login({ serverUrl: server.url, email: agent.email, password: agent.password });
    expect((await d.engine.syncNow()).ok).toBe(true);
    const kept = await d.repo.create('contact', contactFields({ collectiviteId: COLL, nom: 'Gardé' }));
    expect((await d.engine.syncNow()).ok).toBe(true);
    const pending = await d.repo.create('contact', contactFields({ collectiviteId: COLL, nom: 'En-attente' }));
    await server.internals.auth.disable(
      { userId: null, deviceId: null, role: 'cli', region: null, label: 'test' },
      agent.id,
      'Départ de la collectivité',
    );
    const out = await d.engine.syncNow();
    expect(out.ok).toBe(false);
    const s = await d.session.current();
    expect(s?.status).toBe('expired');
    expect(s?.ended?.code).toBe('ACCOUNT_DISABLED');
    expect(s?.ended?.message).toMatch(
      /Votre compte a été désactivé \(motif : Départ de la collectivité\)\. Vos données et vos modifications restent sur ce poste/,
    );
    expect(await d.repo.get('contact', kept.id)).toMatchObject({ nom: 'Gardé' });
    expect(await d.repo.get('contact', pending.id)).toMatchObject({ nom: 'En-attente' });
    expect(await d.db.outbox.count()).toBe(1);
  });
});
