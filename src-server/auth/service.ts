// Accounts, sessions and devices: login, rotating refresh tokens with reuse detection, account
// requests with e-mail verification and approval, password reset.
import crypto from 'node:crypto';
import type { Role } from '../../src-shared/domain/roles';
import type { AccountRequest, PendingAccount } from '../../src-shared/api/accounts';
import type { DeviceInfo, SessionResponse, SessionUser } from '../../src-shared/api/auth';
import type { CollectiviteIndex } from '../../src-shared/reference/collectivites';
import { collectiviteId as collectiviteIdOf, newId } from '../../src-shared/sync/ids';
import type { Db, Queryable } from '../db/driver';
import type { Mailer } from '../mail/mailer';
import { HttpError } from '../sync/service';
import type { RevAllocator } from '../sync/revs';
import { dummyHash, hashPassword, verifyPassword } from './passwords';
import { hashToken, randomToken, signAccess, type AccessClaims } from './tokens';

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
  collectivite_nom: string | null;
  collectivite_region: string | null;
  created_at: unknown;
}

const USER_SQL = `SELECT u.*, c."nom" AS collectivite_nom, c."region" AS collectivite_region
  FROM users u LEFT JOIN collectivite c ON c."id" = u.collectivite_id`;

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
}

const INVALID_LOGIN = () => new HttpError(401, 'INVALID_CREDENTIALS', 'Courriel ou mot de passe incorrect.');
const SAME_ANSWER_REQUEST = 'Si la demande est recevable, un courriel de confirmation vient d’être envoyé à cette adresse. Suivez le lien qu’il contient.';
const SAME_ANSWER_FORGOT = 'Si un compte existe avec cette adresse, un courriel contenant un lien de réinitialisation vient de lui être envoyé.';

export class AuthService {
  constructor(private readonly o: AuthOptions) {}

  /** Base URL of the links in mails (set to the listening address when PUBLIC_URL is not given). */
  setPublicUrl(url: string) { this.o.publicUrl = url.replace(/\/+$/, ''); }

  private toSessionUser(u: UserRow): SessionUser {
    return {
      id: u.id, email: u.email, nom: u.nom, role: u.role,
      collectiviteId: u.collectivite_id, collectiviteNom: u.collectivite_nom,
      region: u.role === 'sgar' ? u.region : u.collectivite_region,
    };
  }

  private async userBy(where: string, param: unknown, q: Queryable = this.o.db): Promise<UserRow | undefined> {
    return (await q.query<UserRow & Record<string, unknown>>(`${USER_SQL} WHERE ${where}`, [param]))[0];
  }

  private async issue(q: Queryable, u: UserRow, device: { id: string; name: string }, familyId: string): Promise<SessionResponse> {
    const refreshToken = randomToken();
    await q.query(
      `INSERT INTO refresh_tokens (id, user_id, device_id, family_id, token_hash, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(days => $6))`,
      [newId(), u.id, device.id, familyId, hashToken(refreshToken), this.o.refreshTtlDays]);
    const user = this.toSessionUser(u);
    const claims: AccessClaims & { lbl: string } = {
      sub: u.id, role: u.role, cid: u.collectivite_id, reg: user.region, dev: device.id,
      exp: Math.floor(Date.now() / 1000) + this.o.accessTtlSeconds,
      lbl: `${u.nom} (${device.name})`.slice(0, 200),
    };
    return { accessToken: signAccess(this.o.secret, claims), refreshToken, accessExpiresIn: this.o.accessTtlSeconds, user };
  }

