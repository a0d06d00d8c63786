// What one HTTP endpoint of the CNCD server is: method, path, the zod schemas of what goes in and out,
// and the error codes it may answer. The server registers its routes from these definitions and
// publishes them at /api/docs; the app calls them through one typed function (src-renderer/api/http.ts).
// The same role as the IPC contract (../ipc/contract.ts) for the HTTP boundary.
import { z } from 'zod';
import type { ApiErrorCode } from './error';

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 429;

export interface Endpoint {
  method: 'GET' | 'POST';
  /** Fastify syntax: `:name` for a path parameter, which `params` validates. */
  path: `/api/${string}`;
  /** For /api/docs, in French like every word the server shows. */
  summary: string;
  tag: 'serveur' | 'comptes' | 'référentiel' | 'synchronisation' | 'données ouvertes';
  /** Needs the session's access token (`Authorization: Bearer`). */
  auth: boolean;
  /**
   * Counted by a per-address limit: `true`, the tight one of the endpoints that can be guessed at (login,
   * mails); `'public'`, the generous one of the open-data API for re-users.
   */
  rateLimited?: boolean | 'public';
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  response: z.ZodType;
  /**
   * The success answer is a file, not JSON (a snapshot): its media type. `response` is then `fileResponse`;
   * the caller reads the bytes (errors stay JSON `apiError`).
   */
  file?: { contentType: 'application/octet-stream' };
  /** Success status, 200 unless said. */
  status?: 200 | 202;
  /** The codes each error status may carry (body: `apiError`), beyond those any endpoint may answer. */
  errors: Partial<Record<ErrorStatus, readonly ApiErrorCode[]>>;
}

/** The `response` of an endpoint that answers a file (see Endpoint.file): its bytes. */
export const fileResponse = z
  .custom<Uint8Array>((v) => v instanceof Uint8Array, { error: 'Fichier binaire attendu.' })
  .describe('Fichier binaire (application/octet-stream)');

/** Codes any endpoint may answer, whatever its definition says (bad JSON, too large, server error…). */
export const COMMON_ERRORS = {
  400: ['VALIDATION', 'INVALID_JSON', 'INVALID_VALUE', 'INVALID_ENCODING', 'BAD_REQUEST'],
  413: ['PAYLOAD_TOO_LARGE'],
  415: ['UNSUPPORTED_MEDIA_TYPE'],
  429: ['RATE_LIMITED'],
  500: ['INTERNAL'],
} as const satisfies Record<number, readonly ApiErrorCode[]>;

/** Keeps the literal types of a definition (path, method, schemas) while checking its shape. */
export function endpoint<const E extends Endpoint>(e: E): E {
  return e;
}

type SchemaOf<E, K extends 'params' | 'query' | 'body'> =
  E extends Record<K, infer S extends z.ZodType> ? S : undefined;
type In<S> = S extends z.ZodType ? z.input<S> : undefined;

/** What a caller gives: the body, the path parameters and the query its endpoint declares, and nothing else. */
export type EndpointInput<E extends Endpoint> = {
  [K in 'params' | 'query' | 'body' as SchemaOf<E, K> extends undefined ? never : K]: In<SchemaOf<E, K>>;
};
/** What the server answers on success, as the caller reads it (validated). */
export type EndpointOutput<E extends Endpoint> = z.output<E['response']>;
/** What a handler returns: the response schema's input (before defaults and transforms). */
export type EndpointReply<E extends Endpoint> = z.input<E['response']>;
/** What a handler receives, validated by the server: the schemas' outputs. */
export type EndpointRequest<E extends Endpoint> = {
  [K in 'params' | 'query' | 'body']: SchemaOf<E, K> extends z.ZodType ? z.output<SchemaOf<E, K>> : undefined;
};
