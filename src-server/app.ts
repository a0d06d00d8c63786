// The CNCD server's setup: Fastify with the zod schemas of the HTTP contract, compression both ways,
// security headers, one error handler, OpenAPI docs at /api/docs; the routes live in routes/ (accounts,
// sign-in, sync, the update feed), then the app itself for browsers.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import compress from '@fastify/compress';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authEndpoints } from '../src-shared/api/auth';
import { createCollectiviteIndex, type CollectiviteIndex } from '../src-shared/reference/collectivites';
import { SUPPORTED_PROTOCOL_VERSIONS } from '../src-shared/sync/protocol';
import { AuthService, loadOrCreateSecret } from './auth/service';
import { ThrottledError } from './auth/throttle';
import { TokenEpochs, TokenError, verifyAccess } from './auth/tokens';
import type { ServerConfig } from './config';
import { openDb, type Db } from './db/driver';
import { lockWriter } from './db/writerLock';
import { createMailer, type Mailer } from './mail/mailer';
import { JobQueue } from './mail/queue';
import { loadOfficialCollectivites } from './reference/officialCollectivites';
import { updatesRoutes, resolveUpdatesDir } from './routes/updates';
import { SyncService } from './sync/service';
import { loadSigningKey, type ServerSigningKey } from './sync/serverKey';
import { SERVER_KEY_PATH } from '../src-shared/files/snapshot';
import { APP_CSP } from './csp';
import { HttpError } from './httpError';
import { accountRoutes } from './routes/accounts';
import { authRoutes } from './routes/auth';
import { route, type RouteDeps } from './routes/contract';
import { syncRoutes } from './routes/sync';
import { OpenDataStore } from './open-data/files';
import { openDataRoutes } from './open-data/routes';
import { importAtlasRoutes } from './routes/importAtlas';
import { AtlasPublicData } from './atlas-public/donnees';
import { atlasPublicRoutes } from './atlas-public/routes';

// Default zod messages (types, unknown keys…) in French: they reach users through API errors.
z.config(z.locales.fr());

const SERVER_VERSION = '0.1.0';

export interface ServerHandle {
  app: FastifyInstance;
  listen(opts?: { port?: number; host?: string }): Promise<string>;
  close(): Promise<void>;
}

export interface ServerInternals {
  db: Db;
  auth: AuthService;
  sync: SyncService;
  mailer: Mailer;
  /** Work of the account endpoints done after their answer (lookups, tokens, mails). */
  jobs: JobQueue;
  /** The key that signs snapshots and device certificates (sync/serverKey.ts). */
  signingKey: ServerSigningKey;
  /** The open-data files, built per version of the public data. */
  openData: OpenDataStore;
  /** The public records in memory, per data version (the public Atlas's pages read them). */
  atlas: AtlasPublicData;
}

let collectiviteIndex: CollectiviteIndex | null = null;
function getIndex(): CollectiviteIndex {
  collectiviteIndex ??= createCollectiviteIndex(loadOfficialCollectivites());
  return collectiviteIndex;
}

declare module 'fastify' {
  interface FastifyInstance {
    cncd: ServerInternals;
  }
}

