// Sessions: log in online once, then work offline as long as needed. The refresh token and the device
// key live behind the host's secret storage; the access token only in memory. A lapsed or revoked
// session asks for a new login and never touches local records or pending changes.
import { z } from 'zod';
import { authEndpoints, type SessionResponse, type SessionUser } from '../../src-shared/api/auth';
import { newId } from '../../src-shared/sync/ids';
import { getDb, type AtlasDb } from '../db/database';
import { getHost, type HostBridge } from '../host';
import { call } from '../api/http';
import { SyncError, type FetchLike } from '../api/http';
import { setSessionHint } from './sessionHint';
import { PendingChangesError } from './pendingChangesError';

export interface StoredSession {
  serverUrl: string;
  user: SessionUser;
  deviceId: string;
  /** active: tokens usable; expired: the server refused the refresh token, a new login is needed. */
  status: 'active' | 'expired';
  loggedInAt: string;
  /** Why the server ended the session (its code and French message), e.g. a disabled account. */
  ended?: { code: string | null; message: string };
}

const deviceKeySchema = z.object({ deviceId: z.uuid(), publicKey: z.string(), privateKey: z.string() });
export type DeviceKey = z.infer<typeof deviceKeySchema>;

const SESSION_KEY = 'session';

function b64(bytes: ArrayBuffer): string {
  let s = '';
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s);
}

function defaultDeviceName(host: HostBridge): string {
  const ua = typeof navigator === 'undefined' ? '' : navigator.userAgent;
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Firefox\//.test(ua)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : 'navigateur';
  return host.kind === 'electron' ? 'Application Atlas hors ligne' : `Atlas dans ${browser}`;
}

export interface SessionManagerOptions {
  db?: AtlasDb;
  host?: HostBridge;
  fetch?: FetchLike;
  /** Waits before each new try of a refresh that failed on the network (same token each time). */
  refreshRetryDelaysMs?: number[];
}

/**
 * A refresh whose answer is lost has already rotated the token on the server, which answers the same
 * token again with the same new pair for 30 s (its grace period): so a failed refresh is retried at once
 * with the same token, a few times within that window, and is never taken for a logout.
 */
const REFRESH_RETRY_DELAYS_MS = [500, 1_500, 3_000, 6_000];
const REFRESH_RETRY_WINDOW_MS = 25_000;
const REFRESH_TIMEOUT_MS = 8_000;

type Listener = () => void;

export class SessionManager {
  private accessToken: string | null = null;
  private refreshing: Promise<string> | null = null;
  private listeners = new Set<Listener>();

  constructor(private readonly opts: SessionManagerOptions = {}) {}

  get db(): AtlasDb {
    return this.opts.db ?? getDb();
  }
  get host(): HostBridge {
    return this.opts.host ?? getHost();
  }
  private get fetch(): FetchLike {
    return this.opts.fetch ?? ((u, i) => fetch(u, i));
  }

