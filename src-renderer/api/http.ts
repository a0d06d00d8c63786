// HTTP to the CNCD server: one typed `call` of an endpoint of the HTTP contract
// (src-shared/api/endpoints.ts) — the compiler checks the body, the path parameters and the query
// against the endpoint's schemas, and the path and the method are written once, in the contract —
// with every answer checked: a captive portal's HTML page, a truncated body or an unexpected shape
// becomes a SyncError with a French message, never a crash.
import type { z } from 'zod';
import type { Endpoint, EndpointInput, EndpointOutput } from '../../src-shared/api/endpoint';
import { apiError } from '../../src-shared/api/error';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export type SyncErrorKind =
  | 'network' // server unreachable (offline, DNS, timeout)
  | 'not_json' // an HTML page (captive portal, proxy error page)
  | 'invalid_response' // JSON that does not match the protocol
  | 'token_expired' // access token lapsed: refresh and retry
  | 'session' // session revoked or refresh refused: log in again
  | 'server' // 5xx or an API error
  | 'rejected_request' // 4xx other than auth: this client sent something the server refuses
  | 'local' // the device's own data or storage
  | 'not_logged_in';

export class SyncError extends Error {
  constructor(
    readonly kind: SyncErrorKind,
    message: string,
    readonly code?: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'SyncError';
  }
  /** Worth retrying later by itself (as opposed to needing a person). */
  get retryable(): boolean {
    return this.kind !== 'session' && this.kind !== 'not_logged_in';
  }
}

export const MESSAGES = {
  network:
    'Serveur injoignable : la connexion semble coupée. Vos modifications sont enregistrées sur ce poste et seront envoyées automatiquement.',
  timeout:
    'Le serveur met trop de temps à répondre. Vos modifications sont enregistrées sur ce poste ; nouvel essai automatique.',
  notJson:
    'Le serveur a répondu par une page web au lieu des données attendues (réseau Wi-Fi demandant une connexion, proxy ?). Ouvrez un navigateur pour vous connecter au réseau ; vos modifications restent sur ce poste.',
  invalid:
    'La réponse du serveur est illisible ou ne correspond pas à cette version de l’application. Rien n’a été perdu ; nouvel essai automatique.',
  sessionExpired: 'Votre session a expiré : reconnectez-vous. Vos données et vos modifications restent sur ce poste.',
  notLoggedIn: 'Connectez-vous pour synchroniser. Vos modifications restent sur ce poste.',
  server: (status: number) =>
    `Le serveur a rencontré une erreur (code ${status}). Vos modifications restent sur ce poste ; nouvel essai automatique.`,
} as const;

export interface RequestOptions {
  method?: 'GET' | 'POST';
  body?: unknown;
  token?: string | null;
  /** Gzip the body when its JSON is larger than this many bytes. */
  compressAbove?: number;
  /** Until the response starts (headers). Default 30 s. */
  timeoutMs?: number;
  /** Longest silence while the body arrives: a slow transfer goes on as long as bytes keep coming. Default 30 s. */
  idleTimeoutMs?: number;
  /** The success answer is a file (Endpoint.file): its bytes are checked with the schema instead of JSON. */
  file?: boolean;
}

