// The CNCD server: Fastify with the src-shared zod schemas as request types, compression both ways,
// OpenAPI docs at /api/docs, accounts, the one-round-trip sync endpoint, the update feed and the app.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
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
import {
  accountRequest,
  approveParams,
  collectiviteSearchQuery,
  collectiviteSearchResponse,
  disableAccountRequest,
  managedAccountsQuery,
  managedAccountsResponse,
  pendingAccountsResponse,
  verifyQuery,
} from '../src-shared/api/accounts';
import {
  forgotPasswordRequest,
  healthResponse,
  loginRequest,
  logoutRequest,
  meResponse,
  okResponse,
  refreshRequest,
  resetPasswordRequest,
  sessionResponse,
} from '../src-shared/api/auth';
import { createCollectiviteIndex, type CollectiviteIndex } from '../src-shared/reference/collectivites';
import { apiError } from '../src-shared/api/error';
import { SUPPORTED_PROTOCOL_VERSIONS, syncRequest, syncResponse } from '../src-shared/sync/protocol';
import { TokenEpochs } from './auth/epochs';
import { AuthService, loadOrCreateSecret, type AccountActor } from './auth/service';
import { ThrottledError } from './auth/throttle';
import { TokenError, verifyAccess, type AccessClaims } from './auth/tokens';
import type { ServerConfig } from './config';
import { openDb, type Db } from './db/driver';
import { lockWriter } from './db/writerLock';
import { createMailer, type Mailer } from './mail/mailer';
import { JobQueue } from './mail/queue';
import { loadOfficialCollectivites } from './reference/officialCollectivites';
import { updatesRoutes, resolveUpdatesDir } from './routes/updates';
import type { Actor } from './sync/actor';
import { HttpError, SyncService } from './sync/service';
import { DSFR_STYLE_HASHES, IMG_SRC } from '../src-shared/csp';

// Default zod messages (types, unknown keys…) in French: they reach users through API errors.
z.config(z.locales.fr());

const SERVER_VERSION = '0.1.0';

