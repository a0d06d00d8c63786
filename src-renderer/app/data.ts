// The screens' one door to data: the client-sync layer (db/, sync/). Screens never touch Dexie or fetch.
export { repository, resolveConflict, ValidationError, NotFoundError, type EditBase, type Repository } from '../db/repository';
export { useRecords, useRecord, useRecordStatus, useConflicts, useRejected, useDraft, saveDraft, clearDraft } from '../db/hooks';
export { useSyncStatus, useSession } from '../sync/hooks';
export { usePendingChanges, useUndoableDeletes, listUndoableDeletes, type PendingChange, type UndoableDelete } from '../db/pending';
export { login, logout } from '../sync/session';
export { syncEngine } from '../sync/engine';
