import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, createAppProtocolHandler, resolveAppPath } from '../../../src-main/protocol';

const root = mkdtempSync(path.join(tmpdir(), 'atlas-proto-'));
mkdirSync(path.join(root, 'assets'));
writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Atlas</title>');
writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
// A secret next to the app folder: must never be reachable.
writeFileSync(path.join(path.dirname(root), 'atlas-secret.txt'), 'secret');

describe('resolveAppPath', () => {
  it('maps app://atlas paths into the folder', () => {
    expect(resolveAppPath(root, 'app://atlas/assets/app.js')).toEqual({
      ok: true,
      file: path.join(root, 'assets', 'app.js'),
      spaFallback: false,
    });
    expect(resolveAppPath(root, 'app://atlas/')).toMatchObject({ ok: true, file: path.join(root, 'index.html') });
  });

  it('falls back to index.html for client routes', () => {
    expect(resolveAppPath(root, 'app://atlas/contacts/123')).toEqual({
      ok: true,
      file: path.join(root, 'index.html'),
      spaFallback: true,
    });
  });

  it.each([
    'app://atlas/../atlas-secret.txt',
    'app://atlas/%2e%2e/atlas-secret.txt',
    'app://atlas/assets/..%2f..%2fatlas-secret.txt',
    'app://atlas/..%5c..%5catlas-secret.txt',
    'app://atlas/assets%2f..%2f..%2fatlas-secret.txt',
    'app://atlas/C:/Windows/win.ini',
    'app://atlas/%00index.html',
  ])('refuses traversal %s', (url) => {
    const r = resolveAppPath(root, url);
    if (r.ok) {
      // The URL parser may normalise `..` away; what matters is staying inside the folder.
      expect(r.file.startsWith(root + path.sep)).toBe(true);
    } else {
      expect([400, 403]).toContain(r.status);
    }
  });

  it('refuses other schemes and hosts', () => {
    expect(resolveAppPath(root, 'file:///etc/passwd')).toMatchObject({ ok: false, status: 403 });
    expect(resolveAppPath(root, 'app://evil/index.html')).toMatchObject({ ok: false, status: 403 });
    expect(resolveAppPath(root, 'not a url')).toMatchObject({ ok: false, status: 400 });
  });
});

describe('app:// handler', () => {
  const logs: string[] = [];
  const handler = createAppProtocolHandler({
    rootDir: root,
    getServerUrl: () => 'https://cncd.example.fr/',
    log: (m) => logs.push(m),
  });

  it('serves HTML with the CSP and assets with their type', async () => {
    const html = await handler({ url: 'app://atlas/index.html' });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(html.headers.get('content-security-policy')).toContain("connect-src 'self' https://cncd.example.fr");
    expect(await html.text()).toContain('<title>Atlas</title>');
    const js = await handler({ url: 'app://atlas/assets/app.js' });
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect(js.headers.get('content-security-policy')).toBeNull();
  });

  it('answers 403 with a log line to a traversal, 404 to a missing file, 405 to POST', async () => {
    const bad = await handler({ url: 'app://atlas/..%2f..%2fatlas-secret.txt' });
    expect(bad.status).toBe(403);
    expect(await bad.text()).not.toContain('secret');
    expect(logs.some((l) => l.includes('refused'))).toBe(true);
    expect((await handler({ url: 'app://atlas/assets/missing.js' })).status).toBe(404);
    expect((await handler({ url: 'app://atlas/index.html', method: 'POST' })).status).toBe(405);
  });
});

describe('contentSecurityPolicy', () => {
  it('allows scripts only from the app and network only to the server origin', () => {
    const csp = contentSecurityPolicy('http://127.0.0.1:8080/api');
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain("connect-src 'self' http://127.0.0.1:8080;");
    expect(csp).toContain("object-src 'none'");
    expect(contentSecurityPolicy('garbage')).toContain("connect-src 'self';");
    expect(csp).not.toContain('unsafe-inline');
  });

  it("allows the same styles and images as the server's CSP for browsers (the optional online tiles included)", async () => {
    const { APP_CSP } = await import('../../../src-server/csp');
    const directive = (p: string, name: string) => p.split('; ').find((d) => d.startsWith(name));
    for (const name of ['style-src', 'img-src']) {
      expect(directive(contentSecurityPolicy('https://x.fr'), name)).toBe(directive(APP_CSP, name));
    }
    expect(directive(APP_CSP, 'img-src')).toContain('https://tile.openstreetmap.org');
  });
});
