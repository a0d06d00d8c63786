// Public account endpoints (no session): account request, forgotten password and its reset,
// collectivité search. Through the typed call of the HTTP contract, so a captive portal page becomes
// a French message.
import { accountEndpoints, type AccountRequest } from '../../../src-shared/api/accounts';
import { authEndpoints } from '../../../src-shared/api/auth';
import { getHost } from '../../host';
import { call } from '../../api/call';

async function serverUrl(): Promise<string> {
  return getHost().settings.getServerUrl();
}

export async function searchCollectivites(q: string) {
  const query = { q, limit: 10 };
  return (
    await call(accountEndpoints.searchCollectivites, { query }, { serverUrl: await serverUrl(), timeoutMs: 15_000 })
  ).results;
}

export async function requestAccount(body: AccountRequest): Promise<void> {
  await call(accountEndpoints.requestAccount, { body }, { serverUrl: await serverUrl(), timeoutMs: 30_000 });
}

export async function forgotPassword(email: string): Promise<string> {
  const r = await call(
    authEndpoints.forgotPassword,
    { body: { email } },
    { serverUrl: await serverUrl(), timeoutMs: 30_000 },
  );
  return r.message;
}

export async function resetPassword(token: string, password: string): Promise<string> {
  const r = await call(
    authEndpoints.resetPassword,
    { body: { token, password } },
    { serverUrl: await serverUrl(), timeoutMs: 30_000 },
  );
  return r.message;
}
