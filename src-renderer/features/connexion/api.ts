// Public account endpoints (no session): account request, forgotten password and its reset,
// collectivité search. Through the typed call of the HTTP contract, so a captive portal page becomes
// a French message.
import { accountEndpoints, type AccountRequest } from '../../../src-shared/api/accounts';
import { authEndpoints } from '../../../src-shared/api/auth';
import { callServer } from '../../core/server';

export async function searchCollectivites(q: string) {
  const query = { q, limit: 10 };
  return (await callServer(accountEndpoints.searchCollectivites, { query }, { timeoutMs: 15_000 })).results;
}

export async function requestAccount(body: AccountRequest): Promise<void> {
  await callServer(accountEndpoints.requestAccount, { body }, { timeoutMs: 30_000 });
}

export async function forgotPassword(email: string): Promise<string> {
  const r = await callServer(authEndpoints.forgotPassword, { body: { email } }, { timeoutMs: 30_000 });
  return r.message;
}

export async function resetPassword(token: string, password: string): Promise<string> {
  const r = await callServer(authEndpoints.resetPassword, { body: { token, password } }, { timeoutMs: 30_000 });
  return r.message;
}
