// `npm run account -- <create-daect|disable|enable> …` (and `npm run account:daect -- …`, the same as
// create-daect): accounts managed on the server itself.
// create-daect: the first DAECT account of a production server, without the demo seed. The account is
// created verified and approved; its password is either read (stdin with --password-stdin, or
// CNCD_ACCOUNT_PASSWORD) or chosen by its owner through a one-time link printed here.
// disable / enable: ends every session of an account at once, or lets it log in again; the reason is
// kept in the audit log, as when the DAECT does it from the accounts screen.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { disableAccountRequest } from '../src-shared/api/accounts';
import { emailField, password as passwordSchema } from '../src-shared/api/auth';
import { createServer, type ServerInternals } from './app';
import { hashToken, randomToken } from './auth/tokens';
import { loadConfig } from './config';
import { DataDirLockedError } from './db/lock';
import { HttpError } from './httpError';

/** Validity of the printed link: long enough to reach the person, short enough not to linger in a terminal log. */
export const SET_PASSWORD_LINK_HOURS = 72;

export const USAGE = `Usage : npm run account:daect -- --email <adresse> --name "<Prénom Nom>" [--fonction "<fonction>"] [--password-stdin]

Crée un compte DAECT (national) validé, sans les données de démonstration.
Mot de passe : lu sur l’entrée standard avec --password-stdin, ou dans la variable CNCD_ACCOUNT_PASSWORD ;
sinon, un lien à usage unique (valable ${SET_PASSWORD_LINK_HOURS} heures) est affiché pour que la personne le choisisse.
La base est celle du serveur (DATABASE_URL, ou CNCD_DATA_DIR avec le serveur arrêté).`;

export const ACCOUNT_USAGE = `Usage : npm run account -- <commande> [options]

Commandes :
  create-daect --email <adresse> --name "<Prénom Nom>" [--fonction "<fonction>"] [--password-stdin]
      crée un compte DAECT validé (comme npm run account:daect)
  disable --email <adresse> --reason "<motif>"
      désactive un compte : plus de connexion, toutes ses sessions sont fermées ; le motif est journalisé
  enable --email <adresse>
      réactive un compte désactivé

La base est celle du serveur (DATABASE_URL, ou CNCD_DATA_DIR avec le serveur arrêté).`;

const args = z.strictObject({
  email: emailField,
  nom: z.string({ error: '--name est obligatoire.' }).trim().min(1, { error: '--name est obligatoire.' }).max(200),
  fonction: z.string().trim().max(200).default('DAECT'),
});

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export interface DaectAccountResult {
  id: string;
  email: string;
  /** The one-time link to choose a password, when none was given. */
  link: string | null;
}

/** Creates the approved, verified DAECT account in the server's database. */
export async function createDaectAccount(
  cncd: Pick<ServerInternals, 'db' | 'auth'>,
  opts: { email: string; nom: string; fonction?: string; password: string | null; publicUrl: string },
): Promise<DaectAccountResult> {
  const email = opts.email.toLowerCase();
  const existing = await cncd.db.query('SELECT 1 FROM users WHERE email = $1 AND refused_at IS NULL', [email]);
  if (existing.length)
    throw new CliError(
      `Un compte existe déjà avec l’adresse ${email} : rien n’a été créé. Pour changer son mot de passe, utilisez « Mot de passe oublié ».`,
    );
  if (opts.password !== null) {
    const p = passwordSchema.safeParse(opts.password);
    if (!p.success) throw new CliError(p.error.issues[0]?.message ?? 'Mot de passe invalide.');
  }
  // Without a given password the account gets a random one nobody knows, until the link sets it.
  const id = await cncd.auth.createUser({
    role: 'daect',
    email,
    nom: opts.nom,
    fonction: opts.fonction ?? 'DAECT',
    password: opts.password ?? randomToken(),
  });
  if (opts.password !== null) return { id, email, link: null };
  const token = randomToken();
  await cncd.db.query(
    "INSERT INTO email_tokens (token_hash, user_id, purpose, expires_at) VALUES ($1, $2, 'reset', now() + make_interval(hours => $3))",
    [hashToken(token), id, SET_PASSWORD_LINK_HOURS],
  );
  // Same screen as a password reset mail: the app's hash route, which loads from any server path.
  return { id, email, link: `${opts.publicUrl.replace(/\/+$/, '')}/#/mot-de-passe/reinitialiser?token=${token}` };
}

export interface CliIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  readStdin: () => Promise<string>;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  return Buffer.concat(chunks).toString('utf8');
}

const stateArgs = z.strictObject({
  email: emailField,
  reason: z.string().optional(),
});

