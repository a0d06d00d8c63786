// A minimal device for server tests: logs in with a fresh Ed25519 key and runs sync cycles.
import crypto from 'node:crypto';
import type { SessionResponse } from '../../../src-shared/api/auth';
import { newId } from '../../../src-shared/sync/ids';
import { PROTOCOL_VERSION, type Change, type SyncResponse } from '../../../src-shared/sync/protocol';

export function devicePublicKey(): string {
  const { publicKey } = crypto.generateKeyPairSync('ed25519');
  return publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64');
}

export async function api<T = unknown>(
  url: string,
  path: string,
  init: { method?: string; body?: unknown; token?: string; headers?: Record<string, string> } = {},
) {
  const res = await fetch(url + path, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return { status: res.status, body: json as T, headers: res.headers };
}

export class TestDevice {
  session!: SessionResponse;
  readonly id = newId();
  seq = 0;
  cursor = '0';
  constructor(readonly url: string) {}

  async login(email: string, password: string) {
    const r = await api<SessionResponse>(this.url, '/api/v1/auth/login', {
      body: { email, password, device: { id: this.id, name: 'Poste de test', publicKey: devicePublicKey() } },
    });
    if (r.status !== 200) throw new Error(`login ${r.status} ${JSON.stringify(r.body)}`);
    this.session = r.body;
    return this;
  }

  /** Builds changes with fresh ids and this device's next sequence numbers. */
  change<C extends Omit<Change, 'id' | 'seq'>>(c: C): Change {
    return { ...c, id: newId(), seq: ++this.seq } as unknown as Change;
  }

  async sync(changes: Change[] = [], opts: { limit?: number; cursor?: string; keepCursor?: boolean } = {}) {
    const r = await api<SyncResponse>(this.url, '/api/v1/sync', {
      token: this.session.accessToken,
      body: {
        v: PROTOCOL_VERSION,
        cursor: opts.cursor ?? this.cursor,
        changes,
        ...(opts.limit ? { limit: opts.limit } : {}),
      },
    });
    if (r.status === 200 && !opts.keepCursor) this.cursor = r.body.cursor;
    return r;
  }

  /** Pulls every page from the current cursor. */
  async pullAll(limit?: number) {
    const pages: SyncResponse[] = [];
    for (;;) {
      const r = await this.sync([], { limit });
      if (r.status !== 200) throw new Error(`sync ${r.status} ${JSON.stringify(r.body)}`);
      pages.push(r.body);
      if (!r.body.more) return pages;
    }
  }
}
