// What a user reads when something fails. Our own errors carry French messages written for people;
// anything else (Dexie, the browser, a bug) would show English jargon, so it becomes a French generic
// message and the original goes to the console for support.
import { NotFoundError, ValidationError } from '../db/errors';
import { HostError } from '../host/electron';
import { PendingChangesError } from '../sync/pendingChangesError';
import { SyncError } from '../api/http';
import { FileError } from '../../src-shared/files/errors';
import { SnapshotError } from '../sync/snapshotError';

/** An error whose message is French and meant for the user, thrown by the screens themselves. */
export class UserFacingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserFacingError';
  }
}

/** Error classes whose message is French and meant for the user. */
const KNOWN: (abstract new (...args: never[]) => Error)[] = [
  SyncError,
  ValidationError,
  NotFoundError,
  PendingChangesError,
  HostError,
  UserFacingError,
  // A refused file (.atlas-modifs, .atlas-instantane): its message says why, in French.
  FileError,
  SnapshotError,
];

/** True when the error's own message is French and written for the user. */
export function isUserFacing(e: unknown): e is Error {
  return e instanceof Error && e.message !== '' && KNOWN.some((k) => e instanceof k);
}

export const GENERIC_ERROR =
  'Une erreur inattendue s’est produite. Vos données enregistrées sur ce poste ne sont pas perdues ; réessayez, ou rechargez l’application si le problème persiste.';

/**
 * The message to show for `e`: its own when it is one of ours, else `fallback` (what failed, in French)
 * followed by the generic explanation.
 */
export function userMessage(e: unknown, fallback: string): string {
  if (isUserFacing(e)) return e.message;
  console.error(e);
  return `${fallback} ${GENERIC_ERROR}`;
}
