// A hint, readable without opening IndexedDB, that this browser holds a stored session: the app then
// waits for it (a "Chargement" line) instead of showing the login form, which Dexie and the session
// code are not needed for (issue 11: what loads before the form). Only a hint: the stored session in
// IndexedDB stays the truth, and a missing hint costs a glimpse of the login form, never a session.
const KEY = 'atlas.session-presente';
/** Fired on window when a session has just been stored (a login): the app reads it without waiting. */
export const SESSION_STORED_EVENT = 'atlas-session-enregistree';

export function hasSessionHint(): boolean {
  try {
    return globalThis.localStorage?.getItem(KEY) === '1';
  } catch {
    return false;
  }
}

export function setSessionHint(present: boolean): void {
  try {
    if (present) globalThis.localStorage?.setItem(KEY, '1');
    else globalThis.localStorage?.removeItem(KEY);
  } catch {
    /* storage refused (private mode): the hint is only an optimisation */
  }
  if (present && typeof window !== 'undefined') window.dispatchEvent(new Event(SESSION_STORED_EVENT));
}
