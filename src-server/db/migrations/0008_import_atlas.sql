-- Issue 17: importing existing Atlas records (npm run import:atlas, the DAECT's « Importer un Atlas existant »).
-- Each run writes through the sync service as the actor « import de l'Atlas <date> »: its audit_log rows carry
-- device_id = the run's id, named here. import_atlas_records remembers, per record an import created or updated,
-- the source key of its row, what the import last wrote in each field and at which revision: importing the
-- same file again writes nothing, a changed file updates only the fields nobody edited since.
CREATE TABLE import_atlas_runs (
  id uuid PRIMARY KEY,
  label text NOT NULL,
  file_name text NOT NULL,
  file_sha256 text NOT NULL,
  user_id uuid,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  status text NOT NULL CHECK (status IN ('en_cours', 'termine', 'echoue')),
  report jsonb,
  error text
);

CREATE TABLE import_atlas_records (
  entity text NOT NULL,
  record_id uuid NOT NULL,
  source_key text NOT NULL,
  run_id uuid NOT NULL REFERENCES import_atlas_runs (id),
  "values" jsonb NOT NULL,
  field_revs jsonb NOT NULL,
  PRIMARY KEY (entity, record_id)
);
