// Calls of the server's online-only endpoints that need no session (sign-in, account request, forgotten
// password, collectivité search), at the address the platform keeps. Light on purpose: the login
// screen loads it first (the session's own calls are in ./data.ts, with the offline copy).
import type { Endpoint, EndpointInput, EndpointOutput } from '../../src-shared/api/endpoint';
import { call } from '../api/http';
import { SyncError, type SyncErrorKind } from '../api/http';
import { getServerUrl } from './platform';

export async function callServer<E extends Endpoint>(
  endpoint: E,
  input: EndpointInput<E>,
  opts: { timeoutMs?: number } = {},
): Promise<EndpointOutput<E>> {
  return call(endpoint, input, { serverUrl: await getServerUrl(), timeoutMs: opts.timeoutMs ?? 30_000 });
}

/** Why a call failed, when the server or the link is the cause (else undefined: a bug or bad input). */
export function failureKind(e: unknown): SyncErrorKind | undefined {
  return e instanceof SyncError ? e.kind : undefined;
}
