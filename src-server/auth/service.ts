// Accounts, sessions and devices: login (throttled per account), rotating refresh tokens with a grace
// period and reuse detection, account requests with e-mail verification and approval, password reset,
// disabling and re-enabling accounts.
import crypto from 'node:crypto';
import type { Role } from '../../src-shared/domain/roles';
import type {
  AccountAction,
  AccountRequest,
  AccountSort,
  AccountState,
  ManagedAccountsResponse,
  PendingAccount,
} from '../../src-shared/api/accounts';
import type { DeviceInfo, SessionResponse, SessionUser } from '../../src-shared/api/auth';
import type { CollectiviteIndex } from '../../src-shared/reference/collectivites';
import { collectiviteId as collectiviteIdOf, newId } from '../../src-shared/sync/ids';
import type { Db, Queryable } from '../db/driver';
import type { Mailer } from '../mail/mailer';
import type { JobQueue } from '../mail/queue';
import { HttpError } from '../httpError';
import type { RevAllocator } from '../sync/revs';
import { dummyHash, hashPassword, verifyPassword } from './passwords';
import type { TokenEpochs } from './tokens';
import { openSuccessor, sealSuccessor } from './successorBox';
import { FailureThrottle, keyOf, ThrottledError, toSeconds, WindowLimit } from './throttle';
import { hashToken, randomToken, signAccess, verifyAccess, type AccessClaims } from './tokens';

interface UserRow {
  id: string;
  email: string;
  nom: string;
  fonction: string;
  password_hash: string;
  role: Role;
  collectivite_id: string | null;
  region: string | null;
  email_verified_at: unknown;
  approved_at: unknown;
  disabled_at: unknown;
  disabled_reason: string | null;
  refused_at: unknown;
  refused_reason: string | null;
  token_epoch: number;
  requested_collectivite_code: string | null;
  collectivite_nom: string | null;
  /** Région of the collectivité, or of the one requested (pending account requests). */
  collectivite_region: string | null;
  /** The collectivité, or the one requested: what the scope of an agent or SGAR is matched on. */
  scope_cid: string | null;
  created_at: unknown;
}

const USER_SQL = `SELECT u.*, c."nom" AS collectivite_nom, coalesce(c."region", u.requested_region) AS collectivite_region,
  coalesce(u.collectivite_id, u.requested_collectivite_id) AS scope_cid
  FROM users u LEFT JOIN collectivite c ON c."id" = coalesce(u.collectivite_id, u.requested_collectivite_id)`;
/**
 * One address may have several rows: refused requests are kept (audit) and the address may ask again.
 * By address, the account that is not refused comes first, then the latest refused request.
 */
const BY_EMAIL = 'u.email = $1 ORDER BY u.refused_at IS NOT NULL, u.refused_at DESC LIMIT 1';

/** A row of the account list: the account, its collectivité (or the one requested), its state, its last sync. */
interface ListRow {
  id: string;
  email: string;
  nom: string;
  fonction: string;
  role: Role;
  sgar_region: string | null;
  disabled_at: unknown;
  disabled_reason: string | null;
  refused_reason: string | null;
  created_at: unknown;
  approved_at: unknown;
  collectivite_nom: string | null;
  collectivite_code: string | null;
  collectivite_region: string | null;
  etat: AccountState;
  last_sync_at: unknown;
}
const LIST_SQL = `SELECT u.id, u.email, u.nom, u.fonction, u.role, u.region AS sgar_region, u.disabled_at, u.disabled_reason,
  u.refused_reason, u.created_at, u.approved_at, c."nom" AS collectivite_nom,
  coalesce(c."code", u.requested_collectivite_code) AS collectivite_code,
  coalesce(c."region", u.requested_region) AS collectivite_region,
  CASE WHEN u.refused_at IS NOT NULL THEN 'refuse' WHEN u.disabled_at IS NOT NULL THEN 'desactive'
    WHEN u.approved_at IS NOT NULL THEN 'approuve' WHEN u.email_verified_at IS NOT NULL THEN 'a_approuver'
    ELSE 'email_a_verifier' END AS etat,
  (SELECT max(d.last_sync_at) FROM devices d WHERE d.user_id = u.id) AS last_sync_at
  FROM users u LEFT JOIN collectivite c ON c."id" = coalesce(u.collectivite_id, u.requested_collectivite_id)`;