/** Reads a body, failing when no byte arrives for `idleMs`. */
async function readBytes(res: Response, idleMs: number, abort: (reason: Error) => void): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const e = new Error('idle');
      e.name = 'TimeoutError';
      abort(e);
      void reader.cancel(e).catch(() => undefined);
    }, idleMs);
  };
  try {
    arm();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      arm();
      chunks.push(value);
      total += value.length;
    }
  } finally {
    clearTimeout(timer);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export interface SentStats {
  requestBytes: number;
  /** Characters of the (decompressed) response body. */
  responseChars?: number;
}

async function gzip(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Send a request and return the parsed, validated JSON body. Throws SyncError. */
export async function requestJson<T extends z.ZodType>(
  fetchFn: FetchLike,
  url: string,
  schema: T,
  opts: RequestOptions = {},
  stats?: SentStats,
): Promise<z.output<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (opts.body !== undefined) {
    const json = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
    if (opts.compressAbove !== undefined && json.length > opts.compressAbove) {
      const bytes = await gzip(json);
      body = bytes as unknown as BodyInit;
      headers['content-encoding'] = 'gzip';
      if (stats) stats.requestBytes = bytes.byteLength;
    } else {
      body = json;
      if (stats) stats.requestBytes = new TextEncoder().encode(json).byteLength;
    }
  }
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  // A link that swallows packets neither answers nor fails: every wait has a limit (headers first,
  // then silence between pieces of the body, so a long transfer on a slow link is not cut).
  const controller = new AbortController();
  let timedOut = false;
  const abort = (reason: Error) => {
    timedOut = true;
    controller.abort(reason);
  };
  const headersTimer = setTimeout(() => {
    const e = new Error('headers');
    e.name = 'TimeoutError';
    abort(e);
  }, opts.timeoutMs ?? 30_000);
  let res: Response;
  try {
    res = await fetchFn(url, {
      method: opts.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      body,
      signal: controller.signal,
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    throw new SyncError('network', timedOut ? MESSAGES.timeout : MESSAGES.network);
  } finally {
    clearTimeout(headersTimer);
  }
  const type = res.headers.get('content-type') ?? '';
  let bytes: Uint8Array;
  try {
    bytes = await readBytes(res, opts.idleTimeoutMs ?? 30_000, abort);
  } catch {
    throw new SyncError('network', timedOut ? MESSAGES.timeout : MESSAGES.network);
  }
  if (opts.file && res.ok && /^application\/octet-stream\b/i.test(type)) {
    const file = schema.safeParse(bytes);
    if (!file.success) throw new SyncError('invalid_response', MESSAGES.invalid, undefined, res.status);
    return file.data;
  }
  const text = new TextDecoder().decode(bytes);
  if (stats) stats.responseChars = text.length;
  if (!/^application\/(problem\+)?json\b/i.test(type)) {
    if (res.status >= 500 && !/html/i.test(type))
      throw new SyncError('server', MESSAGES.server(res.status), undefined, res.status);
    throw new SyncError('not_json', MESSAGES.notJson, undefined, res.status);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new SyncError('invalid_response', MESSAGES.invalid, undefined, res.status);
  }
  if (!res.ok) {
    const err = apiError.safeParse(data);
    const code = err.success ? err.data.code : undefined;
    const message = err.success ? err.data.message : MESSAGES.server(res.status);
    if (res.status === 401) {
      if (code === 'TOKEN_EXPIRED') throw new SyncError('token_expired', message, code, 401);
      throw new SyncError('session', message, code, 401);
    }
    if (res.status >= 500) throw new SyncError('server', message, code, res.status);
    throw new SyncError('rejected_request', message, code, res.status);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new SyncError('invalid_response', MESSAGES.invalid, undefined, res.status);
  return parsed.data;
}

export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

/** The URL path with its parameters filled in (encoded), plus the query string when there is one. */
function endpointPath(e: Endpoint, params?: Record<string, string>, query?: Record<string, unknown>): string {
  const path = e.path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const v = params?.[name];
    if (v === undefined) throw new Error(`Paramètre manquant : ${name}`);
    return encodeURIComponent(v);
  });
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const qs = q.toString();
  return qs ? `${path}?${qs}` : path;
}

export interface CallTarget extends Pick<RequestOptions, 'token' | 'timeoutMs' | 'idleTimeoutMs' | 'compressAbove'> {
  /** The server's address (no trailing slash needed). */
  serverUrl: string;
  /** The window's fetch unless given (tests and the sync engine pass their own). */
  fetch?: FetchLike;
  /** Filled with the bytes sent and the characters received (the sync's report). */
  stats?: SentStats;
}

interface AnyInput {
  params?: Record<string, string>;
  query?: Record<string, unknown>;
  body?: unknown;
}

const windowFetch: FetchLike = (u, i) => fetch(u, i);

export function call<E extends Endpoint>(
  endpoint: E,
  input: EndpointInput<E>,
  target: CallTarget,
): Promise<EndpointOutput<E>> {
  // The mapped input type holds exactly these keys, as the endpoint declares them.
  const { params, query, body } = input as AnyInput;
  const url = joinUrl(target.serverUrl, endpointPath(endpoint, params, query));
  return requestJson<E['response']>(
    target.fetch ?? windowFetch,
    url,
    endpoint.response,
    {
      method: endpoint.method,
      body,
      token: target.token,
      timeoutMs: target.timeoutMs,
      idleTimeoutMs: target.idleTimeoutMs,
      compressAbove: target.compressAbove,
      file: endpoint.file !== undefined,
    },
    target.stats,
  );
}
