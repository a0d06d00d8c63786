// What screens use to read and write records: the offline copy (db/: repository, live hooks, drafts,
// pending changes) and the sync engine and session (sync/). Records are read and written only through
// these (no screen opens a Dexie table), but this is not the only import from db/, sync/ and host/:
// the account screens call the server through sync/http (and comptes takes the token from sync/session),
// the status bar imports sync/hooks and sync/reachability, the update notice and the secret-storage
// notice take their types and errors from host/, ui/errors.ts maps the errors of db/, sync/ and host/,
// and some screens and ui/ hooks watch repository reads with dexie-react-hooks' useLiveQuery.
export { repository, resolveConflict, ValidationError, type EditBase, type Repository } from '../db/repository';
export {
  useRecords,
  useRecord,
  useRecordStatus,
  useConflicts,
  useRejected,
  useDraft,
  saveDraft,
  clearDraft,
} from '../db/hooks';
export { useSyncStatus, useSession } from '../sync/hooks';
export {
  usePendingChanges,
  useUndoableDeletes,
  listUndoableDeletes,
  type PendingChange,
  type UndoableDelete,
} from '../db/pending';
export { login, logout } from '../sync/session';
export { syncEngine } from '../sync/engine';
