// The public Atlas's routes, under /atlas/ with no login: server-rendered HTML pages, the sitemap, the map's data
// and the few static files the pages use (our stylesheet and map script, Leaflet and its marker clusters).
//
// Caching: each page's ETag is derived from the data version (the highest sync_rev of a public record) and the
// page's key (its path and normalised query): a matching If-None-Match gets a 304 without building anything; a
// built page is kept in memory for its data version. Cache-Control (cache.ts) lets a browser or proxy keep a page 10 s,
// the data refreshes every few seconds (donnees.ts): an edit synced shows within a minute.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { etagMatches, hash, holds, setPageCache, versionEtag } from './cache';
import { AtlasPublicData, type AtlasData } from './donnees';
import { fondGeoJson, pointsJson } from './carte';
import {
  accueilPage,
  cartePage,
  collectivitePage,
  collectivitesPage,
  fichePage,
  filterPartenariats,
  filtresQuery,
  introuvablePage,
  parseFiltres,
  parsePaysFiltres,
  paysListePage,
  paysPage,
  projetsPage,
  recherchePage,
} from './pages';
import { codeFromParam, collectiviteUrl, ficheUrl, idFromParam, paysFromParam, paysUrl } from './urls';
import { PAYS_CODES } from '../../src-shared/reference/pays';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

/** Pages kept per data version (a national page weighs 10–40 kB, its compressed copy a fifth). */
const MAX_CACHED = 2_000;

type Query = Record<string, string | string[] | undefined>;
type Rendered = { body: string; type: string; status?: number; br?: Buffer; gzip?: Buffer };

/**
 * The body in the encoding the client accepts, compressed once per page and data version (kept with the page):
 * the compression plugin would compress it again on every request, through a stream.
 */
function encoded(req: FastifyRequest, r: Rendered): { body: string | Buffer; encoding: string | null } {
  const accept = String(req.headers['accept-encoding'] ?? '');
  if (r.body.length < 512) return { body: r.body, encoding: null };
  if (/\bbr\b/.test(accept)) {
    r.br ??= zlib.brotliCompressSync(r.body, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: r.body.length },
    });
    return { body: r.br, encoding: 'br' };
  }
  if (/\bgzip\b/.test(accept)) {
    r.gzip ??= zlib.gzipSync(r.body, { level: 6 });
    return { body: r.gzip, encoding: 'gzip' };
  }
  return { body: r.body, encoding: null };
}

/** Files served under /atlas/static/, read once at start: name → content and type. */
function staticFiles(): Map<string, { body: Buffer; type: string; etag: string }> {
  const files = new Map<string, { body: Buffer; type: string; etag: string }>();
  const type = (f: string) =>
    f.endsWith('.js')
      ? 'text/javascript; charset=utf-8'
      : f.endsWith('.css')
        ? 'text/css; charset=utf-8'
        : f.endsWith('.png')
          ? 'image/png'
          : 'application/octet-stream';
  const add = (name: string, file: string) => {
    const body = readFileSync(file);
    files.set(name, { body, type: type(file), etag: `"${hash(body.toString('base64'))}"` });
  };
  add('atlas.css', path.join(here, 'navigateur', 'atlas.css'));
  add('carte.js', path.join(here, 'navigateur', 'carte.js'));
  const leaflet = path.dirname(require.resolve('leaflet/dist/leaflet.js'));
  add('leaflet/leaflet.js', path.join(leaflet, 'leaflet.js'));
  add('leaflet/leaflet.css', path.join(leaflet, 'leaflet.css'));
  for (const img of readdirSync(path.join(leaflet, 'images')))
    add(`leaflet/images/${img}`, path.join(leaflet, 'images', img));
  const cluster = path.dirname(require.resolve('leaflet.markercluster/dist/leaflet.markercluster.js'));
  for (const f of ['leaflet.markercluster.js', 'MarkerCluster.css', 'MarkerCluster.Default.css'])
    add(`markercluster/${f}`, path.join(cluster, f));
  return files;
}

export interface AtlasPublicOptions {
  data: AtlasPublicData;
  /** The server's public address, for the sitemap's absolute URLs (else the request's host). */
  publicUrl?: () => string | null;
}

