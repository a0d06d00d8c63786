// HTTP request/response schemas of the authentication API, shared by the server and the client.
import { z } from 'zod';
import { ROLES } from '../domain/roles';
import { safeString } from '../domain/fields';
import { endpoint } from './endpoint';

// Control characters are refused first: NUL cannot be stored, looked up or mailed to.
const emailField = safeString('Adresse électronique', '« Adresse électronique » est obligatoire.')
  .trim()
  .toLowerCase()
  .min(3, { error: '« Adresse électronique » est obligatoire.' })
  .max(254, { error: '« Adresse électronique » ne peut dépasser 254 caractères.' })
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, {
    error: '« Adresse électronique » n’est pas valide (exemple : prenom.nom@mairie-exemple.fr).',
  });

const PASSWORD_MIN = 12;
export const password = z
  .string({ error: '« Mot de passe » est obligatoire.' })
  .min(PASSWORD_MIN, { error: `Le mot de passe doit comporter au moins ${PASSWORD_MIN} caractères.` })
  .max(200, { error: 'Le mot de passe ne peut dépasser 200 caractères.' });

/** The device a login registers: its id, a name for people, and the Ed25519 public key it generated. */
export const deviceInfo = z.strictObject({
  id: z.uuid({ error: 'Identifiant de poste invalide.' }),
  name: safeString('Nom du poste', 'Le nom du poste est obligatoire.')
    .trim()
    .min(1, { error: 'Le nom du poste est obligatoire.' })
    .max(200, { error: 'Le nom du poste ne peut dépasser 200 caractères.' }),
  /** Base64 of the raw 32-byte Ed25519 public key. */
  publicKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, { error: 'Clé publique du poste invalide (Ed25519, base64).' }),
});
export type DeviceInfo = z.infer<typeof deviceInfo>;

export const loginRequest = z.strictObject({
  email: emailField,
  password: z
    .string({ error: '« Mot de passe » est obligatoire.' })
    .min(1, { error: '« Mot de passe » est obligatoire.' })
    .max(200),
  device: deviceInfo,
});
export type LoginRequest = z.infer<typeof loginRequest>;

// Responses (sessionUser to healthResponse): z.object, as in ../sync/protocol.ts (an older app must
// read a newer server's answers); requests stay strict.
export const sessionUser = z.object({
  id: z.uuid(),
  email: z.string(),
  nom: z.string(),
  role: z.enum(ROLES),
  collectiviteId: z.string().nullable(),
  collectiviteNom: z.string().nullable(),
  region: z.string().nullable(),
});
export type SessionUser = z.infer<typeof sessionUser>;

export const sessionResponse = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  /** Lifetime of the access token, in seconds. */
  accessExpiresIn: z.number().int().positive(),
  user: sessionUser,
  /**
   * At login: the highest change sequence number the server holds from this device for this account. A
   * device whose offline copy was lost continues above it (its next changes are not taken for replays).
   */
  deviceLastSeq: z.number().int().nonnegative().optional(),
});
export type SessionResponse = z.infer<typeof sessionResponse>;

export const refreshRequest = z.strictObject({ refreshToken: z.string().min(10).max(200) });
export type RefreshRequest = z.infer<typeof refreshRequest>;
export const logoutRequest = refreshRequest;

export const meResponse = z.object({
  user: sessionUser,
  device: z.object({ id: z.string(), name: z.string() }).nullable(),
});
export type MeResponse = z.infer<typeof meResponse>;

export const forgotPasswordRequest = z.strictObject({ email: emailField });
export const resetPasswordRequest = z.strictObject({ token: z.string().min(10).max(200), password });

/** Generic acknowledgement with a French message (same answer whether an e-mail exists or not). */
export const okResponse = z.object({ ok: z.literal(true), message: z.string() });
export type OkResponse = z.infer<typeof okResponse>;

export const healthResponse = z.object({
  status: z.literal('ok'),
  version: z.string(),
  protocol: z.array(z.number().int()),
  database: z.enum(['postgres', 'pglite']),
  time: z.string(),
});
export type HealthResponse = z.infer<typeof healthResponse>;

export { emailField };

const SESSION_ERRORS = ['UNAUTHENTICATED', 'TOKEN_EXPIRED', 'TOKEN_INVALID'] as const;

/** The server's state and the sign-in endpoints (see ./endpoints.ts for the whole contract). */
export const authEndpoints = {
  health: endpoint({
    method: 'GET',
    path: '/api/health',
    tag: 'serveur',
    summary: 'État du serveur',
    auth: false,
    response: healthResponse,
    errors: {},
  }),
  login: endpoint({
    method: 'POST',
    path: '/api/v1/auth/login',
    tag: 'comptes',
    summary: 'Connexion (enregistre le poste)',
    auth: false,
    rateLimited: true,
    body: loginRequest,
    response: sessionResponse,
    errors: {
      401: ['INVALID_CREDENTIALS', 'ACCOUNT_DISABLED'],
      403: ['EMAIL_NOT_VERIFIED', 'ACCOUNT_PENDING', 'ACCOUNT_REFUSED', 'ACCOUNT_DISABLED'],
    },
  }),
  refresh: endpoint({
    method: 'POST',
    path: '/api/v1/auth/refresh',
    tag: 'comptes',
    summary: 'Renouvelle la session (jeton tournant)',
    auth: false,
    body: refreshRequest,
    response: sessionResponse,
    errors: { 401: ['SESSION_INVALID', 'SESSION_REVOKED', 'SESSION_EXPIRED', 'ACCOUNT_DISABLED'] },
  }),
  logout: endpoint({
    method: 'POST',
    path: '/api/v1/auth/logout',
    tag: 'comptes',
    summary: 'Déconnexion (révoque la session)',
    auth: false,
    body: logoutRequest,
    response: okResponse,
    errors: {},
  }),
  me: endpoint({
    method: 'GET',
    path: '/api/v1/me',
    tag: 'comptes',
    summary: 'Compte connecté',
    auth: true,
    response: meResponse,
    errors: { 401: [...SESSION_ERRORS, 'SESSION_INVALID'] },
  }),
  forgotPassword: endpoint({
    method: 'POST',
    path: '/api/v1/auth/password/forgot',
    tag: 'comptes',
    summary: 'Mot de passe oublié (courriel)',
    auth: false,
    rateLimited: true,
    body: forgotPasswordRequest,
    response: okResponse,
    errors: {},
  }),
  resetPassword: endpoint({
    method: 'POST',
    path: '/api/v1/auth/password/reset',
    tag: 'comptes',
    summary: 'Nouveau mot de passe (lien du courriel)',
    auth: false,
    rateLimited: true,
    body: resetPasswordRequest,
    response: okResponse,
    errors: { 400: ['TOKEN_INVALID'] },
  }),
};

export { SESSION_ERRORS };
