// Account endpoints: the request and its e-mailed confirmation, the validation or refusal of pending requests,
// disabling and re-enabling accounts (DAECT, SGAR), and the search in the official collectivité directory.
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { accountEndpoints as e } from '../../src-shared/api/accounts';
import type { CollectiviteIndex } from '../../src-shared/reference/collectivites';
import type { AccountActor, AuthService, RequestActor } from '../auth/service';
import { APP_CSP } from '../csp';
import { HttpError } from '../httpError';
import { route, type Claims, type RouteDeps } from './contract';

const managerOf = (c: Claims): AccountActor => ({
  userId: c.sub,
  deviceId: c.dev,
  role: c.role,
  region: c.reg,
  label: c.lbl ?? c.sub,
});
const deciderOf = (c: Claims): RequestActor => ({
  userId: c.sub,
  deviceId: c.dev,
  role: c.role,
  collectiviteId: c.cid,
  region: c.reg,
  label: c.lbl ?? c.sub,
});

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

function verifyErrorPage(err: FastifyError): { status: number; title: string; message: string; next: string } {
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
  const next =
    status === 429 || status >= 500
      ? 'Rouvrez ensuite le lien reçu par courriel.'
      : 'Si vous avez déjà ouvert ce lien, votre adresse est confirmée : vous n’avez rien à faire. Sinon, demandez un nouveau lien à qui valide les comptes (un agent de votre collectivité, le SGAR de votre région ou la DAECT).';
  return { status, title, message, next };
}

export function accountRoutes(
  app: FastifyInstance,
  deps: RouteDeps,
  auth: AuthService,
  directory: () => CollectiviteIndex,
): void {
  route(app, deps, e.requestAccount, async ({ body }) => ({
    ok: true as const,
    message: await auth.requestAccount(body),
  }));

  route(
    app,
    deps,
    e.verifyEmail,
    async ({ query, req, reply }) => {
      const message = await auth.verify(query.token);
      if (!wantsHtml(req)) return { ok: true as const, message };
      return reply
        .type('text/html; charset=utf-8')
        .header('Content-Security-Policy', APP_CSP)
        .send(verifyPage('Adresse confirmée', message, 'Vous pouvez fermer cette page.'));
    },
    {
      errorHandler: (err: FastifyError, req, reply) => {
        // Not a browser: the server's usual JSON errors.
        if (!wantsHtml(req)) throw err;
        const page = verifyErrorPage(err);
        if (page.status >= 500) req.log.error(err);
        return reply
          .code(page.status)
          .type('text/html; charset=utf-8')
          .header('Content-Security-Policy', APP_CSP)
          .send(verifyPage(page.title, page.message, page.next));
      },
    },
  );

  route(app, deps, e.pendingAccounts, async ({ claims }) => ({
    accounts: await auth.pending({ role: claims.role, collectiviteId: claims.cid, region: claims.reg }),
  }));
  route(app, deps, e.approveAccount, async ({ claims, params }) => ({
    ok: true as const,
    message: await auth.approve(deciderOf(claims), params.id),
  }));
  route(app, deps, e.refuseAccount, async ({ claims, params, body }) => ({
    ok: true as const,
    message: await auth.refuse(deciderOf(claims), params.id, body.reason),
  }));
  route(app, deps, e.listAccounts, async ({ claims, query }) => auth.listAccounts(managerOf(claims), query));
  route(app, deps, e.disableAccount, async ({ claims, params, body }) => ({
    ok: true as const,
    message: await auth.disable(managerOf(claims), params.id, body.reason),
  }));
  route(app, deps, e.enableAccount, async ({ claims, params }) => ({
    ok: true as const,
    message: await auth.enable(managerOf(claims), params.id),
  }));

  route(app, deps, e.searchCollectivites, async ({ query }) => ({
    results: directory()
      .search(query.q, query.limit)
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
  }));
}
