// One typed way to call the CNCD server: an endpoint of the HTTP contract (src-shared/api/endpoints.ts)
// and what it takes. The compiler checks the body, the path parameters and the query against the
// endpoint's schemas; the path and the method are written once, in the contract; the answer is
// validated against the response schema (./http.ts turns every failure into a French SyncError).
import { endpointPath, type Endpoint, type EndpointInput, type EndpointOutput } from '../../src-shared/api/endpoint';
import { joinUrl, requestJson, type FetchLike, type RequestOptions, type SentStats } from './http';

export interface CallTarget extends Pick<RequestOptions, 'token' | 'timeoutMs' | 'idleTimeoutMs' | 'compressAbove'> {
  /** The server's address (no trailing slash needed). */
  serverUrl: string;
  /** The window's fetch unless given (tests and the sync engine pass their own). */
  fetch?: FetchLike;
  /** Filled with the bytes sent and the characters received (the sync's report). */
  stats?: SentStats;
}

interface AnyInput {
  params?: Record<string, string>;
  query?: Record<string, unknown>;
  body?: unknown;
}

const windowFetch: FetchLike = (u, i) => fetch(u, i);

export function call<E extends Endpoint>(
  endpoint: E,
  input: EndpointInput<E>,
  target: CallTarget,
): Promise<EndpointOutput<E>> {
  // The mapped input type holds exactly these keys, as the endpoint declares them.
  const { params, query, body } = input as AnyInput;
  const url = joinUrl(target.serverUrl, endpointPath(endpoint, params, query));
  return requestJson<E['response']>(
    target.fetch ?? windowFetch,
    url,
    endpoint.response,
    {
      method: endpoint.method,
      body,
      token: target.token,
      timeoutMs: target.timeoutMs,
      idleTimeoutMs: target.idleTimeoutMs,
      compressAbove: target.compressAbove,
    },
    target.stats,
  );
}
