// HTTP schemas of account requests, verification and approval, and of the collectivité search.
import { z } from 'zod';
import { COLLECTIVITE_TYPES } from '../domain/collectivite';
import { ROLES } from '../domain/roles';
import { safeString } from '../domain/fields';
import { emailField, okResponse, password, SESSION_ERRORS } from './auth';
import { endpoint } from './endpoint';

export const accountRequest = z.strictObject({
  email: emailField,
  nom: safeString('Nom', '« Nom » est obligatoire.').trim().min(1, { error: '« Nom » est obligatoire.' }).max(200),
  fonction: safeString('Fonction', '« Fonction » est obligatoire.')
    .trim()
    .min(1, { error: '« Fonction » est obligatoire.' })
    .max(200),
  collectiviteCode: safeString('Collectivité', '« Collectivité » est obligatoire.').min(3).max(40),
  password,
});
export type AccountRequest = z.infer<typeof accountRequest>;

export const verifyQuery = z.strictObject({ token: z.string().min(10).max(200) });

// Responses: z.object, as in ../sync/protocol.ts (an older app must read a newer server's answers).
export const pendingAccount = z.object({
  id: z.uuid(),
  email: z.string(),
  nom: z.string(),
  fonction: z.string(),
  role: z.enum(ROLES),
  collectiviteId: z.string().nullable(),
  collectiviteNom: z.string().nullable(),
  region: z.string().nullable(),
  emailVerified: z.boolean(),
  requestedAt: z.string(),
});
export type PendingAccount = z.infer<typeof pendingAccount>;
export const pendingAccountsResponse = z.object({ accounts: z.array(pendingAccount) });

export const approveParams = z.strictObject({ id: z.uuid({ error: 'Identifiant de compte invalide.' }) });

