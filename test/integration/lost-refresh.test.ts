// Found by the chaos suite (issue 11, item 3): a device reopened after being killed refreshes its
// session first; when the link cuts the refresh answer after the server rotated the token, the retry
// counts as token reuse and the session ends (`SESSION_REVOKED`). On a poor link a lost answer must
// not log the agent out: after the link is back, the device syncs without a new login.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/testServer';
import { ChaosDevice, ResultLog } from '../support/chaos-device';
import { CLEAN_LINK, LinkProxy } from '../support/link-proxy';

let server: TestServer;
let proxy: LinkProxy;

beforeAll(async () => {
  server = await startTestServer({ seed: 'none' });
  proxy = await LinkProxy.start({ target: { port: Number(new URL(server.url).port) } });
}, 120_000);
afterAll(async () => {
  await proxy?.close();
  await server?.close();
});

describe('a refresh answer lost on the link', () => {
  it('does not end the session: once the link is back, the device syncs without logging in again', async () => {
    const user = await server.createUser({ role: 'agent', collectiviteCode: 'commune:35238' });
    const d = new ChaosDevice(proxy.url, user, 'agent', new ResultLog());
    await d.login();
    expect((await d.engine.syncNow()).ok).toBe(true);
    // The app is killed and reopened: no access token in memory, its next cycle refreshes first.
    d.kill();
    // Every answer is cut after a few bytes: the refresh reaches the server, its answer never arrives.
    proxy.set({ down: { ...CLEAN_LINK.down, cutProbability: 1, cutWithinBytes: 100 } });
    proxy.cutAll();
    const cut = await d.engine.syncNow();
    expect(cut.ok).toBe(false);
    expect(proxy.stats.cuts).toBeGreaterThan(0);
    proxy.set({ down: CLEAN_LINK.down });
    const back = await d.engine.syncNow();
    expect(back.ok ? 'ok' : `${back.error.kind}: ${back.error.message}`).toBe('ok');
  }, 60_000);
});
