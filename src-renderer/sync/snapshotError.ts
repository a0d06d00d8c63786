// Why this device refuses a snapshot it could read (its signature holds): a code for programs and a French
// sentence for people. Apart from sync/snapshot.ts so that the screens' error helper does not load it.
export type SnapshotErrorCode =
  | 'SNAPSHOT_OTHER_SCOPE'
  | 'SNAPSHOT_OLDER'
  | 'SNAPSHOT_OUT_OF_SCOPE'
  | 'SNAPSHOT_NO_CURSOR'
  | 'SNAPSHOT_NOT_ALLOWED'
  | 'SNAPSHOT_COPY_INCOMPLETE'
  | 'SNAPSHOT_NO_CERTIFICATE';

/** A snapshot refused (nothing was changed), or one this device cannot produce. */
export class SnapshotError extends Error {
  constructor(
    readonly code: SnapshotErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SnapshotError';
  }
}