  async login(email: string, password: string, device: DeviceInfo): Promise<SessionResponse> {
    const u = await this.userBy('u.email = $1', email.toLowerCase());
    if (!u) {
      await verifyPassword(await dummyHash(), password); // same time whether the account exists or not
      throw INVALID_LOGIN();
    }
    if (!(await verifyPassword(u.password_hash, password))) throw INVALID_LOGIN();
    if (!u.email_verified_at) {
      throw new HttpError(403, 'EMAIL_NOT_VERIFIED', 'Votre adresse électronique n’est pas encore confirmée : suivez le lien du courriel reçu.');
    }
    if (!u.approved_at) {
      throw new HttpError(403, 'ACCOUNT_PENDING', 'Votre compte attend sa validation (par un agent de votre collectivité, le SGAR de votre région ou la DAECT).');
    }
    return this.o.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO devices (user_id, id, name, public_key) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, id) DO UPDATE SET name = EXCLUDED.name, public_key = EXCLUDED.public_key, last_seen_at = now()`,
        [u.id, device.id, device.name, device.publicKey]);
      return this.issue(tx, u, device, newId());
    });
  }

  async refresh(token: string): Promise<SessionResponse> {
    const hash = hashToken(token);
    const outcome = await this.o.db.transaction(async (tx) => {
      const rows = await tx.query<{ id: string; user_id: string; device_id: string; family_id: string; rotated_at: unknown; revoked_at: unknown; expired: boolean }>(
        'SELECT id, user_id, device_id, family_id, rotated_at, revoked_at, expires_at < now() AS expired FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE',
        [hash]);
      const t = rows[0];
      if (!t) return { error: new HttpError(401, 'SESSION_INVALID', 'Session inconnue : reconnectez-vous.') };
      if (t.revoked_at) return { error: new HttpError(401, 'SESSION_REVOKED', 'Cette session a été fermée : reconnectez-vous.') };
      if (t.rotated_at) {
        // A rotated token used again: stolen or replayed. Close the whole family.
        await tx.query('UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL', [t.family_id]);
        return { error: new HttpError(401, 'SESSION_REVOKED', 'Cette session a été fermée par sécurité (jeton déjà utilisé) : reconnectez-vous.') };
      }
      if (t.expired) return { error: new HttpError(401, 'SESSION_EXPIRED', 'Votre session a expiré : reconnectez-vous.') };
      const u = await this.userBy('u.id = $1', t.user_id, tx);
      if (!u || !u.approved_at) return { error: new HttpError(401, 'SESSION_REVOKED', 'Ce compte n’est plus actif.') };
      const dev = (await tx.query<{ name: string }>('SELECT name FROM devices WHERE user_id = $1 AND id = $2', [u.id, t.device_id]))[0];
      await tx.query('UPDATE refresh_tokens SET rotated_at = now() WHERE id = $1', [t.id]);
      return { session: await this.issue(tx, u, { id: t.device_id, name: dev?.name ?? 'poste' }, t.family_id) };
    });
    if ('error' in outcome && outcome.error) throw outcome.error;
    return (outcome as { session: SessionResponse }).session;
  }

  async logout(token: string): Promise<void> {
    const rows = await this.o.db.query<{ family_id: string }>('SELECT family_id FROM refresh_tokens WHERE token_hash = $1', [hashToken(token)]);
    if (rows[0]) await this.o.db.query('UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL', [rows[0].family_id]);
  }

  async me(userId: string, deviceId: string): Promise<{ user: SessionUser; device: { id: string; name: string } | null }> {
    const u = await this.userBy('u.id = $1', userId);
    if (!u) throw new HttpError(401, 'SESSION_INVALID', 'Compte inconnu : reconnectez-vous.');
    const d = (await this.o.db.query<{ id: string; name: string }>('SELECT id, name FROM devices WHERE user_id = $1 AND id = $2', [userId, deviceId]))[0];
    return { user: this.toSessionUser(u), device: d ? { id: d.id, name: d.name } : null };
  }

  /** Makes sure the collectivité of an official code has its row (created from the official register). */
  async ensureCollectivite(code: string): Promise<string> {
    const off = this.o.index().byCode(code);
    if (!off) throw new HttpError(400, 'UNKNOWN_COLLECTIVITE', 'Cette collectivité ne figure pas dans le répertoire officiel : choisissez-la dans la liste.');
    const id = collectiviteIdOf(off.code);
    const exists = await this.o.db.query('SELECT 1 FROM collectivite WHERE "id" = $1', [id]);
    if (exists.length) return id;
    await this.o.revs.track(async (rev) => {
      this.o.onWrite?.(id, off.region, rev);
      return this.o.db.query(
      `INSERT INTO collectivite ("id", "code", "nom", "type", "departement", "region", "codePostal", sync_rev, created_rev, scope_region, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $6, 'Répertoire officiel') ON CONFLICT ("id") DO NOTHING`,
      [id, off.code, off.nom, off.type, off.departement, off.region, off.codesPostaux[0] ?? null, rev]);
    });
    return id;
  }

  private async emailToken(userId: string, purpose: 'verify' | 'reset', hours: number): Promise<string> {
    const token = randomToken();
    await this.o.db.query(
      'INSERT INTO email_tokens (token_hash, user_id, purpose, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4))',
      [hashToken(token), userId, purpose, hours]);
    return token;
  }

  async requestAccount(req: AccountRequest): Promise<string> {
    const cid = await this.ensureCollectivite(req.collectiviteCode);
    const existing = await this.userBy('u.email = $1', req.email);
    if (existing) {
      // Same answer to the caller; the owner of the address is told, and nothing else happens.
      await this.o.mailer.send({
        to: req.email,
        subject: 'Atlas de la coopération décentralisée : demande de compte',
        text: `Bonjour,\n\nUne demande de compte vient d’être faite avec votre adresse, qui a déjà un compte sur l’Atlas.\n`
          + `Si vous avez oublié votre mot de passe, utilisez « Mot de passe oublié » : ${this.o.publicUrl}/\n\n`
          + 'Si vous n’êtes pas à l’origine de cette demande, ignorez ce message.\n',
      });
      return SAME_ANSWER_REQUEST;
    }
    const id = newId();
    const hash = await hashPassword(req.password);
    await this.o.db.query(
      `INSERT INTO users (id, email, nom, fonction, password_hash, role, collectivite_id) VALUES ($1, $2, $3, $4, $5, 'agent', $6)
       ON CONFLICT (email) DO NOTHING`,
      [id, req.email, req.nom, req.fonction, hash, cid]);
    const token = await this.emailToken(id, 'verify', 72);
    await this.o.mailer.send({
      to: req.email,
      subject: 'Atlas de la coopération décentralisée : confirmez votre adresse',
      text: `Bonjour ${req.nom},\n\nPour confirmer votre adresse électronique et votre demande de compte, ouvrez ce lien (valable 72 heures) :\n`
        + `${this.o.publicUrl}/api/v1/accounts/verify?token=${token}\n\n`
        + 'Votre compte sera ensuite validé par un agent de votre collectivité, le SGAR de votre région ou la DAECT.\n'
        + 'Si vous n’êtes pas à l’origine de cette demande, ignorez ce message.\n',
    });
    return SAME_ANSWER_REQUEST;
  }

  async verify(token: string): Promise<string> {
    const rows = await this.o.db.query<{ user_id: string }>(
      `UPDATE email_tokens SET used_at = now() WHERE token_hash = $1 AND purpose = 'verify' AND used_at IS NULL AND expires_at > now() RETURNING user_id`,
      [hashToken(token)]);
    if (!rows[0]) throw new HttpError(400, 'TOKEN_INVALID', 'Ce lien de confirmation est invalide, déjà utilisé ou expiré.');
    await this.o.db.query('UPDATE users SET email_verified_at = coalesce(email_verified_at, now()) WHERE id = $1', [rows[0].user_id]);
    return 'Votre adresse électronique est confirmée. Votre compte sera actif dès sa validation ; vous recevrez un courriel.';
  }

  private scopeWhere(actor: { role: Role; collectiviteId: string | null; region: string | null }, param: number): { sql: string; value: unknown } | null {
    if (actor.role === 'daect') return null;
    if (actor.role === 'sgar') return { sql: `c."region" = $${param}`, value: actor.region };
    return { sql: `u.collectivite_id = $${param}`, value: actor.collectiviteId };
  }

  async pending(actor: { role: Role; collectiviteId: string | null; region: string | null }): Promise<PendingAccount[]> {
    const scope = this.scopeWhere(actor, 1);
    const rows = await this.o.db.query<UserRow & Record<string, unknown>>(
      `${USER_SQL} WHERE u.approved_at IS NULL${scope ? ` AND ${scope.sql}` : ''} ORDER BY u.created_at LIMIT 500`,
      scope ? [scope.value] : []);
    return rows.map((u) => ({
      id: u.id, email: u.email, nom: u.nom, fonction: u.fonction, role: u.role,
      collectiviteId: u.collectivite_id, collectiviteNom: u.collectivite_nom,
      region: u.role === 'sgar' ? u.region : u.collectivite_region,
      emailVerified: !!u.email_verified_at,
      requestedAt: new Date(String(u.created_at)).toISOString(),
    }));
  }

  async approve(actor: { userId: string; role: Role; collectiviteId: string | null; region: string | null }, id: string): Promise<string> {
    const u = await this.userBy('u.id = $1', id);
    const inScope = u && (actor.role === 'daect'
      || (actor.role === 'sgar' && u.collectivite_region === actor.region && u.role === 'agent')
      || (actor.role === 'agent' && u.collectivite_id === actor.collectiviteId && u.role === 'agent'));
    if (!u || !inScope) throw new HttpError(404, 'NOT_FOUND', 'Aucune demande de compte de votre périmètre ne correspond.');
    if (u.approved_at) return 'Ce compte est déjà validé.';
    if (!u.email_verified_at) throw new HttpError(409, 'EMAIL_NOT_VERIFIED', 'Ce compte n’a pas encore confirmé son adresse électronique.');
    await this.o.db.query('UPDATE users SET approved_at = now(), approved_by = $2 WHERE id = $1', [id, actor.userId]);
    await this.o.mailer.send({
      to: u.email,
      subject: 'Atlas de la coopération décentralisée : votre compte est validé',
      text: `Bonjour ${u.nom},\n\nVotre compte est validé. Vous pouvez vous connecter : ${this.o.publicUrl}/\n`,
    });
    return 'Le compte est validé ; son titulaire a été prévenu par courriel.';
  }

  async forgot(email: string): Promise<string> {
    const u = await this.userBy('u.email = $1', email);
    if (u) {
      const token = await this.emailToken(u.id, 'reset', 2);
      await this.o.mailer.send({
        to: u.email,
        subject: 'Atlas de la coopération décentralisée : réinitialisation du mot de passe',
        text: `Bonjour ${u.nom},\n\nPour choisir un nouveau mot de passe, ouvrez ce lien (valable 2 heures) :\n`
          + `${this.o.publicUrl}/#/mot-de-passe/reinitialiser?token=${token}\n\n`
          + 'Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : votre mot de passe reste inchangé.\n',
      });
    }
    return SAME_ANSWER_FORGOT;
  }

  async reset(token: string, password: string): Promise<string> {
    const hash = await hashPassword(password);
    const rows = await this.o.db.query<{ user_id: string }>(
      `UPDATE email_tokens SET used_at = now() WHERE token_hash = $1 AND purpose = 'reset' AND used_at IS NULL AND expires_at > now() RETURNING user_id`,
      [hashToken(token)]);
    if (!rows[0]) throw new HttpError(400, 'TOKEN_INVALID', 'Ce lien de réinitialisation est invalide, déjà utilisé ou expiré.');
    await this.o.db.query('UPDATE users SET password_hash = $2, email_verified_at = coalesce(email_verified_at, now()) WHERE id = $1', [rows[0].user_id, hash]);
    // Every open session of the account ends: whoever knew the old password is out.
    await this.o.db.query('UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [rows[0].user_id]);
    return 'Votre mot de passe est modifié. Vous pouvez vous connecter.';
  }

  /** Creates an approved account directly (demo seed, tests, first DAECT account). */
  async createUser(opts: { role: Role; email: string; password: string; nom: string; fonction?: string; collectiviteId?: string | null; region?: string | null }): Promise<string> {
    const id = newId();
    await this.o.db.query(
      `INSERT INTO users (id, email, nom, fonction, password_hash, role, collectivite_id, region, email_verified_at, approved_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now(), now())`,
      [id, opts.email.toLowerCase(), opts.nom, opts.fonction ?? '', await hashPassword(opts.password), opts.role,
        opts.collectiviteId ?? null, opts.region ?? null]);
    return id;
  }
}

export function loadOrCreateSecret(given: string | null, read: () => string | null, write: (s: string) => void): Buffer {
  if (given) return Buffer.from(given, 'utf8');
  const existing = read();
  if (existing) return Buffer.from(existing, 'base64');
  const fresh = crypto.randomBytes(32).toString('base64');
  write(fresh);
  return Buffer.from(fresh, 'base64');
}
