// HTTP request/response schemas of the authentication API, shared by the server and the client.
import { z } from 'zod';
import { ROLES } from '../domain/roles';
import { safeString } from '../domain/safeText';

// Control characters are refused first: NUL cannot be stored, looked up or mailed to.
const emailField = safeString('Courriel', '« Courriel » est obligatoire.')
  .trim()
  .toLowerCase()
  .min(3, { error: '« Courriel » est obligatoire.' })
  .max(254, { error: '« Courriel » ne peut dépasser 254 caractères.' })
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { error: '« Courriel » n’est pas une adresse électronique valide.' });

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
