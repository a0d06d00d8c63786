// Routes of the open data: the page /atlas/donnees and its dictionary, the files /atlas/donnees/<fichier>
// (streamed, with ETag, Last-Modified and Cache-Control), and the read-only API of the HTTP contract
// (src-shared/api/public.ts, with the Atlas pages' ETag and Cache-Control), open to any origin for GET.
import fs from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Endpoint, EndpointReply } from '../../src-shared/api/endpoint';
import { publicEndpoints as e } from '../../src-shared/api/public';
import type { Db } from '../db/driver';
import { HttpError } from '../httpError';
import { holds, setPageCache, versionEtag } from '../atlas-public/cache';
import { route, type RouteDeps, type RouteInput } from '../routes/contract';
import { collectiviteDetail, listPage, paysDetail } from './api';
import type { OpenDataFile, OpenDataStore } from './files';
import { dictionnaireBody, donneesBody, layout } from './page';

/** Clients may keep a file 30 s, then ask again (a 304 when nothing changed): never a minute behind an edit. */
const CACHE_CONTROL = 'public, max-age=30, must-revalidate';
const TYPES = { csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8' } as const;

function notModified(req: FastifyRequest, etag: string, modified: Date): boolean {
  const inm = req.headers['if-none-match'];
  if (inm) return inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
  const ims = req.headers['if-modified-since'];
  return !!ims && !Number.isNaN(Date.parse(ims)) && Math.floor(modified.getTime() / 1000) <= Date.parse(ims) / 1000;
}

function cacheHeaders(reply: FastifyReply, etag: string, modified: Date): void {
  reply.header('ETag', etag).header('Last-Modified', modified.toUTCString()).header('Cache-Control', CACHE_CONTROL);
}

function html(reply: FastifyReply, title: string, body: string, canonical?: string) {
  return reply
    .type('text/html; charset=utf-8')
    .header('Cache-Control', 'no-cache')
    .send(layout(title, body, canonical));
}

export function openDataRoutes(app: FastifyInstance, deps: RouteDeps, db: Db, store: OpenDataStore): void {
  // CORS: anyone may read the open data from a page of theirs (GET only; nothing here takes credentials).
  app.addHook('onRequest', async (req, reply) => {
    if (req.url.startsWith('/api/public/') || req.url.startsWith('/atlas/donnees/')) {
      reply.header('Access-Control-Allow-Origin', '*');
      reply.header(
        'Access-Control-Expose-Headers',
        'ETag, Last-Modified, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining',
      );
    }
  });
  for (const url of ['/api/public/*', '/atlas/donnees/*'])
    app.options(url, { schema: { hide: true } }, async (_req, reply) =>
      reply
        .code(204)
        .header('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS')
        .header('Access-Control-Allow-Headers', 'If-None-Match, If-Modified-Since')
        .header('Access-Control-Max-Age', '86400')
        .send(),
    );

  app.get('/atlas/donnees', { schema: { hide: true } }, async (_req, reply) => {
    const snap = await store.snapshot();
    return html(reply, 'Données ouvertes', donneesBody(snap, store.dictionary));
  });
  app.get('/atlas/donnees/dictionnaire', { schema: { hide: true } }, async (_req, reply) =>
    html(reply, 'Dictionnaire des données', dictionnaireBody(), '/atlas/donnees/dictionnaire'),
  );
  app.get<{ Params: { fichier: string } }>(
    '/atlas/donnees/:fichier',
    { schema: { hide: true } },
    async (req, reply) => {
      const name = req.params.fichier;
      const dict = store.dictionary.find((f) => f.name === name);
      let file: OpenDataFile | undefined = dict;
      let etag: string;
      let modified: Date;
      if (dict) {
        etag = `"dictionnaire-${dict.bytes}"`;
        modified = BOOT;
      } else {
        if (!/^[a-z-]+\.(csv|json)$/.test(name)) throw notFound(name);
        const snap = await store.snapshot();
        file = snap.files.get(name);
        etag = `"${snap.version}-${name}"`;
        modified = snap.modified;
      }
      if (!file) throw notFound(name);
      cacheHeaders(reply, etag, modified);
      reply
        .type(TYPES[file.format])
        .header(
          'Content-Disposition',
          `attachment; filename="${file.name.startsWith('atlas-') ? '' : 'atlas-'}${file.name}"`,
        )
        .header('Link', '<https://www.etalab.gouv.fr/licence-ouverte-open-licence/>; rel="license"');
      if (notModified(req, etag, modified)) return reply.code(304).send();
      if (file.body) return reply.send(file.body);
      // Opened now: the folder of this version may be removed later, the open file stays readable.
      const fd = fs.openSync(file.path!, 'r');
      return reply.header('Content-Length', file.bytes).send(fs.createReadStream('', { fd }));
    },
  );

  // The API's answers revalidate like the Atlas's pages (../atlas-public/cache.ts): an ETag per data version,
  // read before the query (the answer is at least that fresh), path and validated query; a 304 when the client
  // holds it. Errors get neither.
  // Records are publicRecord's views (Record<string, unknown> with exactly the public fields): their shape
  // is the response schema's, which the compiler cannot see through the rule's field lists.
  const cached = <E extends Endpoint>(ep: E, read: (input: RouteInput<E>) => Promise<unknown>) =>
    route(app, deps, ep, async (input) => {
      const { req, reply } = input;
      const etag = versionEtag(
        await store.version(),
        `${req.routeOptions.url ?? ''}?${JSON.stringify([input.params, input.query])}`,
      );
      if (holds(req, etag)) {
        setPageCache(reply, etag);
        return reply.code(304).send();
      }
      const body = (await read(input)) as EndpointReply<E>;
      setPageCache(reply, etag);
      return body;
    });
  cached(e.publicCollectivites, ({ query }) => listPage(db, 'collectivite', query));
  cached(e.publicPartenariats, ({ query }) => listPage(db, 'partenariat', query));
  cached(e.publicProjets, ({ query }) => listPage(db, 'ficheProjet', query));
  cached(e.publicApd, ({ query }) => listPage(db, 'declarationApd', query));
  cached(e.publicCollectivite, ({ params }) => collectiviteDetail(db, params.code));
  cached(e.publicPays, ({ params }) => paysDetail(db, params.code));
}

const BOOT = new Date();

function notFound(name: string) {
  return new HttpError(
    404,
    'NOT_FOUND',
    `Aucun fichier de données ouvertes « ${name} » : voyez la liste à /atlas/donnees.`,
  );
}
