// Registers a route from its definition in the HTTP contract (src-shared/api/endpoints.ts): the path,
// the method, the zod schemas fastify validates with, the error answers /api/docs lists, the sign-in
// rate limit and the bearer check. Handlers get the validated input and, for endpoints that need a
// session, the caller's claims: no route writes its path, schemas or authentication by hand.
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { apiError } from '../../src-shared/api/error';
import { COMMON_ERRORS, type Endpoint, type EndpointReply, type EndpointRequest } from '../../src-shared/api/endpoint';
import type { AccessClaims } from '../auth/tokens';
import { HttpError } from '../httpError';

export type Claims = AccessClaims & { lbl?: string };

export interface RouteDeps {
  /** Checks the bearer token; throws the 401 the device refreshes or logs in again on. */
  authenticate(req: FastifyRequest): Claims;
  /** Per-address limit (per minute) of the endpoints marked `rateLimited: true`. */
  authRateLimit: number;
  /** Per-address limit (per minute) of the open-data API (`rateLimited: 'public'`). */
  publicRateLimit: number;
}

export type RouteInput<E extends Endpoint> = EndpointRequest<E> & {
  claims: E['auth'] extends true ? Claims : null;
  req: FastifyRequest;
  reply: FastifyReply;
};

export type RouteHandler<E extends Endpoint> = (input: RouteInput<E>) => Promise<EndpointReply<E> | FastifyReply>;

export function route<E extends Endpoint>(
  app: FastifyInstance,
  deps: RouteDeps,
  e: E,
  handler: RouteHandler<E>,
  extra: Pick<RouteShorthandOptions, 'errorHandler'> = {},
): void {
  // /api/docs lists, for each error status, the codes this endpoint may answer with.
  const codes = new Map<number, string[]>();
  for (const [status, list] of [...Object.entries(COMMON_ERRORS), ...Object.entries(e.errors)])
    codes.set(Number(status), [...(codes.get(Number(status)) ?? []), ...(list ?? [])]);
  const response: Record<number, unknown> = { [e.status ?? 200]: e.response };
  for (const [status, list] of codes) response[status] = apiError.describe(`Codes : ${list.join(', ')}`);
  app.route({
    method: e.method,
    url: e.path,
    ...extra,
    config:
      e.rateLimited === 'public'
        ? {
            rateLimit: {
              max: deps.publicRateLimit,
              timeWindow: '1 minute',
              errorResponseBuilder: (_req: FastifyRequest, ctx: { max: number; after: string }) =>
                new HttpError(
                  429,
                  'RATE_LIMITED',
                  `Trop de requêtes sur l’API des données ouvertes (${ctx.max} par minute et par adresse) : réessayez dans ${ctx.after.replace('seconds', 'secondes').replace('second', 'seconde')}, ou téléchargez les fichiers complets à /atlas/donnees.`,
                ),
            },
          }
        : e.rateLimited
          ? { rateLimit: { max: deps.authRateLimit, timeWindow: '1 minute' } }
          : {},
    schema: {
      tags: [e.tag],
      summary: e.summary,
      ...(e.auth ? { security: [{ bearer: [] }] } : {}),
      ...(e.params ? { params: e.params } : {}),
      ...(e.query ? { querystring: e.query } : {}),
      ...(e.body ? { body: e.body } : {}),
      response,
    },
    handler: async (req, reply) => {
      const claims = e.auth ? deps.authenticate(req) : null;
      if (e.status) reply.code(e.status);
      // fastify has run the endpoint's zod schemas on these (validatorCompiler): they are their outputs.
      const input = { body: req.body, query: req.query, params: req.params, claims, req, reply } as RouteInput<E>;
      return handler(input);
    },
  });
}
