// What screens use to read and write records and to know the sync's state: the offline copy (db/:
// repository, live hooks, drafts, pending changes), the sync engine and the session (sync/), and the
// calls of endpoints that need the session. Screens reach db/ and sync/ through here only (the lint
// rule of eslint.config.js holds them to it); the server calls without a session are in ./server.ts,
// the platform in ./platform.ts.
export { repository, resolveConflict, ValidationError, type EditBase, type Repository } from '../db/repository';
export {
  useRecords,
  useRecordCount,
  useRecord,
  useReference,
  referenceOf,
  type Reference,
  useRecordStatus,
  useServerRevision,
  useServerRevisions,
  useConflicts,
  useRejected,
  useDraft,
  saveDraft,
  clearDraft,
} from '../db/hooks';
export { useSyncStatus, useSession, useFirstSync } from '../sync/hooks';
export {
  usePendingChanges,
  useUndoableDeletes,
  listUndoableDeletes,
  type PendingChange,
  type UndoableDelete,
} from '../db/pending';
export { login, logout } from '../sync/session';
export { syncEngine } from '../sync/engine';
export { callWithSession } from '../sync/sessionCall';
export { buildOwnPacket, importPacketFile, type PacketFile } from '../sync/packet';
export {
  buildOwnCollectiviteSnapshot,
  downloadSnapshot,
  importSnapshotFile,
  type Perimetre,
  type ProducedSnapshot,
  type SnapshotImportSummary,
  type SnapshotProgress,
} from '../sync/snapshot';
export { startBackups, findBackup, restoreBackup, clearBackup, type FoundBackup } from '../sync/backup';
export { retryLabel } from '../sync/reachability';
export type { SyncStatus } from '../sync/hooks';
