// How the server serves the web app (issue 11): hashed files cached for a year, the page and the
// service worker revalidated on each load (a new version reaches browsers), and the build's brotli
// copies served as they are.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/testServer';

let server: TestServer;
let dir: string;
const script = `export const atlas = ${JSON.stringify('x'.repeat(4_000))};\n`;
// A marker only the build's copy has: the server must send this file, not compress on the fly.
const prebuilt = brotliCompressSync(Buffer.from(script));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-app-'));
  mkdirSync(join(dir, 'assets'));
  mkdirSync(join(dir, 'dsfr'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Atlas</title>');
  writeFileSync(join(dir, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  writeFileSync(join(dir, 'sw-manifest.json'), '{"shell":[],"all":[]}');
  writeFileSync(join(dir, 'assets', 'index-AbC123.js'), script);
  writeFileSync(join(dir, 'assets', 'index-AbC123.js.br'), prebuilt);
  writeFileSync(join(dir, 'assets', 'index-AbC123.js.gz'), gzipSync(script));
  writeFileSync(join(dir, 'dsfr', 'atlas-connexion.css'), 'body{margin:0}');
  server = await startTestServer({ serveApp: true, env: { CNCD_APP_DIR: dir } });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${server.url}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      })
      .on('error', reject);
  });
}

describe('the web app as served', () => {
  it('revalidates the page, the service worker and its manifest on each load', async () => {
    for (const path of ['/', '/index.html', '/sw.js', '/sw-manifest.json']) {
      const r = await get(path, { 'accept-encoding': 'br' });
      expect(r.status, path).toBe(200);
      expect(r.headers['cache-control'], path).toBe('no-cache');
    }
  });

  it('serves hashed files immutable for a year, as the build compressed them', async () => {
    const br = await get('/assets/index-AbC123.js', { 'accept-encoding': 'br, gzip' });
    expect(br.status).toBe(200);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.body.equals(prebuilt)).toBe(true);
    expect(brotliDecompressSync(br.body).toString()).toBe(script);
    const gz = await get('/assets/index-AbC123.js', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    const plain = await get('/assets/index-AbC123.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(script);
  });

  it('caches other files an hour', async () => {
    const r = await get('/dsfr/atlas-connexion.css');
    expect(r.status).toBe(200);
    expect(r.headers['cache-control']).toBe('public, max-age=3600');
  });
});