// Search and name sort ignore case, accents and hyphens: « saint brieuc » finds « Saint-Brieuc ».
const ACCENTS = "àâäáãåéèêëíìîïóòôöõúùûüýÿçñ-’'";
const PLAIN = 'aaaaaaeeeeiiiiooooouuuuyycn   ';
const foldSql = (col: string) => `translate(lower(${col}), '${ACCENTS.replace(/'/g, "''")}', '${PLAIN}')`;
export const normalizeSearch = (q: string) =>
  q
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[-’']/g, ' ')
    .trim();
const SORT_SQL: Record<AccountSort, string> = {
  nom: foldSql('a.nom'),
  etat: `array_position(ARRAY['email_a_verifier','a_approuver','approuve','desactive','refuse'], a.etat)`,
  role: 'a.role',
  collectivite: foldSql('a.collectivite_nom'),
  creation: 'a.created_at',
  synchro: 'a.last_sync_at',
};
export interface ManagedAccountsFilter {
  q?: string | undefined;
  etat?: AccountState | 'tous' | undefined;
  role?: Role | undefined;
  tri: AccountSort;
  ordre: 'asc' | 'desc';
  offset: number;
  limit: number;
}

export interface AuthOptions {
  db: Db;
  secret: Buffer;
  accessTtlSeconds: number;
  refreshTtlDays: number;
  publicUrl: string;
  mailer: Mailer;
  revs: RevAllocator;
  index: () => CollectiviteIndex;
  /** A record was written outside the sync (scope marks of the pull). */
  onWrite?: (collectiviteId: string, region: string | null, rev: number) => void;
  /** Lookups and mails of the account endpoints run here, after the answer. */
  jobs: JobQueue;
  epochs: TokenEpochs;
  limits: {
    loginFreeTries: number;
    loginDelayBaseSeconds: number;
    loginDelayMaxSeconds: number;
    mailPerAddressPerHour: number;
    refreshGraceSeconds: number;
  };
}

/** Who decides on an account request (approve, refuse): a signed-in agent, SGAR or DAECT. */
export interface RequestActor {
  userId: string;
  deviceId: string | null;
  role: Role;
  collectiviteId: string | null;
  region: string | null;
  label: string;
}

/** Who manages an account: a signed-in DAECT or SGAR, or the command line on the server. */
export interface AccountActor {
  userId: string | null;
  deviceId: string | null;
  role: Role | 'cli';
  region: string | null;
  label: string;
}

const INVALID_LOGIN = () => new HttpError(401, 'INVALID_CREDENTIALS', 'Courriel ou mot de passe incorrect.');
const SAME_ANSWER_REQUEST =
  'Si la demande est recevable, un courriel de confirmation vient d’être envoyé à cette adresse. Suivez le lien qu’il contient.';
const SAME_ANSWER_FORGOT =
  'Si un compte existe avec cette adresse, un courriel contenant un lien de réinitialisation vient de lui être envoyé.';
const disabledError = (status: 401 | 403, reason: string | null) =>
  new HttpError(
    status,
    'ACCOUNT_DISABLED',
    `Votre compte a été désactivé${reason ? ` (motif : ${reason})` : ''}. Vos données et vos modifications restent sur ce poste ; ` +
      'pour le réactiver, adressez-vous au SGAR de votre région ou à la DAECT.',
  );
const alreadyRefused = (who: string) =>
  new HttpError(409, 'ACCOUNT_REFUSED', `La demande de ${who} a déjà été refusée : rien n’a changé.`);
const refusedError = (reason: string | null) =>
  new HttpError(
    403,
    'ACCOUNT_REFUSED',
    `Votre demande de compte a été refusée${reason ? ` (motif : ${reason})` : ''}. ` +
      'Pour en savoir plus, adressez-vous à la personne nommée dans le courriel qui vous l’a annoncé, au SGAR de votre région ou à la DAECT. ' +
      'Vous pouvez faire une nouvelle demande avec la même adresse.',
  );
/** Who examined a request, and whom else to ask, as its author reads them in the refusal mail. */
const REFUSER_ROLE: Record<Role, (collectivite: string | null) => { who: string; orElse: string }> = {
  agent: (c) => ({ who: c ? `agent de ${c}` : 'agent de votre collectivité', orElse: ', ou au SGAR de votre région' }),
  sgar: () => ({ who: 'SGAR de votre région', orElse: ', ou à la DAECT' }),
  daect: () => ({
    who: 'de la DAECT (Délégation pour l’action extérieure des collectivités territoriales)',
    orElse: '',
  }),
};

export class AuthService {
  private readonly loginFailures: FailureThrottle;
  private readonly mailsPerAddress: WindowLimit;

  constructor(private readonly o: AuthOptions) {
    this.loginFailures = new FailureThrottle({
      freeTries: o.limits.loginFreeTries,
      baseMs: o.limits.loginDelayBaseSeconds * 1000,
      maxMs: o.limits.loginDelayMaxSeconds * 1000,
    });
    this.mailsPerAddress = new WindowLimit({ max: o.limits.mailPerAddressPerHour, windowMs: 3600_000 });
  }

  /** Base URL of the links in mails (set to the listening address when PUBLIC_URL is not given). */
  setPublicUrl(url: string) {
    this.o.publicUrl = url.replace(/\/+$/, '');
  }

  get epochs(): TokenEpochs {
    return this.o.epochs;
  }

  private toSessionUser(u: UserRow): SessionUser {
    return {
      id: u.id,
      email: u.email,
      nom: u.nom,
      role: u.role,
      collectiviteId: u.collectivite_id,
      collectiviteNom: u.collectivite_nom,
      region: u.role === 'sgar' ? u.region : u.collectivite_region,
    };
  }

  private async userBy(where: string, param: unknown, q: Queryable = this.o.db): Promise<UserRow | undefined> {
    return (await q.query<UserRow & Record<string, unknown>>(`${USER_SQL} WHERE ${where}`, [param]))[0];
  }

  private async issue(
    q: Queryable,
    u: UserRow,
    device: { id: string; name: string },
    familyId: string,
  ): Promise<SessionResponse> {
    const refreshToken = randomToken();
    await q.query(
      `INSERT INTO refresh_tokens (id, user_id, device_id, family_id, token_hash, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(days => $6))`,
      [newId(), u.id, device.id, familyId, hashToken(refreshToken), this.o.refreshTtlDays],
    );
    const user = this.toSessionUser(u);
    const claims: AccessClaims & { lbl: string } = {
      sub: u.id,
      role: u.role,
      cid: u.collectivite_id,
      reg: user.region,
      dev: device.id,
      exp: Math.floor(Date.now() / 1000) + this.o.accessTtlSeconds,
      ep: Number(u.token_epoch ?? 0),
      lbl: `${u.nom} (${device.name})`.slice(0, 200),
    };
    return {
      accessToken: signAccess(this.o.secret, claims),
      refreshToken,
      accessExpiresIn: this.o.accessTtlSeconds,
      user,
    };
  }

  /** Mails to one address (reset, account request): limited per address, whether it has an account or not. */
  private takeMailSlot(kind: string, email: string, what: string): void {
    const wait = this.mailsPerAddress.take(keyOf(kind, email.toLowerCase()));
    if (wait > 0) throw new ThrottledError(toSeconds(wait), what);
  }

  async login(emailIn: string, password: string, device: DeviceInfo): Promise<SessionResponse> {
    const email = emailIn.toLowerCase();
    // A device that already signed in to this account keeps a counter of its own: an attacker failing
    // on the address (who cannot know the device's id and key) never locks the owner's devices out.
    const known =
      (
        await this.o.db.query(
          'SELECT 1 FROM devices d JOIN users u ON u.id = d.user_id WHERE u.email = $1 AND d.id = $2 AND d.public_key = $3',
          [email, device.id, device.publicKey],
        )
      ).length > 0;
    const key = known ? keyOf('login', email, device.id) : keyOf('login', email);
    const wait = this.loginFailures.waitMs(key);
    if (wait > 0) throw new ThrottledError(toSeconds(wait), 'Trop d’essais de mot de passe pour cette adresse');
    const u = await this.userBy(BY_EMAIL, email);
    if (!u) {
      await verifyPassword(await dummyHash(), password); // same time whether the account exists or not
      this.loginFailures.fail(key);
      throw INVALID_LOGIN();
    }
    if (!(await verifyPassword(u.password_hash, password))) {
      this.loginFailures.fail(key);
      throw INVALID_LOGIN();
    }
    this.loginFailures.succeed(key);
    if (u.disabled_at) throw disabledError(403, u.disabled_reason);
    if (u.refused_at) throw refusedError(u.refused_reason);
    if (!u.email_verified_at) {
      throw new HttpError(
        403,
        'EMAIL_NOT_VERIFIED',
        'Votre adresse électronique n’est pas encore confirmée : suivez le lien du courriel reçu.',
      );
    }
    if (!u.approved_at) {
      throw new HttpError(
        403,
        'ACCOUNT_PENDING',
        'Votre compte attend sa validation (par un agent de votre collectivité, le SGAR de votre région ou la DAECT).',
      );
    }
    return this.o.db.transaction(async (tx) => {
      const rows = await tx.query<{ last_seq: number | string }>(
        `INSERT INTO devices (user_id, id, name, public_key) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, id) DO UPDATE SET name = EXCLUDED.name, public_key = EXCLUDED.public_key, last_seen_at = now()
         RETURNING last_seq`,
        [u.id, device.id, device.name, device.publicKey],
      );
      // A device whose offline copy was lost keeps its id (its key is kept apart) but not its sequence
      // counter: it continues above what the server already received from it.
      return { ...(await this.issue(tx, u, device, newId())), deviceLastSeq: Number(rows[0]?.last_seq ?? 0) };
    });
  }

  /**
   * Rotates a refresh token. A rotated token presented again within the grace period (a lost answer,
   * two windows at once) gets the same new pair, as long as that pair was not used itself; later, or
   * after, it is token reuse: the family is revoked and every access token of the account refused.
   */
  async refresh(token: string): Promise<SessionResponse> {
    const hash = hashToken(token);
    let bump: string | null = null;
    const outcome = await this.o.db.transaction(
      async (tx): Promise<{ error: HttpError } | { session: SessionResponse }> => {
        const rows = await tx.query<{
          id: string;
          user_id: string;
          device_id: string;
          family_id: string;
          rotated_at: unknown;
          revoked_at: unknown;
          expired: boolean;
          in_grace: boolean;
          successor_box: string | null;
        }>(
          `SELECT id, user_id, device_id, family_id, rotated_at, revoked_at, expires_at < now() AS expired, successor_box,
           (rotated_at IS NOT NULL AND rotated_at > now() - make_interval(secs => $2)) AS in_grace
         FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
          [hash, this.o.limits.refreshGraceSeconds],
        );
        const t = rows[0];
        if (!t) return { error: new HttpError(401, 'SESSION_INVALID', 'Session inconnue : reconnectez-vous.') };
        const u = await this.userBy('u.id = $1', t.user_id, tx);
        if (u?.disabled_at) return { error: disabledError(401, u.disabled_reason) };
        if (t.revoked_at)
          return { error: new HttpError(401, 'SESSION_REVOKED', 'Cette session a été fermée : reconnectez-vous.') };
        if (t.rotated_at) {
          const again = t.in_grace && t.successor_box ? openSuccessor(this.o.secret, token, t.successor_box) : null;
          if (again && u) {
            const next = (
              await tx.query<{ rotated_at: unknown; revoked_at: unknown }>(
                'SELECT rotated_at, revoked_at FROM refresh_tokens WHERE token_hash = $1',
                [hashToken(again.refreshToken)],
              )
            )[0];
            if (next && !next.rotated_at && !next.revoked_at) {
              const exp = verifyAccess(this.o.secret, again.accessToken, 0).exp;
              return {
                session: {
                  ...again,
                  accessExpiresIn: Math.max(1, exp - Math.floor(Date.now() / 1000)),
                  user: this.toSessionUser(u),
                },
              };
            }
          }
          // A rotated token used again: stolen or replayed. Close the whole family and its access tokens.
          await tx.query('UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL', [
            t.family_id,
          ]);
          bump = t.user_id;
          return {
            error: new HttpError(
              401,
              'SESSION_REVOKED',
              'Cette session a été fermée par sécurité (jeton déjà utilisé) : reconnectez-vous.',
            ),
          };
        }
        if (t.expired)
          return { error: new HttpError(401, 'SESSION_EXPIRED', 'Votre session a expiré : reconnectez-vous.') };
        if (!u || !u.approved_at)
          return { error: new HttpError(401, 'SESSION_REVOKED', 'Ce compte n’est plus actif.') };
        const dev = (
          await tx.query<{ name: string }>('SELECT name FROM devices WHERE user_id = $1 AND id = $2', [
            u.id,
            t.device_id,
          ])
        )[0];
        const session = await this.issue(tx, u, { id: t.device_id, name: dev?.name ?? 'poste' }, t.family_id);
        await tx.query('UPDATE refresh_tokens SET rotated_at = now(), successor_box = $2 WHERE id = $1', [
          t.id,
          sealSuccessor(this.o.secret, token, { accessToken: session.accessToken, refreshToken: session.refreshToken }),
        ]);
        return { session };
      },
    );
    if (bump) await this.o.epochs.bump(this.o.db, bump);
    if ('error' in outcome) throw outcome.error;
    return outcome.session;
  }

  /** Ends this device's session; every access token of the account is refused (other devices refresh theirs). */
  async logout(token: string): Promise<void> {
    const rows = await this.o.db.query<{ family_id: string; user_id: string }>(
      'SELECT family_id, user_id FROM refresh_tokens WHERE token_hash = $1',
      [hashToken(token)],
    );
    if (!rows[0]) return;
    await this.o.db.query('UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL', [
      rows[0].family_id,
    ]);
    await this.o.epochs.bump(this.o.db, rows[0].user_id);
  }

  async me(
    userId: string,
    deviceId: string,
  ): Promise<{ user: SessionUser; device: { id: string; name: string } | null }> {
    const u = await this.userBy('u.id = $1', userId);
    if (!u) throw new HttpError(401, 'SESSION_INVALID', 'Compte inconnu : reconnectez-vous.');
    const d = (
      await this.o.db.query<{ id: string; name: string }>(
        'SELECT id, name FROM devices WHERE user_id = $1 AND id = $2',
        [userId, deviceId],
      )
    )[0];
    return { user: this.toSessionUser(u), device: d ? { id: d.id, name: d.name } : null };
  }

  /** Makes sure the collectivité of an official code has its row (created from the official register). */
  async ensureCollectivite(code: string): Promise<string> {
    const off = this.o.index().byCode(code);
    if (!off)
      throw new HttpError(
        400,
        'UNKNOWN_COLLECTIVITE',
        'Cette collectivité ne figure pas dans le répertoire officiel : choisissez-la dans la liste.',
      );
    const id = collectiviteIdOf(off.code);
    const exists = await this.o.db.query('SELECT 1 FROM collectivite WHERE "id" = $1', [id]);
    if (exists.length) return id;
    await this.o.revs.track(async (rev) => {
      this.o.onWrite?.(id, off.region, rev);
      return this.o.db.query(
        `INSERT INTO collectivite ("id", "code", "nom", "type", "departement", "region", "codePostal", sync_rev, created_rev, scope_region, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $6, 'Répertoire officiel') ON CONFLICT ("id") DO NOTHING`,
        [id, off.code, off.nom, off.type, off.departement, off.region, off.codesPostaux[0] ?? null, rev],
      );
    });
    return id;
  }

  private async emailToken(userId: string, purpose: 'verify' | 'reset', hours: number): Promise<string> {
    const token = randomToken();
    await this.o.db.query(
      'INSERT INTO email_tokens (token_hash, user_id, purpose, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4))',
      [hashToken(token), userId, purpose, hours],
    );
    return token;
  }

  /**
   * An account request answers at once and alike for every address; the lookup, the password hash,
   * the account row and the mail come after the answer. No collectivité row is created before approval.
   */
  async requestAccount(req: AccountRequest): Promise<string> {
    const off = this.o.index().byCode(req.collectiviteCode);
    if (!off)
      throw new HttpError(
        400,
        'UNKNOWN_COLLECTIVITE',
        'Cette collectivité ne figure pas dans le répertoire officiel : choisissez-la dans la liste.',
      );
    this.takeMailSlot('request', req.email, 'Trop de demandes de compte pour cette adresse');
    this.o.jobs.enqueue(() => this.processAccountRequest(req, off.code, off.region));
    return SAME_ANSWER_REQUEST;
  }

  private async processAccountRequest(req: AccountRequest, code: string, region: string | null): Promise<void> {
    const hash = await hashPassword(req.password); // for both cases: the same work whether the address has an account or not
    // A refused request does not count: the address may ask again (a new row; the refused one stays).
    const existing = await this.userBy('u.email = $1 AND u.refused_at IS NULL', req.email);
    if (existing) {
      // The owner of the address is told, and nothing else happens.
      await this.o.mailer.send({
        to: req.email,
        subject: 'Atlas de la coopération décentralisée : demande de compte',
        text:
          `Bonjour,\n\nUne demande de compte vient d’être faite avec votre adresse, qui a déjà un compte sur l’Atlas.\n` +
          `Si vous avez oublié votre mot de passe, utilisez « Mot de passe oublié » : ${this.o.publicUrl}/\n\n` +
          'Si vous n’êtes pas à l’origine de cette demande, ignorez ce message.\n',
      });
      return;
    }
    const id = newId();
    const inserted = await this.o.db.query(
      `INSERT INTO users (id, email, nom, fonction, password_hash, role, requested_collectivite_code, requested_collectivite_id, requested_region)
       VALUES ($1, $2, $3, $4, $5, 'agent', $6, $7, $8) ON CONFLICT (email) WHERE refused_at IS NULL DO NOTHING RETURNING id`,
      [id, req.email, req.nom, req.fonction, hash, code, collectiviteIdOf(code), region],
    );
    if (!inserted.length) return;
    const token = await this.emailToken(id, 'verify', 72);
    await this.o.mailer.send({
      to: req.email,
      subject: 'Atlas de la coopération décentralisée : confirmez votre adresse',
      text:
        `Bonjour ${req.nom},\n\nPour confirmer votre adresse électronique et votre demande de compte, ouvrez ce lien (valable 72 heures) :\n` +
        `${this.o.publicUrl}/api/v1/accounts/verify?token=${token}\n\n` +
        'Votre compte sera ensuite validé par un agent de votre collectivité, le SGAR de votre région ou la DAECT.\n' +
        'Si vous n’êtes pas à l’origine de cette demande, ignorez ce message.\n',
    });
  }

  async verify(token: string): Promise<string> {
    const rows = await this.o.db.query<{ user_id: string }>(
      `UPDATE email_tokens SET used_at = now() WHERE token_hash = $1 AND purpose = 'verify' AND used_at IS NULL AND expires_at > now() RETURNING user_id`,
      [hashToken(token)],
    );
    if (!rows[0])
      throw new HttpError(400, 'TOKEN_INVALID', 'Ce lien de confirmation est invalide, déjà utilisé ou expiré.');
    await this.o.db.query('UPDATE users SET email_verified_at = coalesce(email_verified_at, now()) WHERE id = $1', [
      rows[0].user_id,
    ]);
    return 'Votre adresse électronique est confirmée. Votre compte sera actif dès sa validation ; vous recevrez un courriel.';
  }

  private scopeWhere(
    actor: { role: Role; collectiviteId: string | null; region: string | null },
    param: number,
  ): { sql: string; value: unknown } | null {
    if (actor.role === 'daect') return null;
    if (actor.role === 'sgar')
      return { sql: `coalesce(c."region", u.requested_region) = $${param}`, value: actor.region };
    return { sql: `coalesce(u.collectivite_id, u.requested_collectivite_id) = $${param}`, value: actor.collectiviteId };
  }

  private collectiviteNomOf(u: UserRow): string | null {
    if (u.collectivite_nom) return u.collectivite_nom;
    return u.requested_collectivite_code ? (this.o.index().byCode(u.requested_collectivite_code)?.nom ?? null) : null;
  }

  async pending(actor: {
    role: Role;
    collectiviteId: string | null;
    region: string | null;
  }): Promise<PendingAccount[]> {
    const scope = this.scopeWhere(actor, 1);
    const rows = await this.o.db.query<UserRow & Record<string, unknown>>(
      `${USER_SQL} WHERE u.approved_at IS NULL AND u.refused_at IS NULL${scope ? ` AND ${scope.sql}` : ''} ORDER BY u.created_at LIMIT 500`,
      scope ? [scope.value] : [],
    );
    return rows.map((u) => ({
      id: u.id,
      email: u.email,
      nom: u.nom,
      fonction: u.fonction,
      role: u.role,
      collectiviteId: u.scope_cid,
      collectiviteNom: this.collectiviteNomOf(u),
      region: u.role === 'sgar' ? u.region : u.collectivite_region,
      emailVerified: !!u.email_verified_at,
      requestedAt: new Date(String(u.created_at)).toISOString(),
    }));
  }

  /** An account request the actor may decide on (approve or refuse): same scope rule for both; 404 otherwise. */
  private async requestInScope(actor: RequestActor, id: string): Promise<UserRow> {
    const u = await this.userBy('u.id = $1', id);
    const inScope =
      u &&
      (actor.role === 'daect' ||
        (actor.role === 'sgar' && u.collectivite_region === actor.region && u.role === 'agent') ||
        (actor.role === 'agent' && u.scope_cid === actor.collectiviteId && u.role === 'agent'));
    if (!u || !inScope)
      throw new HttpError(404, 'NOT_FOUND', 'Aucune demande de compte de votre périmètre ne correspond.');
    return u;
  }

  async approve(actor: RequestActor, id: string): Promise<string> {
    const u = await this.requestInScope(actor, id);
    // The screen shows this sentence as it is: one sentence, naming the account once.
    const who = `${u.nom} (${u.email})`;
    if (u.approved_at) return `Compte de ${who} déjà validé : rien n’a changé.`;
    if (u.refused_at) throw alreadyRefused(who);
    if (!u.email_verified_at)
      throw new HttpError(409, 'EMAIL_NOT_VERIFIED', 'Ce compte n’a pas encore confirmé son adresse électronique.');
    // The collectivité's row is made now, from the official register, not when anyone asked.
    const cid =
      !u.collectivite_id && u.requested_collectivite_code
        ? await this.ensureCollectivite(u.requested_collectivite_code)
        : u.collectivite_id;
    const updated = await this.o.db.query(
      `UPDATE users SET approved_at = now(), approved_by = $2, collectivite_id = $3,
         requested_collectivite_code = NULL, requested_collectivite_id = NULL, requested_region = NULL
       WHERE id = $1 AND approved_at IS NULL AND refused_at IS NULL RETURNING id`,
      [id, actor.userId, cid],
    );
    // Refused (or approved) by someone else meanwhile.
    if (!updated.length) {
      const now = await this.userBy('u.id = $1', id);
      if (now?.refused_at) throw alreadyRefused(who);
      return `Compte de ${who} déjà validé : rien n’a changé.`;
    }
    await this.o.mailer.send({
      to: u.email,
      subject: 'Atlas de la coopération décentralisée : votre compte est validé',
      text: `Bonjour ${u.nom},\n\nVotre compte est validé. Vous pouvez vous connecter : ${this.o.publicUrl}/\n`,
    });
    return `Compte de ${who} validé : son titulaire a été prévenu par courriel.`;
  }

  /**
   * Refuses an account request (same people as approve): the row stays, marked refused with the reason,
   * who and when (and a row of the audit log); its links stop working, it leaves the pending list and
   * can no longer log in. Its author is told by mail, after the answer, with the reason and whom to
   * ask. The address may ask again: a new request is a new row.
   */
  async refuse(actor: RequestActor, id: string, reason: string): Promise<string> {
    const u = await this.requestInScope(actor, id);
    const who = `${u.nom} (${u.email})`;
    if (u.approved_at)
      throw new HttpError(
        409,
        'ACCOUNT_APPROVED',
        `Le compte de ${who} est déjà validé : sa demande ne peut plus être refusée. Pour lui retirer l’accès, un SGAR ou la DAECT peut le désactiver.`,
      );
    if (u.refused_at) throw alreadyRefused(who);
    const refuser = (
      await this.o.db.query<{ nom: string; email: string; collectivite_nom: string | null }>(
        `SELECT u.nom, u.email, c."nom" AS collectivite_nom FROM users u LEFT JOIN collectivite c ON c."id" = u.collectivite_id WHERE u.id = $1`,
        [actor.userId],
      )
    )[0];
    const refused = await this.o.db.transaction(async (tx) => {
      const rows = await tx.query(
        `UPDATE users SET refused_at = now(), refused_reason = $2, refused_by = $3
         WHERE id = $1 AND approved_at IS NULL AND refused_at IS NULL RETURNING id`,
        [u.id, reason, actor.userId],
      );
      if (!rows.length) return false;
      // Its confirmation link stops working: a refused request is never confirmed afterwards.
      await tx.query(`UPDATE email_tokens SET used_at = now() WHERE user_id = $1 AND used_at IS NULL`, [u.id]);
      await tx.query(
        `INSERT INTO audit_log (user_id, device_id, entity, record_id, field, old_value, new_value)
         VALUES ($1, $2, 'compte', $3, 'refus', NULL, $4::jsonb)`,
        [
          actor.userId,
          actor.deviceId,
          u.id,
          JSON.stringify({
            refuse: true,
            motif: reason,
            par: actor.label,
            demande: { nom: u.nom, email: u.email, fonction: u.fonction, collectivite: u.requested_collectivite_code },
          }),
        ],
      );
      return true;
    });
    if (!refused) {
      // Decided by someone else meanwhile.
      const now = await this.userBy('u.id = $1', id);
      if (now?.approved_at)
        throw new HttpError(409, 'ACCOUNT_APPROVED', `Le compte de ${who} vient d’être validé par quelqu’un d’autre.`);
      throw alreadyRefused(who);
    }
    const collectivite = this.collectiviteNomOf(u);
    const role = REFUSER_ROLE[actor.role](refuser?.collectivite_nom ?? null);
    const contact = refuser
      ? `${refuser.nom} (${refuser.email}), ${role.who}, qui a examiné votre demande${role.orElse}`
      : `la personne qui a examiné votre demande${role.orElse}`;
    this.o.jobs.enqueue(async () => {
      await this.o.mailer.send({
        to: u.email,
        subject: 'Atlas de la coopération décentralisée : votre demande de compte est refusée',
        text:
          `Bonjour ${u.nom},\n\n` +
          `Votre demande de compte sur l’Atlas de la coopération décentralisée${collectivite ? `, pour ${collectivite},` : ''} a été refusée.\n\n` +
          `Motif : ${reason}\n\n` +
          `Pour toute question, adressez-vous à ${contact}.\n` +
          `Vous pouvez faire une nouvelle demande avec la même adresse : ${this.o.publicUrl}/\n`,
      });
    });
    return `Demande de ${who} refusée : son auteur a été prévenu par courriel.`;
  }

  /** Answers at once and alike; the lookup, the link (which cancels the earlier ones) and the mail come after. */
  async forgot(email: string): Promise<string> {
    this.takeMailSlot('reset', email, 'Trop de demandes de réinitialisation pour cette adresse');
    this.o.jobs.enqueue(async () => {
      const u = await this.userBy(BY_EMAIL, email.toLowerCase());
      if (!u || u.disabled_at || u.refused_at) return;
      await this.o.db.query(
        `UPDATE email_tokens SET used_at = now() WHERE user_id = $1 AND purpose = 'reset' AND used_at IS NULL`,
        [u.id],
      );
      const token = await this.emailToken(u.id, 'reset', 2);
      await this.o.mailer.send({
        to: u.email,
        subject: 'Atlas de la coopération décentralisée : réinitialisation du mot de passe',
        text:
          `Bonjour ${u.nom},\n\nPour choisir un nouveau mot de passe, ouvrez ce lien (valable 2 heures) :\n` +
          `${this.o.publicUrl}/#/mot-de-passe/reinitialiser?token=${token}\n\n` +
          'Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : votre mot de passe reste inchangé.\n' +
          'Ce lien remplace ceux envoyés auparavant.\n',
      });
    });
    return SAME_ANSWER_FORGOT;
  }

  async reset(token: string, password: string): Promise<string> {
    const hash = await hashPassword(password);
    const rows = await this.o.db.query<{ user_id: string }>(
      `UPDATE email_tokens SET used_at = now() WHERE token_hash = $1 AND purpose = 'reset' AND used_at IS NULL AND expires_at > now() RETURNING user_id`,
      [hashToken(token)],
    );
    if (!rows[0])
      throw new HttpError(400, 'TOKEN_INVALID', 'Ce lien de réinitialisation est invalide, déjà utilisé ou expiré.');
    const userId = rows[0].user_id;
    const u = await this.o.db.query<{ email: string }>(
      'UPDATE users SET password_hash = $2, email_verified_at = coalesce(email_verified_at, now()) WHERE id = $1 RETURNING email',
      [userId, hash],
    );
    // Every open session of the account ends at once: whoever knew the old password is out.
    await this.o.db.query('UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [
      userId,
    ]);
    await this.o.epochs.bump(this.o.db, userId);
    if (u[0]) this.loginFailures.succeed(keyOf('login', u[0].email));
    return 'Votre mot de passe est modifié. Vous pouvez vous connecter.';
  }

  private canManage(actor: AccountActor, u: Pick<UserRow, 'role' | 'collectivite_region'>): boolean {
    if (actor.role === 'cli' || actor.role === 'daect') return true;
    return actor.role === 'sgar' && u.role === 'agent' && u.collectivite_region === actor.region;
  }

  /**
   * The accounts of the actor's scope, one page of them: DAECT, all; SGAR, the agents of its région's
   * collectivités (accounts and requests) and the SGAR of its région; an agent, none (403). Searched by
   * name, address or collectivité (name or code, accents and hyphens ignored), filtered by state and
   * role, sorted (always ending on the id, so pages never overlap). Each row says what the actor may do
   * on it, by the rules approve, refuse, disable and enable check themselves.
   */
  async listAccounts(actor: AccountActor, query: ManagedAccountsFilter): Promise<ManagedAccountsResponse> {
    if (actor.role === 'agent') throw new HttpError(403, 'FORBIDDEN', 'Seuls la DAECT et les SGAR gèrent les comptes.');
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (actor.role === 'sgar') {
      const reg = p(actor.region);
      where.push(
        `((a.role = 'agent' AND a.collectivite_region = ${reg}) OR (a.role = 'sgar' AND a.sgar_region = ${reg}))`,
      );
    }
    // Absent: the approved accounts (active or disabled), what older apps list.
    if (query.etat === undefined) where.push('a.approved_at IS NOT NULL');
    else if (query.etat !== 'tous') where.push(`a.etat = ${p(query.etat)}`);
    if (query.role) where.push(`a.role = ${p(query.role)}`);
    const q = query.q ? normalizeSearch(query.q) : '';
    if (q) {
      const like = p(`%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
      const alt = [
        `${foldSql('a.nom')} LIKE ${like}`,
        `${foldSql('a.email')} LIKE ${like}`,
        `${foldSql('a.collectivite_nom')} LIKE ${like}`,
        `${foldSql('a.collectivite_code')} LIKE ${like}`,
      ];
      // Requests for a collectivité whose row is not made yet (made at approval): found by its official name.
      const codes =
        q.length >= 2
          ? this.o
              .index()
              .search(query.q ?? '', 50)
              .map((h) => h.code)
          : [];
      if (codes.length) alt.push(`a.collectivite_code = ANY(${p(codes)}::text[])`);
      where.push(`(${alt.join(' OR ')})`);
    }
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const dir = query.ordre === 'desc' ? 'DESC' : 'ASC';
    const order = `${SORT_SQL[query.tri]} ${dir} NULLS LAST, ${foldSql('a.nom')} ${dir}, a.id ${dir}`;
    const countParams = [...params];
    const rows = await this.o.db.query<ListRow & Record<string, unknown>>(
      `SELECT * FROM (${LIST_SQL}) a ${filter} ORDER BY ${order} LIMIT ${p(query.limit)} OFFSET ${p(query.offset)}`,
      params,
    );
    const total = Number(
      (await this.o.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${LIST_SQL}) a ${filter}`, countParams))[0]
        ?.n ?? 0,
    );
    const iso = (v: unknown) => (v ? new Date(String(v)).toISOString() : null);
    return {
      total,
      offset: query.offset,
      limit: query.limit,
      accounts: rows.map((u) => {
        const self = u.id === actor.userId;
        const mayDecide =
          actor.role === 'daect' ||
          (u.role === 'agent' && u.collectivite_region === actor.region && actor.role === 'sgar');
        const manages = this.canManage(actor, u);
        const actions: AccountAction[] = [];
        if (u.etat === 'a_approuver' && mayDecide) actions.push('approuver');
        if ((u.etat === 'a_approuver' || u.etat === 'email_a_verifier') && mayDecide) actions.push('refuser');
        if (u.etat === 'approuve' && manages && !self) actions.push('desactiver');
        if (u.etat === 'desactive' && manages) actions.push('reactiver');
        return {
          id: u.id,
          email: u.email,
          nom: u.nom,
          fonction: u.fonction,
          role: u.role,
          collectiviteNom:
            u.collectivite_nom ??
            (u.collectivite_code ? (this.o.index().byCode(u.collectivite_code)?.nom ?? null) : null),
          collectiviteCode: u.collectivite_code,
          region: u.role === 'sgar' ? u.sgar_region : u.collectivite_region,
          etat: u.etat,
          disabled: !!u.disabled_at,
          disabledReason: u.disabled_reason,
          disabledAt: iso(u.disabled_at),
          refusedReason: u.refused_reason,
          createdAt: iso(u.created_at) ?? new Date(0).toISOString(),
          lastSyncAt: iso(u.last_sync_at),
          self,
          actions,
        };
      }),
    };
  }

  private async managed(actor: AccountActor, id: string): Promise<UserRow> {
    if (actor.role === 'agent')
      throw new HttpError(
        403,
        'FORBIDDEN',
        'Seuls la DAECT et le SGAR de la région peuvent désactiver ou réactiver un compte.',
      );
    const u = await this.userBy('u.id = $1', id);
    if (!u || !u.approved_at || !this.canManage(actor, u))
      throw new HttpError(404, 'NOT_FOUND', 'Aucun compte de votre périmètre ne correspond.');
    return u;
  }

  private audit(q: Queryable, actor: AccountActor, u: UserRow, disabled: boolean, reason: string | null) {
    return q.query(
      `INSERT INTO audit_log (user_id, device_id, entity, record_id, field, old_value, new_value)
       VALUES ($1, $2, 'compte', $3, 'desactive', $4::jsonb, $5::jsonb)`,
      [
        actor.userId,
        actor.deviceId,
        u.id,
        JSON.stringify(!disabled),
        JSON.stringify({ desactive: disabled, motif: reason, par: actor.label }),
      ],
    );
  }

  /** Disables an account: no login, no refresh, and every session ends at once. The reason goes to the audit log. */
  async disable(actor: AccountActor, id: string, reason: string): Promise<string> {
    const u = await this.managed(actor, id);
    if (actor.userId === u.id)
      throw new HttpError(409, 'OWN_ACCOUNT', 'Vous ne pouvez pas désactiver votre propre compte.');
    if (u.disabled_at) return 'Ce compte est déjà désactivé.';
    await this.o.db.transaction(async (tx) => {
      await tx.query('UPDATE users SET disabled_at = now(), disabled_reason = $2 WHERE id = $1', [u.id, reason]);
      await tx.query('UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [u.id]);
      await this.audit(tx, actor, u, true, reason);
    });
    await this.o.epochs.bump(this.o.db, u.id);
    return `Le compte de ${u.nom} est désactivé : ses sessions sont fermées.`;
  }

  async enable(actor: AccountActor, id: string): Promise<string> {
    const u = await this.managed(actor, id);
    if (!u.disabled_at) return 'Ce compte est déjà actif.';
    await this.o.db.transaction(async (tx) => {
      await tx.query('UPDATE users SET disabled_at = NULL, disabled_reason = NULL WHERE id = $1', [u.id]);
      await this.audit(tx, actor, u, false, null);
    });
    return `Le compte de ${u.nom} est réactivé : son titulaire peut se reconnecter.`;
  }

  /** Creates an approved account directly (demo seed, tests, first DAECT account). */
  async createUser(opts: {
    role: Role;
    email: string;
    password: string;
    nom: string;
    fonction?: string;
    collectiviteId?: string | null;
    region?: string | null;
  }): Promise<string> {
    const id = newId();
    await this.o.db.query(
      `INSERT INTO users (id, email, nom, fonction, password_hash, role, collectivite_id, region, email_verified_at, approved_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now(), now())`,
      [
        id,
        opts.email.toLowerCase(),
        opts.nom,
        opts.fonction ?? '',
        await hashPassword(opts.password),
        opts.role,
        opts.collectiviteId ?? null,
        opts.region ?? null,
      ],
    );
    return id;
  }
}

export function loadOrCreateSecret(
  given: string | null,
  read: () => string | null,
  write: (s: string) => void,
): Buffer {
  if (given) return Buffer.from(given, 'utf8');
  const existing = read();
  if (existing) return Buffer.from(existing, 'base64');
  const fresh = crypto.randomBytes(32).toString('base64');
  write(fresh);
  return Buffer.from(fresh, 'base64');
}