  onChange(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  private emit() {
    for (const l of this.listeners) l();
  }

  async current(): Promise<StoredSession | null> {
    const row = await this.db.syncState.get(SESSION_KEY);
    return (row?.value as StoredSession | undefined) ?? null;
  }

  private async save(s: StoredSession | null) {
    if (s) await this.db.syncState.put({ key: SESSION_KEY, value: s });
    else await this.db.syncState.delete(SESSION_KEY);
    setSessionHint(!!s);
    this.emit();
  }

  /** The device's id and Ed25519 key pair, made at first login and kept in the host's secret storage. */
  async deviceKey(): Promise<DeviceKey> {
    const raw = await this.host.secrets.get('deviceKey');
    if (raw) {
      try {
        const parsed = deviceKeySchema.safeParse(JSON.parse(raw));
        if (parsed.success) return parsed.data;
      } catch {
        /* unreadable: make a new one below */
      }
    }
    const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    const key: DeviceKey = {
      deviceId: newId(),
      publicKey: b64(await crypto.subtle.exportKey('raw', pair.publicKey)),
      privateKey: b64(await crypto.subtle.exportKey('pkcs8', pair.privateKey)),
    };
    await this.host.secrets.set('deviceKey', JSON.stringify(key));
    return key;
  }

  async login(input: {
    serverUrl?: string;
    email: string;
    password: string;
    deviceName?: string;
  }): Promise<SessionUser> {
    const serverUrl = (input.serverUrl ?? (await this.host.settings.getServerUrl())).replace(/\/+$/, '');
    const key = await this.deviceKey();
    const res = await call(
      authEndpoints.login,
      {
        body: {
          email: input.email,
          password: input.password,
          device: {
            id: key.deviceId,
            name: input.deviceName ?? defaultDeviceName(this.host),
            publicKey: key.publicKey,
          },
        },
      },
      { serverUrl, fetch: this.fetch, timeoutMs: 30_000 },
    ).catch((e: unknown) => {
      // A refused login is the person's password, not a lapsed session: show the server's words.
      if (e instanceof SyncError && (e.kind === 'session' || e.kind === 'rejected_request'))
        throw new SyncError('rejected_request', e.message, e.code, e.status);
      throw e;
    });
    const previous = await this.current();
    if (previous && (previous.user.id !== res.user.id || previous.serverUrl !== serverUrl)) {
      const pending = await this.db.outbox.count();
      if (pending) {
        throw new SyncError(
          'local',
          `Des modifications d’un autre compte (${previous.user.email}) attendent d’être envoyées depuis ce poste. Reconnectez-vous avec ce compte pour les envoyer.`,
          'OTHER_ACCOUNT_PENDING',
        );
      }
      await this.clearLocalData({ keepDrafts: false });
    }
    await this.adopt(res, serverUrl);
    const serverSeq = res.deviceLastSeq ?? 0;
    if (serverSeq > 0)
      await this.db.transaction('rw', this.db.syncState, async () => {
        const seq = Number((await this.db.syncState.get('deviceSeq'))?.value ?? 0);
        if (serverSeq > seq) await this.db.syncState.put({ key: 'deviceSeq', value: serverSeq });
      });
    return res.user;
  }

  private async adopt(res: SessionResponse, serverUrl: string) {
    this.accessToken = res.accessToken;
    await this.host.secrets.set('refreshToken', res.refreshToken);
    const prev = await this.current();
    const key = await this.deviceKey();
    await this.save({
      serverUrl,
      user: res.user,
      deviceId: key.deviceId,
      status: 'active',
      loggedInAt:
        prev?.status === 'active' && prev.user.id === res.user.id ? prev.loggedInAt : new Date().toISOString(),
    });
  }

  /** An access token, refreshing it when there is none in memory (after a restart). */
  async token(): Promise<string> {
    if (this.accessToken) return this.accessToken;
    return this.refresh();
  }

  /**
   * Rotate the refresh token. One refresh at a time — in this window (single flight) and across the
   * tabs of this offline copy (a Web Lock; the token is read inside it, so a tab never sends one another
   * tab already rotated).
   */
  refresh(): Promise<string> {
    this.refreshing ??= this.lockedRefresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private lockedRefresh(): Promise<string> {
    const locks =
      typeof navigator === 'undefined' ? undefined : (navigator as Navigator & { locks?: LockManager }).locks;
    return locks ? locks.request(`atlas-refresh:${this.db.name}`, () => this.doRefresh()) : this.doRefresh();
  }

  private async doRefresh(): Promise<string> {
    const s = await this.current();
    if (!s)
      throw new SyncError('not_logged_in', 'Connectez-vous pour synchroniser. Vos modifications restent sur ce poste.');
    if (s.status === 'expired') throw new SyncError('session', 'Votre session a expiré : reconnectez-vous.');
    const refreshToken = await this.host.secrets.get('refreshToken');
    if (!refreshToken) {
      await this.expire();
      throw new SyncError('session', 'Votre session a expiré : reconnectez-vous.');
    }
    const delays = this.opts.refreshRetryDelaysMs ?? REFRESH_RETRY_DELAYS_MS;
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await call(
          authEndpoints.refresh,
          { body: { refreshToken } },
          { serverUrl: s.serverUrl, fetch: this.fetch, timeoutMs: REFRESH_TIMEOUT_MS },
        );
        await this.adopt(res, s.serverUrl);
        return res.accessToken;
      } catch (e) {
        const delay = delays[attempt];
        // Lost on the way (or a proxy's 5xx): the server may have rotated the token; the same token again gets the same pair.
        if (
          e instanceof SyncError &&
          (e.kind === 'network' || e.kind === 'server') &&
          delay !== undefined &&
          Date.now() - started + delay < REFRESH_RETRY_WINDOW_MS
        ) {
          await new Promise((r) => setTimeout(r, delay));
          continue;
        }
        if (e instanceof SyncError && (e.kind === 'session' || (e.kind === 'rejected_request' && e.status === 400))) {
          const message =
            e.code === 'ACCOUNT_DISABLED'
              ? e.message
              : 'Votre session a expiré : reconnectez-vous. Vos données et vos modifications restent sur ce poste.';
          await this.expire({ code: e.code ?? null, message });
          throw new SyncError('session', message, e.code, e.status);
        }
        throw e;
      }
    }
  }

