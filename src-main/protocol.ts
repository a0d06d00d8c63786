// The app:// protocol: serves the built renderer from one folder, with a path-traversal check,
// an SPA fallback and the Content-Security-Policy. No file:// URL is ever loaded.
import { readFile as fsReadFile } from 'node:fs/promises';
import path from 'node:path';
import { DSFR_STYLE_HASHES, IMG_SRC } from '../src-shared/csp';

export const APP_SCHEME = 'app';
const APP_HOST = 'atlas';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** Strict CSP: scripts only from the app, network only to the configured CNCD server. */
export function contentSecurityPolicy(serverUrl: string): string {
  let connect = '';
  try {
    connect = new URL(serverUrl).origin;
  } catch {
    // An unparsable setting never reaches here (settings are validated); stay closed if it does.
  }
  return [
    "default-src 'none'",
    "script-src 'self'",
    // DSFR injects a color-scheme <style>: allowed by hash, as the server's CSP does (a test keeps both equal).
    `style-src 'self' ${DSFR_STYLE_HASHES.join(' ')}`,
    IMG_SRC,
    "font-src 'self' data:",
    // 'self': the app's own bundled files (reference data, map); the server: the only network peer.
    `connect-src 'self'${connect ? ` ${connect}` : ''}`,
    "manifest-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export type ResolvedPath =
  { ok: true; file: string; spaFallback: boolean } | { ok: false; status: 400 | 403 | 404; reason: string };

/**
 * Maps an app:// URL to a file inside `rootDir`. Refuses other hosts, encoded separators, NUL bytes
 * and anything that resolves outside the folder (`..`, absolute paths, drive letters).
 */
export function resolveAppPath(rootDir: string, rawUrl: string): ResolvedPath {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { ok: false, status: 400, reason: 'unparsable URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) {
    return { ok: false, status: 403, reason: `foreign origin ${url.protocol}//${url.host}` };
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return { ok: false, status: 400, reason: 'bad percent-encoding' };
  }
  if (pathname.includes('\0') || pathname.includes('\\') || /%2f|%5c/i.test(url.pathname)) {
    return { ok: false, status: 403, reason: 'forbidden characters in path' };
  }
  const segments = pathname.split('/').filter((s) => s.length > 0);
  if (segments.some((s) => s === '..' || s === '.' || /^[A-Za-z]:$/.test(s))) {
    return { ok: false, status: 403, reason: 'path traversal' };
  }
  const root = path.resolve(rootDir);
  const relative = segments.length === 0 ? 'index.html' : segments.join('/');
  const file = path.resolve(root, relative);
  if (file !== root && !file.startsWith(root + path.sep)) {
    return { ok: false, status: 403, reason: 'path outside the app folder' };
  }
  // Client-side routes (no extension) fall back to the SPA entry.
  const spaFallback = path.extname(file) === '';
  return { ok: true, file: spaFallback ? path.join(root, 'index.html') : file, spaFallback };
}

export interface ProtocolDeps {
  rootDir: string;
  getServerUrl: () => string;
  log: (message: string) => void;
  readFile?: (file: string) => Promise<Uint8Array>;
}

/** The handler given to `protocol.handle('app', …)`; a plain function of Request → Response. */
export function createAppProtocolHandler(
  deps: ProtocolDeps,
): (request: { url: string; method?: string }) => Promise<Response> {
  const read = deps.readFile ?? ((f: string) => fsReadFile(f));
  return async (request) => {
    if (request.method && request.method !== 'GET' && request.method !== 'HEAD') {
      deps.log(`app:// refused method ${request.method}`);
      return new Response('Méthode non autorisée', { status: 405 });
    }
    const resolved = resolveAppPath(deps.rootDir, request.url);
    if (!resolved.ok) {
      deps.log(`app:// refused ${safeUrlForLog(request.url)}: ${resolved.reason}`);
      return new Response('Accès refusé', { status: resolved.status });
    }
    try {
      const body = await read(resolved.file);
      const headers: Record<string, string> = {
        'Content-Type': MIME[path.extname(resolved.file).toLowerCase()] ?? 'application/octet-stream',
        'X-Content-Type-Options': 'nosniff',
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Referrer-Policy': 'no-referrer',
      };
      if (resolved.file.endsWith('.html'))
        headers['Content-Security-Policy'] = contentSecurityPolicy(deps.getServerUrl());
      return new Response(body as ConstructorParameters<typeof Response>[0], { status: 200, headers });
    } catch {
      return new Response('Introuvable', { status: 404 });
    }
  };
}

/** Logs keep only the path (a query string could carry a token). */
export function safeUrlForLog(raw: string): string {
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}${u.pathname}`.slice(0, 300);
  } catch {
    return '<unparsable>';
  }
}
