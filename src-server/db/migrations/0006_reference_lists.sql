-- Issue 15: the reference lists the DAECT keeps (thématiques d'intervention, associations et réseaux) become
-- national synced records, one row per entry. Entries are retired, never deleted. The initial entries are
-- inserted by the server at start into an empty list (src-server/seed/referenceLists.ts), for a real
-- deployment as for the demo.
CREATE TABLE entree_reference (
  "id" uuid PRIMARY KEY,
  "liste" text,
  "code" text,
  "libelle" text,
  "region" text,
  "retiree" boolean,
  sync_rev bigint NOT NULL, created_rev bigint NOT NULL, field_revs jsonb NOT NULL DEFAULT '{}',
  deleted boolean NOT NULL DEFAULT false, scope_region text, entered_rev bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(), updated_by text,
  CONSTRAINT entree_reference_live CHECK (deleted OR ("liste" IS NOT NULL AND "code" IS NOT NULL AND "libelle" IS NOT NULL AND "retiree" IS NOT NULL))
);
CREATE UNIQUE INDEX entree_reference_key ON entree_reference ("liste", "code");
CREATE INDEX entree_reference_rev ON entree_reference (sync_rev);
