// The link proxy of the chaos suite, the kill test and bench:link does what it claims: latency each
// way, a bandwidth limit, cuts at a byte offset, stalls and refusals; seeded draws replay.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLEAN_LINK, LinkProxy, slowLink } from '../support/link-proxy';

let upstream: net.Server;
let port = 0;
const PAYLOAD = Buffer.alloc(20_000, 'x');

// Answers each line it receives with PAYLOAD.
beforeAll(async () => {
  upstream = net.createServer((s) => {
    s.on('data', () => s.write(PAYLOAD));
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  port = (upstream.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((r) => upstream.close(() => r()));
});

/** Sends one line through the proxy; resolves with the bytes received, when they came, and how it ended. */
function exchange(
  proxy: LinkProxy,
  want = PAYLOAD.length,
): Promise<{ bytes: number; firstMs: number | null; ms: number; ended: 'complete' | 'closed' | 'error' }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let bytes = 0;
    let firstMs: number | null = null;
    let done = false;
    const finish = (ended: 'complete' | 'closed' | 'error') => {
      if (done) return;
      done = true;
      c.destroy();
      resolve({ bytes, firstMs, ms: performance.now() - t0, ended });
    };
    const c = net.connect({ port: proxy.port, host: '127.0.0.1' }, () => c.write('bonjour\n'));
    c.on('data', (b: Buffer) => {
      firstMs ??= performance.now() - t0;
      bytes += b.length;
      if (bytes >= want) finish('complete');
    });
    c.on('error', () => finish('error'));
    c.on('close', () => finish('closed'));
  });
}

describe('link proxy', () => {
  it('adds the round trip and paces a download to the bandwidth', async () => {
    // 160 kbit/s = 20,000 bytes/s with a 1,500-byte burst: 20,000 bytes take about 0.9 s or more.
    const proxy = await LinkProxy.start({ target: { port }, behaviour: slowLink(160, 400) });
    try {
      const r = await exchange(proxy);
      expect(r.ended).toBe('complete');
      expect(r.firstMs!).toBeGreaterThanOrEqual(390);
      expect(r.ms).toBeGreaterThanOrEqual(400 + 900);
      expect(proxy.stats.bytesDown).toBe(PAYLOAD.length);
    } finally {
      await proxy.close();
    }
  });

  it('cuts a connection at a drawn byte offset, and the same seed cuts at the same offset', async () => {
    const behaviour = { ...CLEAN_LINK, down: { ...CLEAN_LINK.down, cutProbability: 1, cutWithinBytes: 5_000 } };
    const got: number[] = [];
    for (let i = 0; i < 2; i++) {
      const proxy = await LinkProxy.start({ target: { port }, behaviour, seed: 42 });
      try {
        const r = await exchange(proxy);
        expect(r.ended).not.toBe('complete');
        expect(r.bytes).toBeLessThan(5_000);
        expect(proxy.stats.cuts).toBe(1);
        got.push(r.bytes);
      } finally {
        await proxy.close();
      }
    }
    expect(got[0]).toBe(got[1]);
  });

  it('stalls (accepts, forwards nothing, drops later) and refuses', async () => {
    const proxy = await LinkProxy.start({
      target: { port },
      behaviour: { ...CLEAN_LINK, stallProbability: 1, stallMs: 300 },
    });
    try {
      const r = await exchange(proxy);
      expect(r).toMatchObject({ bytes: 0, ended: 'closed' });
      expect(r.ms).toBeGreaterThanOrEqual(290);
      expect(proxy.stats.stalls).toBe(1);
      proxy.set({ stallProbability: 0, refuse: true });
      const refused = await exchange(proxy);
      expect(refused.bytes).toBe(0);
      expect(proxy.stats.refused).toBe(1);
      proxy.set({ refuse: false });
      expect((await exchange(proxy)).ended).toBe('complete');
    } finally {
      await proxy.close();
    }
  });
});
