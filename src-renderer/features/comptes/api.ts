// Account endpoints (online only, with the session's access token): the pending requests of the
// person's scope and the approval of one; for the DAECT and the SGAR, disabling and re-enabling accounts. Same validated HTTP helper as the sync, so a captive
// portal page or a refused token becomes a French message.
import { accountEndpoints as e, type ManagedAccount, type PendingAccount } from '../../../src-shared/api/accounts';
import type { Endpoint, EndpointInput, EndpointOutput } from '../../../src-shared/api/endpoint';
import { call } from '../../api/call';
import { SyncError } from '../../api/http';
import { getSession } from '../../sync/session';

async function authed<E extends Endpoint>(endpoint: E, input: EndpointInput<E>): Promise<EndpointOutput<E>> {
  const session = getSession();
  const s = await session.current();
  if (!s) throw new SyncError('not_logged_in', 'Connectez-vous pour consulter les demandes de compte.');
  const send = async (token: string) => call(endpoint, input, { serverUrl: s.serverUrl, token, timeoutMs: 30_000 });
  try {
    return await send(await session.token());
  } catch (err) {
    // The access token lives 15 minutes: refresh once (single-flight, shared with the sync) and retry.
    if (err instanceof SyncError && err.kind === 'token_expired') return send(await session.refresh());
    throw err;
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
  return (await authed(e.pendingAccounts, {})).accounts;
}

export async function approveAccount(id: string): Promise<string> {
  return (await authed(e.approveAccount, { params: { id } })).message;
}

export async function listManagedAccounts(q: string): Promise<ManagedAccount[]> {
  return (await authed(e.listAccounts, { query: { q: q.trim() || undefined } })).accounts;
}

export async function disableAccount(id: string, reason: string): Promise<string> {
  return (await authed(e.disableAccount, { params: { id }, body: { reason } })).message;
}

export async function enableAccount(id: string): Promise<string> {
  return (await authed(e.enableAccount, { params: { id } })).message;
}
