// The stored session for the screens, without the sync engine: the login screen needs this alone.
import { useLiveQuery } from 'dexie-react-hooks';
import { getSession, type StoredSession } from './session';

/** The stored session (undefined while loading, null when logged out). */
export function useSession(): StoredSession | null | undefined {
  return useLiveQuery(() => getSession().current(), []);
}
