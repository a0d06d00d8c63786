// The stored session for the screens before login, loaded after the login form is on screen: this
// module brings Dexie and the session code (app/App.tsx imports it lazily). login() is here too.
import { liveQuery } from 'dexie';
import { getSession, login, type StoredSession } from '../sync/session';
import { setSessionHint } from '../sync/sessionHint';

export { login };

/** Calls `onSession` with the stored session now and at each change; returns the unsubscribe. */
export function watchSession(onSession: (s: StoredSession | null) => void): () => void {
  const sub = liveQuery(() => getSession().current()).subscribe({
    next: (s) => {
      setSessionHint(!!s);
      onSession(s);
    },
    error: () => onSession(null),
  });
  return () => sub.unsubscribe();
}
