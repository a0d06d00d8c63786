// The screens before login reach the session through this door only (app/data.ts is the door of the
// rest): importing data.ts would put the sync engine and the repository in the login screen's chunk.
export { login } from '../sync/session';
export { useSession } from '../sync/sessionHook';