/** `disable` / `enable` on the server's database, as the command line (audit: « ligne de commande »). */
export async function setAccountDisabled(
  cncd: Pick<ServerInternals, 'db' | 'auth'>,
  opts: { email: string; disabled: boolean; reason?: string },
): Promise<string> {
  const row = (
    await cncd.db.query<{ id: string }>('SELECT id FROM users WHERE email = $1 AND refused_at IS NULL', [
      opts.email.toLowerCase(),
    ])
  )[0];
  if (!row) throw new CliError(`Aucun compte n’existe avec l’adresse ${opts.email.toLowerCase()}.`);
  const actor = {
    userId: null,
    deviceId: null,
    role: 'cli' as const,
    region: null,
    label: 'ligne de commande du serveur',
  };
  try {
    if (!opts.disabled) return await cncd.auth.enable(actor, row.id);
    const reason = disableAccountRequest.safeParse({ reason: opts.reason ?? '' });
    if (!reason.success) throw new CliError(`--reason : ${reason.error.issues[0]?.message ?? 'motif invalide.'}`, 64);
    return await cncd.auth.disable(actor, row.id, reason.data.reason);
  } catch (e) {
    if (e instanceof HttpError) throw new CliError(e.message);
    throw e;
  }
}

async function runStateCommand(
  command: 'disable' | 'enable',
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: CliIo,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        email: { type: 'string' },
        reason: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (e) {
    io.stderr(`${e instanceof Error ? e.message : String(e)}\n\n${ACCOUNT_USAGE}`);
    return 64;
  }
  if (parsed.help) {
    io.stdout(ACCOUNT_USAGE);
    return 0;
  }
  const a = stateArgs.safeParse({ email: parsed.email, reason: parsed.reason });
  if (!a.success) {
    io.stderr(
      `${parsed.email === undefined ? '--email est obligatoire.' : (a.error.issues[0]?.message ?? 'Arguments invalides.')}\n\n${ACCOUNT_USAGE}`,
    );
    return 64;
  }
  if (command === 'disable' && !parsed.reason) {
    io.stderr(`--reason est obligatoire.\n\n${ACCOUNT_USAGE}`);
    return 64;
  }
  return withServer(env, io, async (server) => {
    io.stdout(
      await setAccountDisabled(server.app.cncd, {
        email: a.data.email,
        disabled: command === 'disable',
        reason: a.data.reason,
      }),
    );
    return 0;
  });
}

async function withServer(
  env: NodeJS.ProcessEnv,
  io: CliIo,
  fn: (server: Awaited<ReturnType<typeof createServer>>, config: ReturnType<typeof loadConfig>) => Promise<number>,
): Promise<number> {
  const config = loadConfig({ ...env, SEED_DEMO: '0' });
  let server;
  try {
    server = await createServer({ ...config, logLevel: 'warn' });
  } catch (e) {
    if (e instanceof DataDirLockedError) {
      io.stderr(e.message);
      return 2;
    }
    throw e;
  }
  try {
    return await fn(server, config);
  } catch (e) {
    if (e instanceof CliError) {
      io.stderr(e.message);
      return e.exitCode;
    }
    throw e;
  } finally {
    await server.close();
  }
}

/** `npm run account -- <command> …`; without a command, the arguments of `account:daect`. */
export async function runAccountsCli(argv: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'disable' || command === 'enable') return runStateCommand(command, rest, env, io);
  if (command === 'create-daect') return runCreateDaect(rest, env, io);
  if (command && !command.startsWith('-')) {
    io.stderr(`Commande inconnue : ${command}\n\n${ACCOUNT_USAGE}`);
    return 64;
  }
  return runCreateDaect(argv, env, io);
}

async function runCreateDaect(argv: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        email: { type: 'string' },
        name: { type: 'string' },
        fonction: { type: 'string' },
        'password-stdin': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (e) {
    io.stderr(`${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
    return 64;
  }
  if (parsed.help) {
    io.stdout(USAGE);
    return 0;
  }
  const a = args.safeParse({ email: parsed.email, nom: parsed.name, fonction: parsed.fonction });
  if (!a.success) {
    const issue = a.error.issues[0];
    const message =
      issue?.path[0] === 'email' && parsed.email === undefined
        ? '--email est obligatoire.'
        : (issue?.message ?? 'Arguments invalides.');
    io.stderr(`${message}\n\n${USAGE}`);
    return 64;
  }
  let password: string | null = null;
  if (parsed['password-stdin']) password = (await io.readStdin()).replace(/\r?\n$/, '');
  else if (env.CNCD_ACCOUNT_PASSWORD) password = env.CNCD_ACCOUNT_PASSWORD;

  return withServer(env, io, async (server, config) => {
    const r = await createDaectAccount(server.app.cncd, { ...a.data, password, publicUrl: config.publicUrl });
    io.stdout(`Compte DAECT créé et validé : ${r.email}`);
    if (r.link) {
      io.stdout(
        `Lien à usage unique pour choisir le mot de passe (valable ${SET_PASSWORD_LINK_HOURS} heures) — transmettez-le à la personne par un canal sûr :\n${r.link}`,
      );
      if (!config.publicUrlExplicit)
        io.stdout(
          'Attention : PUBLIC_URL n’est pas défini ; le lien utilise l’adresse locale du serveur. Définissez PUBLIC_URL pour obtenir un lien public.',
        );
    } else {
      io.stdout('Le mot de passe fourni est enregistré (haché) ; la personne peut se connecter.');
    }
    return 0;
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runAccountsCli(process.argv.slice(2), process.env, {
    stdout: (l) => console.log(l),
    stderr: (l) => console.error(l),
    readStdin: () => readAll(process.stdin),
  }).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error('Échec de la commande :', e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