export async function createServer(
  config: ServerConfig,
  deps: { mailer?: Mailer; db?: Db } = {},
): Promise<ServerHandle> {
  // One writer per PostgreSQL database (the watermark is this process's): refuse to start beside another.
  const releaseWriter =
    !deps.db && config.databaseUrl
      ? await lockWriter(config.databaseUrl, (e) =>
          console.error(`Connexion du verrou d’écriture PostgreSQL perdue : ${e.message}`),
        )
      : async () => {};
  let db: Db;
  try {
    db =
      deps.db ??
      (await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.dbPoolSize }));
  } catch (e) {
    await releaseWriter();
    throw e;
  }
  const app = Fastify({
    logger: { level: config.logLevel },
    bodyLimit: config.bodyLimit,
    // X-Forwarded-For is believed only from the configured proxies (TRUST_PROXY); by default the
    // client address is the socket's, so nobody can pick their own address to dodge the limits.
    trustProxy: config.trustProxy.length ? config.trustProxy : false,
    return503OnClosing: true,
  }).withTypeProvider<ZodTypeProvider>();

  const secretRow = await db.query<{ value: string }>("SELECT value FROM server_meta WHERE key = 'token_secret'");
  let toWrite: string | null = null;
  const secret = loadOrCreateSecret(
    config.tokenSecret,
    () => secretRow[0]?.value ?? null,
    (s) => {
      toWrite = s;
    },
  );
  if (toWrite)
    await db.query("INSERT INTO server_meta (key, value) VALUES ('token_secret', $1) ON CONFLICT (key) DO NOTHING", [
      toWrite,
    ]);

  const mailer =
    deps.mailer ??
    createMailer({
      smtpUrl: config.smtpUrl,
      mailDir: config.mailDir ?? (config.dataDir ? path.join(config.dataDir, 'mail') : null),
      from: config.mailFrom,
      log: (m) => app.log.info(m),
      announce: config.mailToConsole ? (line) => console.log(`[atlas] ${line}`) : undefined,
    });
  const sync = new SyncService(db);
  await sync.init();
  const signingKey = await loadSigningKey(db, config.signingKey);
  const jobs = new JobQueue((e) => app.log.error({ err: e }, 'account job failed'));
  const epochs = new TokenEpochs(config.accessTtlSeconds);
  await epochs.load(db);
  const auth = new AuthService({
    db,
    secret,
    accessTtlSeconds: config.accessTtlSeconds,
    refreshTtlDays: config.refreshTtlDays,
    publicUrl: config.publicUrl,
    mailer,
    revs: sync.revs,
    index: getIndex,
    onWrite: (cid, region, rev) => sync.marks.touch(cid, region, rev),
    jobs,
    epochs,
    limits: {
      loginFreeTries: config.loginFreeTries,
      loginDelayBaseSeconds: config.loginDelayBaseSeconds,
      loginDelayMaxSeconds: config.loginDelayMaxSeconds,
      mailPerAddressPerHour: config.mailPerAddressPerHour,
      refreshGraceSeconds: config.refreshGraceSeconds,
    },
  });
  const openData = new OpenDataStore(db, {
    watermark: () => sync.revs.watermark(),
    maxStaleMs: config.openDataMaxStaleSeconds * 1000,
  });
  // The public Atlas (no login): pages under /atlas/ built from the public records only (src-shared/public/fields.ts).
  const atlas = new AtlasPublicData(db, sync.revs, (e) => app.log.error({ err: e }, 'public atlas refresh failed'));
  app.decorate('cncd', { db, auth, sync, mailer, jobs, signingKey, openData, atlas });

  app.setValidatorCompiler(validatorCompiler);
  // Responses are typed by the zod schemas at compile time; serialising with JSON.stringify keeps big pulls fast.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof ThrottledError) reply.header('Retry-After', String(err.retryAfterSeconds));
    if (err instanceof HttpError) return reply.code(err.statusCode).send({ code: err.code, message: err.message });
    if (err instanceof TokenError) return reply.code(401).send({ code: err.code, message: err.message });
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation
        .map((v) => ({
          field: (v.instancePath || '/').replace(/^\//, '').replace(/\//g, '.'),
          message: v.message ?? 'Valeur invalide.',
        }))
        .slice(0, 50);
      const first = details[0];
      return reply.code(400).send({
        code: 'VALIDATION',
        message: `Requête invalide${first ? ` : ${first.field ? `${first.field} — ` : ''}${first.message}` : '.'}`,
        details,
      });
    }
    const status = err.statusCode ?? 500;
    if (status === 413 || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send({ code: 'PAYLOAD_TOO_LARGE', message: 'La requête est trop volumineuse.' });
    }
    if (status === 415 || err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.code(415).send({
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: 'Type de contenu non pris en charge : envoyez du JSON (application/json).',
      });
    }
    if (status === 429) {
      return reply
        .code(429)
        .send({ code: 'RATE_LIMITED', message: 'Trop de tentatives : réessayez dans quelques minutes.' });
    }
    if (err.code === 'FST_CP_ERR_INVALID_CONTENT_ENCODING' || err.code === 'FST_CP_ERR_INVALID_CONTENT') {
      return reply.code(status < 500 ? status : 400).send({
        code: 'INVALID_ENCODING',
        message:
          'Le corps compressé de la requête est illisible ou son encodage n’est pas pris en charge (gzip, deflate, br).',
      });
    }
    if (status >= 400 && status < 500) {
      const json =
        err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err instanceof SyntaxError || /JSON/i.test(err.message);
      return reply.code(status).send({
        code: json ? 'INVALID_JSON' : (err.code ?? 'BAD_REQUEST'),
        message: json ? 'Le corps de la requête n’est pas un JSON valide.' : 'Requête invalide.',
      });
    }
    // Last line of defence: a database data exception (class 22: bad text, JSON or number) is bad input.
    // The schemas of src-shared should refuse it first; the log says which one let it through.
    const pgCode = (err as { code?: unknown }).code;
    if (typeof pgCode === 'string' && /^22[0-9A-Z]{3}$/.test(pgCode)) {
      req.log.warn({ err }, 'database refused a value the schemas accepted');
      return reply.code(400).send({
        code: 'INVALID_VALUE',
        message: 'Une valeur envoyée ne peut pas être enregistrée (caractère ou format non autorisé).',
      });
    }
    req.log.error({ err }, 'internal error');
    return reply.code(500).send({
      code: 'INTERNAL',
      message:
        'Erreur interne du serveur : réessayez plus tard. Rien de ce que vous avez envoyé n’est perdu sur votre poste.',
    });
  });

  await app.register(compress, {
    global: true,
    threshold: 512,
    encodings: ['br', 'gzip', 'deflate'],
    requestEncodings: ['br', 'gzip', 'deflate'],
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } },
    zlibOptions: { level: 6 },
  });
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Serveur CNCD — Atlas de la coopération décentralisée',
        description:
          'API du serveur central : comptes, synchronisation en un aller-retour, répertoire des collectivités ; API en lecture seule des données ouvertes de l’Atlas (Licence Ouverte 2.0), sans compte.',
        version: SERVER_VERSION,
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  let shuttingDown = false;
  app.addHook('onSend', async (req, reply, payload) => {
    if (shuttingDown) reply.header('Connection', 'close');
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    if (!req.url.startsWith('/api/docs')) reply.header('X-Frame-Options', 'DENY');
    if (!req.url.startsWith('/api/') && !req.url.startsWith('/updates/'))
      reply.header('Content-Security-Policy', APP_CSP);
    return payload;
  });

  const routeDeps: RouteDeps = {
    authRateLimit: config.authRateLimit,
    publicRateLimit: config.publicRateLimit,
    authenticate(req) {
      const h = req.headers.authorization;
      if (!h || !h.startsWith('Bearer ')) throw new HttpError(401, 'UNAUTHENTICATED', 'Connexion requise.');
      const claims = verifyAccess(secret, h.slice(7).trim());
      // Signed before the account's sessions were ended (logout, disable, reuse, reset): refused like an
      // expired token, so a device refreshes — and learns from the refresh why it cannot, if so.
      if (epochs.revoked(claims.sub, claims.ep)) throw new TokenError('TOKEN_EXPIRED');
      return claims;
    },
  };
  // Every API route comes from the HTTP contract (src-shared/api/endpoints.ts).
  route(app, routeDeps, authEndpoints.health, async () => ({
    status: 'ok' as const,
    version: SERVER_VERSION,
    protocol: [...SUPPORTED_PROTOCOL_VERSIONS],
    database: db.kind,
    time: new Date().toISOString(),
  }));
  authRoutes(app, routeDeps, auth);
  accountRoutes(app, routeDeps, auth, getIndex);
  syncRoutes(app, routeDeps, sync, db, signingKey);
  // The public key that signs snapshots, at its well-known URL (not an API route: no session, read by any
  // app that pins it). Rotating it is rare; an hour of cache is a fair trade.
  app.get(SERVER_KEY_PATH, { schema: { hide: true } }, async (_req, reply) =>
    reply
      .header('Cache-Control', 'public, max-age=3600')
      .header('Access-Control-Allow-Origin', '*')
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(signingKey.document)),
  );
  openDataRoutes(app, routeDeps, db, openData);
  importAtlasRoutes(app, routeDeps, sync, db);

  atlasPublicRoutes(app, {
    data: atlas,
    publicUrl: () => (config.publicUrlExplicit ? config.publicUrl : null),
  });

  await app.register(updatesRoutes, { prefix: '/updates', dir: resolveUpdatesDir(config.dataDir) });

  const appDir = config.appDir && fs.existsSync(path.join(config.appDir, 'index.html')) ? config.appDir : null;
  if (appDir) {
    // Hashed build files never change: cached for a year. The page, the service worker and its manifest
    // are revalidated on each load, so a new version reaches browsers on their next load. The build
    // writes .br/.gz copies (brotli 11), served as they are.
    await app.register(fastifyStatic, {
      root: appDir,
      wildcard: false,
      index: ['index.html'],
      cacheControl: false,
      preCompressed: true,
      setHeaders: (res, file) => {
        const name = path.basename(file).replace(/\.(br|gz)$/, '');
        if (/^(index\.html|sw\.js|sw-manifest\.json)$/.test(name)) res.header('Cache-Control', 'no-cache');
        else if (file.includes(`${path.sep}assets${path.sep}`))
          res.header('Cache-Control', 'public, max-age=31536000, immutable');
        else res.header('Cache-Control', 'public, max-age=3600');
      },
    });
  }
  app.setNotFoundHandler((req, reply) => {
    const url = req.url.split('?')[0] ?? '/';
    if (appDir && req.method === 'GET' && !url.startsWith('/api/') && !url.startsWith('/updates/')) {
      return reply.header('Cache-Control', 'no-cache').sendFile('index.html', appDir);
    }
    return reply.code(404).send({ code: 'NOT_FOUND', message: 'Adresse inconnue sur ce serveur.' });
  });

  let closing: Promise<void> | null = null;
  return {
    app,
    async listen(opts = {}) {
      const address = (await app.listen({ port: opts.port ?? config.port, host: opts.host ?? config.host })).replace(
        '[::1]',
        '127.0.0.1',
      );
      if (!config.publicUrlExplicit) auth.setPublicUrl(address);
      return address;
    },
    close() {
      closing ??= (async () => {
        shuttingDown = true; // responses from now on close their connection
        const closed = app.close(); // stops accepting; in-flight requests finish
        await sync.idle(); // in-flight sync cycles finish their transactions
        await jobs.idle(); // mails promised by answers already sent go out
        app.server.closeIdleConnections();
        const timer = setInterval(() => app.server.closeIdleConnections(), 100);
        try {
          await closed;
        } finally {
          clearInterval(timer);
        }
        await db.close();
        openData.close();
        await releaseWriter();
      })();
      return closing;
    },
  };
}
