// The renderer runs at app://atlas and calls the CNCD server at another origin, so its requests are
// cross-origin. The server is not asked to know about the desktop origin: main answers CORS for the
// configured server only (webRequest.onHeadersReceived), replacing whatever access-control headers
// came back, so there is exactly one, for exactly our origin. Other origins get no CORS at all.
import { APP_ORIGIN } from './protocol';

export interface HeadersReceivedDetails {
  url: string;
  method: string;
  statusCode: number;
  responseHeaders?: Record<string, string[]> | undefined;
}

export interface HeadersReceivedResponse {
  responseHeaders?: Record<string, string[]>;
  statusLine?: string;
}

const ALLOW_HEADERS = 'authorization, content-type, content-encoding, accept';
const ALLOW_METHODS = 'GET, POST, OPTIONS';

function originOf(raw: string): string | null {
  try {
    return new URL(raw).origin;
  } catch {
    return null;
  }
}

/** Response rewrite for one request; null when the response is not from the configured server. */
export function desktopCors(details: HeadersReceivedDetails, serverUrl: string): HeadersReceivedResponse | null {
  const server = originOf(serverUrl);
  if (!server || originOf(details.url) !== server) return null;
  const headers: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
    if (!name.toLowerCase().startsWith('access-control-')) headers[name] = value;
  }
  headers['Access-Control-Allow-Origin'] = [APP_ORIGIN];
  headers['Access-Control-Expose-Headers'] = ['Retry-After, Content-Encoding'];
  const out: HeadersReceivedResponse = { responseHeaders: headers };
  if (details.method === 'OPTIONS') {
    headers['Access-Control-Allow-Methods'] = [ALLOW_METHODS];
    headers['Access-Control-Allow-Headers'] = [ALLOW_HEADERS];
    headers['Access-Control-Max-Age'] = ['600'];
    // A server without CORS answers the preflight 404; Chromium fails a preflight on its status alone, before headers (same fix as other app:// apps since out-of-blink CORS).
    if (details.statusCode >= 300) out.statusLine = 'HTTP/1.1 200 OK';
  }
  const vary = Object.keys(headers).find((k) => k.toLowerCase() === 'vary');
  if (!vary) headers['Vary'] = ['Origin'];
  return out;
}

/** Plain http is only usable from app:// (a secure origin) towards the local machine. */
export function isUsableServerUrl(raw: string): boolean {
  try {
    const u = new URL(raw);
    if (u.protocol === 'https:') return true;
    return (
      u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]')
    );
  } catch {
    return false;
  }
}
