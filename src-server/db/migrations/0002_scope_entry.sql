-- Records that enter or leave a scope (docs/architecture.md, "Whole records").
--   entered_rev  revision at which the record last entered its current SGAR scope (a région move):
--                a device whose copy is complete only below it receives the record whole.
--   scope_exits  one row per record that left a région: that région's devices drop it from their copy.
ALTER TABLE campagne ADD COLUMN entered_rev bigint NOT NULL DEFAULT 0;
ALTER TABLE collectivite ADD COLUMN entered_rev bigint NOT NULL DEFAULT 0;
ALTER TABLE contact ADD COLUMN entered_rev bigint NOT NULL DEFAULT 0;
ALTER TABLE adhesion ADD COLUMN entered_rev bigint NOT NULL DEFAULT 0;
ALTER TABLE partenariat ADD COLUMN entered_rev bigint NOT NULL DEFAULT 0;
ALTER TABLE fiche_projet ADD COLUMN entered_rev bigint NOT NULL DEFAULT 0;
ALTER TABLE declaration_apd ADD COLUMN entered_rev bigint NOT NULL DEFAULT 0;
ALTER TABLE ligne_apd ADD COLUMN entered_rev bigint NOT NULL DEFAULT 0;
ALTER TABLE avis ADD COLUMN entered_rev bigint NOT NULL DEFAULT 0;
ALTER TABLE attestation_campagne ADD COLUMN entered_rev bigint NOT NULL DEFAULT 0;

CREATE TABLE scope_exits (
  rev bigint NOT NULL,
  entity text NOT NULL,
  record_id uuid NOT NULL,
  region text NOT NULL
);
CREATE INDEX scope_exits_region ON scope_exits (region, rev);