/** Hashes of the one inline <style> the DSFR injects (color scheme), allowed by the CSP. */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  `style-src 'self' ${DSFR_STYLE_HASHES.join(' ')}`,
  IMG_SRC,
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

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
    });
  const sync = new SyncService(db);
  await sync.init();
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
  app.decorate('cncd', { db, auth, sync, mailer, jobs });

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
          'API du serveur central : comptes, synchronisation en un aller-retour, répertoire des collectivités.',
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

  const authRate = { rateLimit: { max: config.authRateLimit, timeWindow: '1 minute' } };

  const authenticate = (req: FastifyRequest): AccessClaims & { lbl?: string } => {
    const h = req.headers.authorization;
    if (!h || !h.startsWith('Bearer ')) throw new HttpError(401, 'UNAUTHENTICATED', 'Connexion requise.');
    const claims = verifyAccess(secret, h.slice(7).trim());
    // Signed before the account's sessions were ended (logout, disable, reuse, reset): refused like an
    // expired token, so a device refreshes — and learns from the refresh why it cannot, if so.
    if (epochs.revoked(claims.sub, claims.ep)) throw new TokenError('TOKEN_EXPIRED');
    return claims;
  };
  const managerOf = (c: AccessClaims & { lbl?: string }): AccountActor => ({
    userId: c.sub,
    deviceId: c.dev,
    role: c.role,
    region: c.reg,
    label: c.lbl ?? c.sub,
  });
  const actorOf = (c: AccessClaims & { lbl?: string }): Actor => ({
    userId: c.sub,
    role: c.role,
    collectiviteId: c.cid,
    region: c.reg,
    deviceId: c.dev,
    label: c.lbl ?? c.sub,
  });
  const errors = { 400: apiError, 401: apiError, 403: apiError, 429: apiError };
  const manageErrors = { ...errors, 404: apiError, 409: apiError };

  app.get(
    '/api/health',
    { schema: { tags: ['serveur'], summary: 'État du serveur', response: { 200: healthResponse } } },
    async () => ({
      status: 'ok' as const,
      version: SERVER_VERSION,
      protocol: [...SUPPORTED_PROTOCOL_VERSIONS],
      database: db.kind,
      time: new Date().toISOString(),
    }),
  );

  app.post(
    '/api/v1/auth/login',
    {
      config: authRate,
      schema: {
        tags: ['comptes'],
        summary: 'Connexion (enregistre le poste)',
        body: loginRequest,
        response: { 200: sessionResponse, ...errors },
      },
    },
    async (req) => auth.login(req.body.email, req.body.password, req.body.device),
  );

  app.post(
    '/api/v1/auth/refresh',
    {
      schema: {
        tags: ['comptes'],
        summary: 'Renouvelle la session (jeton tournant)',
        body: refreshRequest,
        response: { 200: sessionResponse, ...errors },
      },
    },
    async (req) => auth.refresh(req.body.refreshToken),
  );

  app.post(
    '/api/v1/auth/logout',
    {
      schema: {
        tags: ['comptes'],
        summary: 'Déconnexion (révoque la session)',
        body: logoutRequest,
        response: { 200: okResponse, ...errors },
      },
    },
    async (req) => {
      await auth.logout(req.body.refreshToken);
      return { ok: true as const, message: 'Vous êtes déconnecté.' };
    },
  );

  app.get(
    '/api/v1/me',
    {
      schema: {
        tags: ['comptes'],
        summary: 'Compte connecté',
        security: [{ bearer: [] }],
        response: { 200: meResponse, ...errors },
      },
    },
    async (req) => {
      const c = authenticate(req);
      return auth.me(c.sub, c.dev);
    },
  );

  app.post(
    '/api/v1/auth/password/forgot',
    {
      config: authRate,
      schema: {
        tags: ['comptes'],
        summary: 'Mot de passe oublié (courriel)',
        body: forgotPasswordRequest,
        response: { 200: okResponse, ...errors },
      },
    },
    async (req) => ({ ok: true as const, message: await auth.forgot(req.body.email) }),
  );

  app.post(
    '/api/v1/auth/password/reset',
    {
      config: authRate,
      schema: {
        tags: ['comptes'],
        summary: 'Nouveau mot de passe (lien du courriel)',
        body: resetPasswordRequest,
        response: { 200: okResponse, ...errors },
      },
    },
    async (req) => ({ ok: true as const, message: await auth.reset(req.body.token, req.body.password) }),
  );

  app.post(
    '/api/v1/accounts/request',
    {
      config: authRate,
      schema: {
        tags: ['comptes'],
        summary: 'Demande de compte',
        body: accountRequest,
        response: { 202: okResponse, ...errors },
      },
    },
    async (req, reply) => {
      const message = await auth.requestAccount(req.body);
      return reply.code(202).send({ ok: true as const, message });
    },
  );

  // The e-mailed link is opened in a browser: success and failure (expired, reused or truncated link,
  // too many tries) are French pages there; API clients asking for JSON keep the JSON answers.
  const wantsHtml = (req: FastifyRequest) => (req.headers.accept ?? '').includes('text/html');
  const escapeHtml = (t: string) => t.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const verifyPage = (title: string, message: string, next: string) =>
    `<!doctype html><html lang="fr"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} — Atlas hors ligne</title>` +
    `<link rel="stylesheet" href="/dsfr/dsfr.min.css"></head><body><main id="contenu" class="fr-container fr-my-6w">` +
    `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p>${next}</p><p><a class="fr-link" href="/">Retour à l’Atlas hors ligne</a></p>` +
    `</main></body></html>`;
  app.get(
    '/api/v1/accounts/verify',
    {
      config: authRate,
      schema: {
        tags: ['comptes'],
        summary: 'Confirmation de l’adresse (lien du courriel)',
        querystring: verifyQuery,
        response: { 200: okResponse, ...errors },
      },
      errorHandler: (err: FastifyError, req, reply) => {
        // Not a browser: the server's usual JSON errors.
        if (!wantsHtml(req)) throw err;
        const status =
          err instanceof HttpError
            ? err.statusCode
            : hasZodFastifySchemaValidationErrors(err)
              ? 400
              : (err.statusCode ?? 500);
        const [title, message] =
          err instanceof HttpError && err.code === 'TOKEN_INVALID'
            ? ['Lien de confirmation invalide', 'Ce lien de confirmation est invalide, déjà utilisé ou expiré.']
            : status === 400
              ? [
                  'Lien de confirmation incomplet',
                  'Ce lien de confirmation est incomplet : il a peut-être été coupé par votre messagerie.',
                ]
              : status === 429
                ? ['Trop de tentatives', 'Trop de tentatives depuis votre poste : réessayez dans quelques minutes.']
                : [
                    'Confirmation impossible',
                    'Le serveur n’a pas pu confirmer votre adresse pour le moment : réessayez plus tard.',
                  ];
        if (status >= 500) req.log.error(err);
        const next =
          status === 429 || status >= 500
            ? 'Rouvrez ensuite le lien reçu par courriel.'
            : 'Si vous avez déjà ouvert ce lien, votre adresse est confirmée : vous n’avez rien à faire. Sinon, demandez un nouveau lien à qui valide les comptes (un agent de votre collectivité, le SGAR de votre région ou la DAECT).';
        return reply
          .code(status)
          .type('text/html; charset=utf-8')
          .header('Content-Security-Policy', APP_CSP)
          .send(verifyPage(title, message, next) as never);
      },
    },
    async (req, reply) => {
      const message = await auth.verify(req.query.token);
      if (wantsHtml(req)) {
        return reply
          .type('text/html; charset=utf-8')
          .header('Content-Security-Policy', APP_CSP)
          .send(verifyPage('Adresse confirmée', message, 'Vous pouvez fermer cette page.') as never);
      }
      return { ok: true as const, message };
    },
  );

  app.get(
    '/api/v1/accounts/pending',
    {
      schema: {
        tags: ['comptes'],
        summary: 'Demandes de compte à valider (périmètre)',
        security: [{ bearer: [] }],
        response: { 200: pendingAccountsResponse, ...errors },
      },
    },
    async (req) => {
      const c = authenticate(req);
      return { accounts: await auth.pending({ role: c.role, collectiviteId: c.cid, region: c.reg }) };
    },
  );

  app.post(
    '/api/v1/accounts/:id/approve',
    {
      schema: {
        tags: ['comptes'],
        summary: 'Valide une demande de compte',
        security: [{ bearer: [] }],
        params: approveParams,
        response: { 200: okResponse, ...errors },
      },
    },
    async (req) => {
      const c = authenticate(req);
      return {
        ok: true as const,
        message: await auth.approve(
          { userId: c.sub, role: c.role, collectiviteId: c.cid, region: c.reg },
          req.params.id,
        ),
      };
    },
  );

  app.get(
    '/api/v1/accounts',
    {
      schema: {
        tags: ['comptes'],
        summary: 'Comptes gérés (DAECT : tous ; SGAR : agents de la région)',
        security: [{ bearer: [] }],
        querystring: managedAccountsQuery,
        response: { 200: managedAccountsResponse, ...errors },
      },
    },
    async (req) => ({ accounts: await auth.listAccounts(managerOf(authenticate(req)), req.query.q) }),
  );

  app.post(
    '/api/v1/accounts/:id/disable',
    {
      schema: {
        tags: ['comptes'],
        summary: 'Désactive un compte (ferme toutes ses sessions ; motif journalisé)',
        security: [{ bearer: [] }],
        params: approveParams,
        body: disableAccountRequest,
        response: { 200: okResponse, ...manageErrors },
      },
    },
    async (req) => ({
      ok: true as const,
      message: await auth.disable(managerOf(authenticate(req)), req.params.id, req.body.reason),
    }),
  );

  app.post(
    '/api/v1/accounts/:id/enable',
    {
      schema: {
        tags: ['comptes'],
        summary: 'Réactive un compte désactivé',
        security: [{ bearer: [] }],
        params: approveParams,
        response: { 200: okResponse, ...manageErrors },
      },
    },
    async (req) => ({ ok: true as const, message: await auth.enable(managerOf(authenticate(req)), req.params.id) }),
  );

  app.get(
    '/api/v1/reference/collectivites',
    {
      schema: {
        tags: ['référentiel'],
        summary: 'Recherche dans le répertoire officiel des collectivités',
        querystring: collectiviteSearchQuery,
        response: { 200: collectiviteSearchResponse, ...errors },
      },
    },
    async (req) => ({
      results: getIndex()
        .search(req.query.q, req.query.limit)
        .map((h) => ({
          code: h.code,
          nom: h.nom,
          type: h.type,
          departement: h.departement,
          region: h.region,
          codeInsee: h.codeInsee,
          siren: h.siren,
          codesPostaux: h.codesPostaux,
        })),
    }),
  );

  app.post(
    '/api/v1/sync',
    {
      schema: {
        tags: ['synchronisation'],
        summary: 'Un cycle de synchronisation : envoi des modifications et réception de celles du périmètre',
        security: [{ bearer: [] }],
        body: syncRequest,
        response: { 200: syncResponse, ...errors, 409: apiError },
      },
    },
    async (req) => {
      const c = authenticate(req);
      if (!SUPPORTED_PROTOCOL_VERSIONS.includes(req.body.v)) {
        throw new HttpError(
          400,
          'PROTOCOL_VERSION',
          `Version du protocole de synchronisation non prise en charge (${req.body.v}) : mettez à jour l’application.`,
        );
      }
      return sync.sync(actorOf(c), req.body);
    },
  );

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
        await releaseWriter();
      })();
      return closing;
    },
  };
}
