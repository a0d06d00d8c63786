// Account endpoints (online only, with the session's access token): the pending requests of the
// person's scope and the approval of one; for the DAECT and the SGAR, disabling and re-enabling accounts. Same validated HTTP helper as the sync, so a captive
// portal page or a refused token becomes a French message.
import {
  approveParams,
  disableAccountRequest,
  managedAccountsResponse,
  pendingAccountsResponse,
  type ManagedAccount,
  type PendingAccount,
} from '../../../src-shared/api/accounts';
import { okResponse } from '../../../src-shared/api/auth';
import type { z } from 'zod';
import { joinUrl, requestJson, SyncError, type RequestOptions } from '../../sync/http';
import { getSession } from '../../sync/session';

const fetchFn = (u: string, i: RequestInit) => fetch(u, i);

async function authed<T extends z.ZodType>(path: string, schema: T, opts: RequestOptions = {}): Promise<z.output<T>> {
  const session = getSession();
  const s = await session.current();
  if (!s) throw new SyncError('not_logged_in', 'Connectez-vous pour consulter les demandes de compte.');
  const call = async (token: string) =>
    requestJson(fetchFn, joinUrl(s.serverUrl, path), schema, { ...opts, token, timeoutMs: 30_000 });
  try {
    return await call(await session.token());
  } catch (e) {
    // The access token lives 15 minutes: refresh once (single-flight, shared with the sync) and retry.
    if (e instanceof SyncError && e.kind === 'token_expired') return call(await session.refresh());
    throw e;
  }
}

/** A French message for a failed call: the sync's wording speaks of pending changes, not of this page. */
export function describeError(e: unknown, fallback: string): string {
  if (e instanceof SyncError && (e.kind === 'network' || e.kind === 'not_json')) {
    return (
      `${e.kind === 'network' ? 'Serveur injoignable.' : 'Le serveur a répondu par une page web au lieu des données attendues (réseau Wi-Fi demandant une connexion, proxy ?).'} ` +
      'Les demandes de compte se consultent et se valident en ligne seulement : réessayez une fois la connexion rétablie.'
    );
  }
  return e instanceof Error && e.message ? e.message : fallback;
}

export async function listPendingAccounts(): Promise<PendingAccount[]> {
  return (await authed('/api/v1/accounts/pending', pendingAccountsResponse, { method: 'GET' })).accounts;
}

export async function approveAccount(id: string): Promise<string> {
  const { id: checked } = approveParams.parse({ id });
  return (await authed(`/api/v1/accounts/${encodeURIComponent(checked)}/approve`, okResponse, { method: 'POST' }))
    .message;
}

export async function listManagedAccounts(q: string): Promise<ManagedAccount[]> {
  const query = q.trim() ? `?q=${encodeURIComponent(q.trim())}` : '';
  return (await authed(`/api/v1/accounts${query}`, managedAccountsResponse, { method: 'GET' })).accounts;
}

export async function disableAccount(id: string, reason: string): Promise<string> {
  const { id: checked } = approveParams.parse({ id });
  const body = disableAccountRequest.parse({ reason });
  return (await authed(`/api/v1/accounts/${encodeURIComponent(checked)}/disable`, okResponse, { method: 'POST', body }))
    .message;
}

export async function enableAccount(id: string): Promise<string> {
  const { id: checked } = approveParams.parse({ id });
  return (await authed(`/api/v1/accounts/${encodeURIComponent(checked)}/enable`, okResponse, { method: 'POST' }))
    .message;
}