export function atlasPublicRoutes(app: FastifyInstance, opts: AtlasPublicOptions): void {
  const { data } = opts;
  let cacheVersion = -1;
  const cache = new Map<string, Rendered>();

  /**
   * Answers a page: 304 when the client holds this version of it, else the page built once per data version.
   * `build` returns null for a page that does not exist (404).
   */
  async function serve(
    req: FastifyRequest,
    reply: FastifyReply,
    key: string,
    build: (d: AtlasData) => Rendered | null,
  ): Promise<FastifyReply> {
    const d = await data.current();
    if (d.version !== cacheVersion) {
      cache.clear();
      cacheVersion = d.version;
    }
    const etag = versionEtag(d.version, key);
    setPageCache(reply, etag);
    if (holds(req, etag)) return reply.code(304).send();
    let r = cache.get(key);
    if (!r) {
      r = build(d) ?? { body: introuvablePage(), type: 'text/html; charset=utf-8', status: 404 };
      if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
      cache.set(key, r);
    }
    const out = encoded(req, r);
    reply
      .code(r.status ?? 200)
      .type(r.type)
      .header('Vary', 'Accept-Encoding');
    if (out.encoding) reply.header('Content-Encoding', out.encoding);
    return reply.send(out.body);
  }
  const htmlPage = (body: string): Rendered => ({ body, type: 'text/html; charset=utf-8' });

  app.get('/atlas', (_req, reply) => reply.redirect('/atlas/', 301));
  app.get('/atlas/', (req, reply) => serve(req, reply, '/', (d) => htmlPage(accueilPage(d))));

  app.get('/atlas/collectivites', (req, reply) => {
    const f = parseFiltres(req.query as Query);
    return serve(req, reply, `/collectivites${filtresQuery(f)}`, (d) => htmlPage(collectivitesPage(d, f)));
  });
  app.get<{ Params: { param: string } }>('/atlas/collectivites/:param', async (req, reply) => {
    const d = await data.current();
    const code = codeFromParam(req.params.param);
    const c = code ? d.collectiviteByCode.get(code) : undefined;
    if (!c) return serve(req, reply, `/collectivites/?${req.params.param}`, () => null);
    const url = collectiviteUrl(c);
    if (url !== `/atlas/collectivites/${req.params.param}`) return reply.redirect(url, 301);
    return serve(req, reply, url, (d2) => {
      const now = d2.collectiviteById.get(c.id);
      return now ? htmlPage(collectivitePage(d2, now)) : null;
    });
  });

  app.get('/atlas/projets', (req, reply) => {
    const f = parseFiltres(req.query as Query);
    return serve(req, reply, `/projets${filtresQuery(f)}`, (d) => htmlPage(projetsPage(d, f)));
  });
  app.get<{ Params: { param: string } }>('/atlas/projets/:param', async (req, reply) => {
    const d = await data.current();
    const id = idFromParam(req.params.param);
    const x = id ? d.ficheById.get(id) : undefined;
    if (!x) return serve(req, reply, `/projets/?${req.params.param}`, () => null);
    const url = ficheUrl(x);
    if (url !== `/atlas/projets/${req.params.param}`) return reply.redirect(url, 301);
    return serve(req, reply, url, (d2) => {
      const now = d2.ficheById.get(x.id);
      return now ? htmlPage(fichePage(d2, now)) : null;
    });
  });

  app.get('/atlas/pays', (req, reply) => {
    const f = parsePaysFiltres(req.query as Query);
    return serve(req, reply, `/pays${filtresQuery(f)}`, (d) => htmlPage(paysListePage(d, f)));
  });
  app.get<{ Params: { param: string } }>('/atlas/pays/:param', async (req, reply) => {
    const code = paysFromParam(req.params.param);
    // A country has a page while at least one partenariat is there.
    if (!code || !PAYS_CODES.has(code) || !(await data.current()).pays.has(code))
      return serve(req, reply, `/pays/?${req.params.param}`, () => null);
    const url = paysUrl(code);
    if (url !== `/atlas/pays/${req.params.param}`) return reply.redirect(url, 301);
    return serve(req, reply, url, (d) => (d.pays.has(code) ? htmlPage(paysPage(d, code)) : null));
  });

  app.get('/atlas/recherche', (req, reply) => {
    const query = req.query as Query;
    const raw = query.q;
    const q = ((Array.isArray(raw) ? raw[0] : raw) ?? '').slice(0, 200);
    const t = query.type;
    const kind = t === 'collectivite' || t === 'partenaire' || t === 'projet' || t === 'pays' ? t : null;
    const p = Number(query.page);
    const pageNo = Number.isInteger(p) && p > 1 && p <= 100_000 ? p : 1;
    return serve(req, reply, `/recherche?${JSON.stringify([q, kind, pageNo])}`, (d) =>
      htmlPage(recherchePage(d, q, kind, pageNo)),
    );
  });

  app.get('/atlas/carte', (req, reply) => {
    const f = parseFiltres(req.query as Query);
    return serve(req, reply, `/carte${filtresQuery(f)}`, (d) => htmlPage(cartePage(d, f)));
  });
  app.get('/atlas/carte/points.json', (req, reply) => {
    const f = { ...parseFiltres(req.query as Query), page: 1 };
    return serve(req, reply, `/carte/points${filtresQuery(f)}`, (d) => ({
      body: pointsJson(d, filterPartenariats(d, f)),
      type: 'application/json; charset=utf-8',
    }));
  });
  let fondEtag: string | null = null;
  app.get('/atlas/carte/fond.json', (req, reply) => {
    const body = fondGeoJson();
    fondEtag ??= `"${hash(body)}"`;
    reply.header('Cache-Control', 'public, max-age=86400').header('ETag', fondEtag);
    if (etagMatches(req.headers['if-none-match'], fondEtag)) return reply.code(304).send();
    return reply.type('application/json; charset=utf-8').send(body);
  });

  app.get('/atlas/sitemap.xml', (req, reply) => {
    const origin = (opts.publicUrl?.() ?? `${req.protocol}://${req.headers.host ?? 'localhost'}`).replace(/\/$/, '');
    return serve(req, reply, `/sitemap.xml@${origin}`, (d) => ({
      body: sitemap(d, origin),
      type: 'application/xml; charset=utf-8',
    }));
  });
  app.get('/robots.txt', (req, reply) => {
    const origin = (opts.publicUrl?.() ?? `${req.protocol}://${req.headers.host ?? 'localhost'}`).replace(/\/$/, '');
    return reply
      .header('Cache-Control', 'public, max-age=3600')
      .type('text/plain; charset=utf-8')
      .send(`User-agent: *\nAllow: /atlas/\nDisallow: /\n\nSitemap: ${origin}/atlas/sitemap.xml\n`);
  });

  const files = staticFiles();
  app.get<{ Params: { '*': string } }>('/atlas/static/*', (req, reply) => {
    const f = files.get(req.params['*']);
    if (!f) return reply.code(404).type('text/plain; charset=utf-8').send('Fichier introuvable.');
    reply.header('Cache-Control', 'public, max-age=3600').header('ETag', f.etag);
    if (etagMatches(req.headers['if-none-match'], f.etag)) return reply.code(304).send();
    return reply.type(f.type).send(f.body);
  });

  // Any other address under /atlas/: the Atlas's own « page introuvable » (not the app).
  app.get('/atlas/*', (req, reply) => serve(req, reply, `/404`, () => null));
}

const xmlEsc = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** Every page of the Atlas worth indexing: home, lists, each collectivité, fiche and country. */
export function sitemapPaths(d: AtlasData): string[] {
  return [
    '/atlas/',
    '/atlas/collectivites',
    '/atlas/projets',
    '/atlas/pays',
    '/atlas/carte',
    ...d.collectivites.map(collectiviteUrl),
    ...d.fiches.map(ficheUrl),
    ...d.paysListe.map((p) => paysUrl(p.code)),
  ];
}

function sitemap(d: AtlasData, origin: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${sitemapPaths(
    d,
  )
    .map((p) => `<url><loc>${xmlEsc(origin + p)}</loc></url>`)
    .join('\n')}\n</urlset>\n`;
}
