// Public account endpoints (no session): account request, forgotten password, collectivité search.
// Same validated HTTP helper as the sync, so a captive portal page becomes a French message.
import { collectiviteSearchResponse, type AccountRequest } from '../../../src-shared/api/accounts';
import { okResponse } from '../../../src-shared/api/auth';
import { z } from 'zod';
import { getHost } from '../../host';
import { joinUrl, requestJson } from '../../sync/http';

const fetchFn = (u: string, i: RequestInit) => fetch(u, i);
const accepted = z.unknown();

async function base(): Promise<string> {
  return (await getHost().settings.getServerUrl()).replace(/\/+$/, '');
}

export async function searchCollectivites(q: string) {
  const url = joinUrl(await base(), `/api/v1/reference/collectivites?q=${encodeURIComponent(q)}&limit=10`);
  return (await requestJson(fetchFn, url, collectiviteSearchResponse, { method: 'GET', timeoutMs: 15_000 })).results;
}

export async function requestAccount(body: AccountRequest): Promise<void> {
  await requestJson(fetchFn, joinUrl(await base(), '/api/v1/accounts/request'), accepted, { body, timeoutMs: 30_000 });
}

export async function forgotPassword(email: string): Promise<string> {
  const r = await requestJson(
    fetchFn,
    joinUrl(await base(), '/api/v1/auth/password/forgot'),
    okResponse.or(z.unknown()),
    { body: { email }, timeoutMs: 30_000 },
  );
  return (
    (r as { message?: string } | null)?.message ??
    'Si un compte existe pour cette adresse, un courriel vient de lui être envoyé.'
  );
}
