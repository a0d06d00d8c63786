-- Last sync of each device (issue 15, account list): when a sync cycle of the device last completed.
-- Written by the sync service at most once a minute per device (LastSyncs in sync/service.ts), so a no-op cycle
-- stays without a database write; the account list shows the latest of the account's devices.
ALTER TABLE devices ADD COLUMN last_sync_at timestamptz;
