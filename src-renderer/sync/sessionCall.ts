// A call of an endpoint that needs the session (account management): the access token of the
// session, refreshed once when it has lapsed (single-flight, shared with the sync) and the call retried.
import type { Endpoint, EndpointInput, EndpointOutput } from '../../src-shared/api/endpoint';
import { call } from '../api/http';
import { SyncError } from '../api/http';
import { getSession } from './session';

export async function callWithSession<E extends Endpoint>(
  endpoint: E,
  input: EndpointInput<E>,
  notLoggedIn = 'Connectez-vous pour continuer.',
  session = getSession(),
): Promise<EndpointOutput<E>> {
  const s = await session.current();
  if (!s) throw new SyncError('not_logged_in', notLoggedIn);
  const send = async (token: string) => call(endpoint, input, { serverUrl: s.serverUrl, token, timeoutMs: 30_000 });
  try {
    return await send(await session.token());
  } catch (e) {
    // The access token lives 15 minutes.
    if (e instanceof SyncError && e.kind === 'token_expired') return send(await session.refresh());
    throw e;
  }
}
