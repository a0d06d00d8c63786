// The upload page's calls (« Déposer un paquet de modifications », features/connexion/DepotScreen.tsx): for a
// person with only a browser — an SGAR on a borrowed computer — who must hand a town hall's packet to the
// server without waiting for a copy of their scope. A login made for this page only: an Ed25519 key made in
// memory registers this browser as a device named for the purpose, the tokens stay in memory, nothing is
// written to this computer (no offline copy, no stored session or key), and leaving logs out.
import { authEndpoints, type SessionResponse, type SessionUser } from '../../src-shared/api/auth';
import { syncEndpoints, type PacketImportResponse } from '../../src-shared/api/sync';
import { newId } from '../../src-shared/sync/ids';
import { bytesToBase64 } from '../api/base64';
import { call, SyncError } from '../api/http';
import { getServerUrl } from './platform';

export interface DepotSession {
  serverUrl: string;
  user: SessionUser;
  accessToken: string;
  refreshToken: string;
}

function b64(bytes: ArrayBuffer): string {
  return bytesToBase64(new Uint8Array(bytes));
}

export async function depotLogin(email: string, password: string): Promise<DepotSession> {
  const serverUrl = (await getServerUrl()).replace(/\/+$/, '');
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const res = await call(
    authEndpoints.login,
    {
      body: {
        email,
        password,
        device: {
          id: newId(),
          name: 'Dépôt de paquet (navigateur)',
          publicKey: b64(await crypto.subtle.exportKey('raw', pair.publicKey)),
        },
      },
    },
    { serverUrl, timeoutMs: 30_000 },
  ).catch((e: unknown) => {
    // A refused login is the person's password: the server's words, not « session expirée ».
    if (e instanceof SyncError && (e.kind === 'session' || e.kind === 'rejected_request'))
      throw new SyncError('rejected_request', e.message, e.code, e.status);
    throw e;
  });
  return adopt(serverUrl, res);
}

const adopt = (serverUrl: string, res: SessionResponse): DepotSession => ({
  serverUrl,
  user: res.user,
  accessToken: res.accessToken,
  refreshToken: res.refreshToken,
});

/**
 * Sends a packet file; the server applies it as its author (as in the synchronisation screen's import).
 * Returns the session to keep (renewed when the access token had lapsed).
 */
export async function depotSend(
  s: DepotSession,
  bytes: Uint8Array,
): Promise<{ result: PacketImportResponse; session: DepotSession }> {
  const send = (token: string) =>
    call(
      syncEndpoints.importPacket,
      { body: { fichier: bytesToBase64(bytes) } },
      { serverUrl: s.serverUrl, token, timeoutMs: 120_000 },
    );
  try {
    return { result: await send(s.accessToken), session: s };
  } catch (e) {
    if (!(e instanceof SyncError && e.kind === 'token_expired')) throw e;
    const renewed = adopt(
      s.serverUrl,
      await call(authEndpoints.refresh, { body: { refreshToken: s.refreshToken } }, { serverUrl: s.serverUrl }),
    );
    return { result: await send(renewed.accessToken), session: renewed };
  }
}

/** Ends the page's session on the server (best effort: leaving offline must not fail). */
export async function depotLogout(s: DepotSession): Promise<void> {
  await call(
    authEndpoints.logout,
    { body: { refreshToken: s.refreshToken } },
    { serverUrl: s.serverUrl, timeoutMs: 5_000, idleTimeoutMs: 5_000 },
  ).catch(() => undefined);
}
