// Account endpoints (online only, with the session's access token): the pending requests of the
// person's scope and the approval or refusal of one; for the DAECT and the SGAR, the list of the accounts
// of their scope (searched, filtered, sorted, by pages), disabling and re-enabling accounts. Same validated
// HTTP helper as the sync, so a captive portal page or a refused token becomes a French message.
import {
  accountEndpoints as e,
  type ManagedAccountsQuery,
  type ManagedAccountsResponse,
  type PendingAccount,
} from '../../../src-shared/api/accounts';
import { callWithSession } from '../../core/data';
import { failureKind } from '../../core/server';

const authed: typeof callWithSession = (endpoint, input) =>
  callWithSession(endpoint, input, 'Connectez-vous pour consulter les demandes de compte.');

/** A French message for a failed call: the sync's wording speaks of pending changes, not of this page. */
export function describeError(e: unknown, fallback: string): string {
  const kind = failureKind(e);
  if (kind === 'network' || kind === 'not_json') {
    return (
      `${kind === 'network' ? 'Serveur injoignable.' : 'Le serveur a répondu par une page web au lieu des données attendues (réseau Wi-Fi demandant une connexion, proxy ?).'} ` +
      'Les comptes et leurs demandes se consultent et se gèrent en ligne seulement : réessayez une fois la connexion rétablie.'
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

export async function listManagedAccounts(query: ManagedAccountsQuery): Promise<ManagedAccountsResponse> {
  return authed(e.listAccounts, { query });
}

export async function disableAccount(id: string, reason: string): Promise<string> {
  return (await authed(e.disableAccount, { params: { id }, body: { reason } })).message;
}

export async function enableAccount(id: string): Promise<string> {
  return (await authed(e.enableAccount, { params: { id } })).message;
}

export async function refuseAccount(id: string, reason: string): Promise<string> {
  return (await authed(e.refuseAccount, { params: { id }, body: { reason } })).message;
}