export const collectiviteSearchQuery = z.strictObject({
  q: z.string().trim().min(1, { error: 'Saisissez au moins un caractère.' }).max(100),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
const collectiviteSearchHit = z.object({
  code: z.string(),
  nom: z.string(),
  type: z.enum(COLLECTIVITE_TYPES),
  departement: z.string().nullable(),
  region: z.string().nullable(),
  codeInsee: z.string().nullable(),
  siren: z.string().nullable(),
  codesPostaux: z.array(z.string()),
});
export const collectiviteSearchResponse = z.object({ results: z.array(collectiviteSearchHit) });
export type CollectiviteSearchResponse = z.infer<typeof collectiviteSearchResponse>;

/**
 * States of an account, as the server has them: an account request whose address is not confirmed yet,
 * confirmed and waiting for its approval, approved (active), refused (the row stays, with its reason),
 * disabled (approved, then disabled).
 */
export const ACCOUNT_STATES = ['email_a_verifier', 'a_approuver', 'approuve', 'refuse', 'desactive'] as const;
export type AccountState = (typeof ACCOUNT_STATES)[number];
/** What the caller may do on an account of the list (the server's rules, said once, so the screen offers no more). */
export const ACCOUNT_ACTIONS = ['approuver', 'refuser', 'desactiver', 'reactiver'] as const;
export type AccountAction = (typeof ACCOUNT_ACTIONS)[number];
export const ACCOUNT_SORTS = ['nom', 'etat', 'role', 'collectivite', 'creation', 'synchro'] as const;
export type AccountSort = (typeof ACCOUNT_SORTS)[number];
export const ACCOUNTS_PAGE_MAX = 200;

/**
 * Accounts of the caller's scope: DAECT, all; SGAR, the agents of its région's collectivités (accounts and
 * requests) and the SGAR of its région. An agent lists none.
 */
export const managedAccount = z.object({
  id: z.uuid(),
  email: z.string(),
  nom: z.string(),
  fonction: z.string(),
  role: z.enum(ROLES),
  collectiviteNom: z.string().nullable(),
  region: z.string().nullable(),
  disabled: z.boolean(),
  disabledReason: z.string().nullable(),
  disabledAt: z.string().nullable(),
  /** The signed-in person's own account (never disabled from here). */
  self: z.boolean(),
  etat: z.enum(ACCOUNT_STATES),
  /** Official code of the collectivité (or of the one requested, before approval). */
  collectiviteCode: z.string().nullable(),
  refusedReason: z.string().nullable(),
  createdAt: z.string(),
  /** Last sync cycle any device of the account completed (recorded at most once a minute per device). */
  lastSyncAt: z.string().nullable(),
  actions: z.array(z.enum(ACCOUNT_ACTIONS)),
});
export type ManagedAccount = z.infer<typeof managedAccount>;
export const managedAccountsResponse = z.object({
  accounts: z.array(managedAccount),
  /** Accounts matching the search and filters (all pages). */
  total: z.number().int(),
  offset: z.number().int(),
  limit: z.number().int(),
});
export type ManagedAccountsResponse = z.infer<typeof managedAccountsResponse>;
export const managedAccountsQuery = z.strictObject({
  /** Name, address, collectivité (name or code). */
  q: safeString('Recherche').trim().max(100).optional(),
  /** Absent: the approved accounts (active or disabled), as older apps expect; `tous`: every state. */
  etat: z.enum([...ACCOUNT_STATES, 'tous']).optional(),
  role: z.enum(ROLES).optional(),
  tri: z.enum(ACCOUNT_SORTS).default('nom'),
  ordre: z.enum(['asc', 'desc']).default('asc'),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(ACCOUNTS_PAGE_MAX).default(ACCOUNTS_PAGE_MAX),
});
export type ManagedAccountsQuery = z.input<typeof managedAccountsQuery>;

export const DISABLE_REASON_MAX = 500;
export const disableAccountRequest = z.strictObject({
  reason: safeString('Motif', '« Motif » est obligatoire.')
    .trim()
    .min(3, { error: 'Indiquez le motif de la désactivation (au moins 3 caractères).' })
    .max(DISABLE_REASON_MAX, { error: `Le motif ne peut dépasser ${DISABLE_REASON_MAX} caractères.` }),
});
export type DisableAccountRequest = z.infer<typeof disableAccountRequest>;

/** Refusing an account request: the reason is mailed to its author and kept with the request (audit). */
export const REFUSE_REASON_MAX = 500;
export const refuseAccountRequest = z.strictObject({
  reason: safeString('Motif', '« Motif du refus » est obligatoire.')
    .trim()
    .min(3, { error: 'Indiquez le motif du refus (au moins 3 caractères) : il est envoyé à l’auteur de la demande.' })
    .max(REFUSE_REASON_MAX, { error: `Le motif ne peut dépasser ${REFUSE_REASON_MAX} caractères.` }),
});
export type RefuseAccountRequest = z.infer<typeof refuseAccountRequest>;

/** Account requests and their validation, account management, the collectivité directory. */
export const accountEndpoints = {
  requestAccount: endpoint({
    method: 'POST',
    path: '/api/v1/accounts/request',
    tag: 'comptes',
    summary: 'Demande de compte',
    auth: false,
    rateLimited: true,
    body: accountRequest,
    response: okResponse,
    status: 202,
    errors: { 400: ['UNKNOWN_COLLECTIVITE'] },
  }),
  verifyEmail: endpoint({
    method: 'GET',
    path: '/api/v1/accounts/verify',
    tag: 'comptes',
    summary: 'Confirmation de l’adresse (lien du courriel ; page HTML pour un navigateur)',
    auth: false,
    rateLimited: true,
    query: verifyQuery,
    response: okResponse,
    errors: { 400: ['TOKEN_INVALID'] },
  }),
  pendingAccounts: endpoint({
    method: 'GET',
    path: '/api/v1/accounts/pending',
    tag: 'comptes',
    summary: 'Demandes de compte à valider (périmètre)',
    auth: true,
    response: pendingAccountsResponse,
    errors: { 401: SESSION_ERRORS },
  }),
  approveAccount: endpoint({
    method: 'POST',
    path: '/api/v1/accounts/:id/approve',
    tag: 'comptes',
    summary: 'Valide une demande de compte',
    auth: true,
    params: approveParams,
    response: okResponse,
    errors: { 401: SESSION_ERRORS, 404: ['NOT_FOUND'], 409: ['EMAIL_NOT_VERIFIED', 'ACCOUNT_REFUSED'] },
  }),
  refuseAccount: endpoint({
    method: 'POST',
    path: '/api/v1/accounts/:id/refuse',
    tag: 'comptes',
    summary: 'Refuse une demande de compte (motif envoyé par courriel à son auteur)',
    auth: true,
    params: approveParams,
    body: refuseAccountRequest,
    response: okResponse,
    errors: { 401: SESSION_ERRORS, 404: ['NOT_FOUND'], 409: ['ACCOUNT_APPROVED', 'ACCOUNT_REFUSED'] },
  }),
  listAccounts: endpoint({
    method: 'GET',
    path: '/api/v1/accounts',
    tag: 'comptes',
    summary:
      'Comptes du périmètre, paginés (DAECT : tous ; SGAR : agents et SGAR de la région) ; recherche, filtres, tri',
    auth: true,
    query: managedAccountsQuery,
    response: managedAccountsResponse,
    errors: { 401: SESSION_ERRORS, 403: ['FORBIDDEN'] },
  }),
  disableAccount: endpoint({
    method: 'POST',
    path: '/api/v1/accounts/:id/disable',
    tag: 'comptes',
    summary: 'Désactive un compte (ferme toutes ses sessions ; motif journalisé)',
    auth: true,
    params: approveParams,
    body: disableAccountRequest,
    response: okResponse,
    errors: { 401: SESSION_ERRORS, 403: ['FORBIDDEN'], 404: ['NOT_FOUND'], 409: ['OWN_ACCOUNT'] },
  }),
  enableAccount: endpoint({
    method: 'POST',
    path: '/api/v1/accounts/:id/enable',
    tag: 'comptes',
    summary: 'Réactive un compte désactivé',
    auth: true,
    params: approveParams,
    response: okResponse,
    errors: { 401: SESSION_ERRORS, 403: ['FORBIDDEN'], 404: ['NOT_FOUND'] },
  }),
  searchCollectivites: endpoint({
    method: 'GET',
    path: '/api/v1/reference/collectivites',
    tag: 'référentiel',
    summary: 'Recherche dans le répertoire officiel des collectivités',
    auth: false,
    query: collectiviteSearchQuery,
    response: collectiviteSearchResponse,
    errors: {},
  }),
};