  /** The server no longer accepts this session: ask for a login, keep every local record and change. */
  async expire(ended?: { code: string | null; message: string }): Promise<void> {
    this.accessToken = null;
    const s = await this.current();
    if (s && (s.status !== 'expired' || (ended && !s.ended)))
      await this.save({ ...s, status: 'expired', ...(ended ? { ended } : {}) });
  }

  /** Forget the access token (tests: simulate a restart or a lapsed token). */
  dropAccessToken(): void {
    this.accessToken = null;
  }

  /**
   * Log out. Refuses while changes are unsent unless `discardPending` is true. The device key stays
   * (the device keeps its identity); the local copy is cleared so the next person starts clean.
   */
  async logout(opts: { discardPending?: boolean } = {}): Promise<void> {
    const pending = await this.db.outbox.count();
    if (pending && !opts.discardPending) throw new PendingChangesError(pending);
    const s = await this.current();
    const refreshToken = await this.host.secrets.get('refreshToken');
    if (s && refreshToken) {
      // Best effort: logging out offline must work too.
      await call(
        authEndpoints.logout,
        { body: { refreshToken } },
        { serverUrl: s.serverUrl, fetch: this.fetch, timeoutMs: 5_000, idleTimeoutMs: 5_000 },
      ).catch(() => undefined);
    }
    this.accessToken = null;
    await this.host.secrets.delete('refreshToken');
    // Nothing pending any more (sent, or discarded by the person's choice): no backup to offer later.
    if (s)
      await Promise.resolve()
        .then(() => this.host.backup.clear(s.user.id))
        .catch(() => undefined);
    await this.clearLocalData({ keepDrafts: !opts.discardPending });
    await this.save(null);
  }

  private async clearLocalData(opts: { keepDrafts: boolean }) {
    const db = this.db;
    await db.transaction('rw', [...db.writeTables(), db.drafts], async () => {
      await Promise.all([
        db.packs.clear(),
        db.loose.clear(),
        db.meta.clear(),
        db.outbox.clear(),
        db.conflicts.clear(),
        db.rejected.clear(),
        db.trash.clear(),
      ]);
      if (!opts.keepDrafts) await db.drafts.clear();
      // The device sequence survives: the server requires it to keep increasing for this device.
      await db.syncState.where('key').noneOf(['deviceSeq', SESSION_KEY]).delete();
    });
  }
}

let defaultSession: SessionManager | null = null;
export function getSession(): SessionManager {
  defaultSession ??= new SessionManager();
  return defaultSession;
}

export const login = (input: { serverUrl?: string; email: string; password: string; deviceName?: string }) =>
  getSession().login(input);
export const logout = (opts: { discardPending?: boolean } = {}) => getSession().logout(opts);
