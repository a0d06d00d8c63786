// One writing server per PostgreSQL database. Revisions are handed out from an in-memory block and
// the pull reads up to a watermark only this process knows (docs/architecture.md, "The watermark"):
// a second writer would make devices skip changes silently. Until several writers are supported,
// a server holds a session-level advisory lock on its own connection for as long as it runs.
// (PGlite: the data folder lock of ./lock.ts plays this part.)
import pg from 'pg';

/** Advisory lock key of "the CNCD writer" (distinct from the migrations' transaction lock). */
const WRITER_LOCK_KEY = 727_275;

export class WriterLockedError extends Error {
  readonly code = 'DATABASE_LOCKED';
  constructor() {
    super(
      'Un autre serveur CNCD utilise déjà cette base PostgreSQL (verrou consultatif tenu). ' +
        'Un seul serveur peut y écrire à la fois : arrêtez l’autre, ou pointez DATABASE_URL vers une autre base.',
    );
  }
}

/**
 * Takes the lock or throws WriterLockedError; returns the release function (closes the connection).
 * Waits up to `waitMs` first: a server killed a moment ago holds it until PostgreSQL sees its socket close.
 */
export async function lockWriter(
  url: string,
  onLost?: (e: Error) => void,
  waitMs = 3_000,
): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: url });
  // A dropped connection loses the lock: say so in the log rather than crash the process.
  client.on('error', (e) => onLost?.(e));
  await client.connect();
  let held = false;
  try {
    const until = Date.now() + waitMs;
    for (;;) {
      held =
        (await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [WRITER_LOCK_KEY])).rows[0]
          ?.ok === true;
      if (held || Date.now() >= until) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    if (!held) await client.end().catch(() => undefined);
  }
  if (!held) throw new WriterLockedError();
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    await client.end().catch(() => undefined); // ending the session releases the lock
  };
}
