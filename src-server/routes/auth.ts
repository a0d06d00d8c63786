// Sign-in endpoints: login (registers the device), refresh, logout, the signed-in account, the
// forgotten-password mail and the reset it links to.
import type { FastifyInstance } from 'fastify';
import { authEndpoints as e } from '../../src-shared/api/auth';
import type { AuthService } from '../auth/service';
import { route, type RouteDeps } from './contract';

export function authRoutes(app: FastifyInstance, deps: RouteDeps, auth: AuthService): void {
  route(app, deps, e.login, ({ body }) => auth.login(body.email, body.password, body.device));
  route(app, deps, e.refresh, ({ body }) => auth.refresh(body.refreshToken));
  route(app, deps, e.logout, async ({ body }) => {
    await auth.logout(body.refreshToken);
    return { ok: true as const, message: 'Vous êtes déconnecté.' };
  });
  route(app, deps, e.me, ({ claims }) => auth.me(claims.sub, claims.dev));
  route(app, deps, e.forgotPassword, async ({ body }) => ({
    ok: true as const,
    message: await auth.forgot(body.email),
  }));
  route(app, deps, e.resetPassword, async ({ body }) => ({
    ok: true as const,
    message: await auth.reset(body.token, body.password),
  }));
}
