-- Issue 16: changes that reached the server in a packet file (.atlas-modifs) rather than by their device's
-- own sync. The change is applied as its author (audit_log.user_id, device_id); this row names who carried
-- and imported it, and which file: the audit of a carried change names both.
CREATE TABLE carried_changes (
  change_id uuid PRIMARY KEY,
  carrier_id uuid NOT NULL REFERENCES users (id),
  file_sha256 text NOT NULL,
  imported_at timestamptz NOT NULL DEFAULT now()
);
