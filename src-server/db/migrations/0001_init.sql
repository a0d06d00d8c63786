-- Atlas CNCD server: one table per registry entity (columns named like the zod schema fields),
-- sync metadata on every row, and the account, device, idempotency, conflict and audit tables.
-- Every revision comes from ONE global sequence: a device cursor is the last revision it saw.
CREATE SEQUENCE rev_seq AS bigint START 1;

-- Sync metadata, repeated on each entity table:
--   sync_rev      revision of the record's last change; created_rev: revision of its creation
--   field_revs    { field: revision of that field's last change }
--   deleted       tombstone (personal data: content purged)
--   scope_region  région of the record's collectivité (SGAR scope), denormalised

CREATE TABLE campagne (
  "id" uuid PRIMARY KEY,
  "annee" integer,
  "dateOuverture" text,
  "dateCloture" text,
  sync_rev bigint NOT NULL, created_rev bigint NOT NULL, field_revs jsonb NOT NULL DEFAULT '{}',
  deleted boolean NOT NULL DEFAULT false, scope_region text,
  updated_at timestamptz NOT NULL DEFAULT now(), updated_by text,
  CONSTRAINT campagne_live CHECK (deleted OR ("annee" IS NOT NULL AND "dateOuverture" IS NOT NULL AND "dateCloture" IS NOT NULL))
);
CREATE UNIQUE INDEX campagne_annee ON campagne ("annee");
CREATE INDEX campagne_rev ON campagne (sync_rev);

CREATE TABLE collectivite (
  "id" uuid PRIMARY KEY,
  "code" text NOT NULL UNIQUE,
  "nom" text NOT NULL,
  "type" text NOT NULL,
  "departement" text,
  "region" text,
  "adresse" text,
  "codePostal" text,
  "commune" text,
  "telephone" text,
  "courriel" text,
  "siteWeb" text,
  sync_rev bigint NOT NULL, created_rev bigint NOT NULL, field_revs jsonb NOT NULL DEFAULT '{}',
  deleted boolean NOT NULL DEFAULT false, scope_region text,
  updated_at timestamptz NOT NULL DEFAULT now(), updated_by text
);
CREATE INDEX collectivite_rev ON collectivite (sync_rev);
CREATE INDEX collectivite_scope ON collectivite ("id", sync_rev);
CREATE INDEX collectivite_region ON collectivite (scope_region, sync_rev);

CREATE TABLE contact (
  "id" uuid PRIMARY KEY,
  "collectiviteId" uuid NOT NULL REFERENCES collectivite ("id"),
  "categorie" text,
  "civilite" text,
  "prenom" text,
  "nom" text,
  "fonction" text,
  "courriel" text,
  "telephone" text,
  sync_rev bigint NOT NULL, created_rev bigint NOT NULL, field_revs jsonb NOT NULL DEFAULT '{}',
  deleted boolean NOT NULL DEFAULT false, scope_region text,
  updated_at timestamptz NOT NULL DEFAULT now(), updated_by text,
  -- personal data: a tombstone keeps no content
  CONSTRAINT contact_live CHECK (deleted OR ("categorie" IS NOT NULL AND "prenom" IS NOT NULL AND "nom" IS NOT NULL
    AND "fonction" IS NOT NULL AND "courriel" IS NOT NULL))
);
CREATE INDEX contact_rev ON contact (sync_rev);
CREATE INDEX contact_scope ON contact ("collectiviteId", sync_rev);
CREATE INDEX contact_region ON contact (scope_region, sync_rev);

CREATE TABLE adhesion (
  "id" uuid PRIMARY KEY,
  "collectiviteId" uuid NOT NULL REFERENCES collectivite ("id"),
  "reseauCode" text,
  "reseauNom" text,
  "adherent" boolean NOT NULL,
  "utilisePourActions" boolean NOT NULL,
  "depuis" integer,
  sync_rev bigint NOT NULL, created_rev bigint NOT NULL, field_revs jsonb NOT NULL DEFAULT '{}',
  deleted boolean NOT NULL DEFAULT false, scope_region text,
  updated_at timestamptz NOT NULL DEFAULT now(), updated_by text
);
CREATE INDEX adhesion_rev ON adhesion (sync_rev);
CREATE INDEX adhesion_scope ON adhesion ("collectiviteId", sync_rev);
CREATE INDEX adhesion_region ON adhesion (scope_region, sync_rev);

CREATE TABLE partenariat (
  "id" uuid PRIMARY KEY,
  "collectiviteId" uuid NOT NULL REFERENCES collectivite ("id"),
  "nature" text NOT NULL,
  "pays" text NOT NULL,
  "nomPartenaire" text NOT NULL,
  "typePartenaire" text,
  "jumelage" boolean NOT NULL,
  "dateConvention" text,
  "statut" text NOT NULL,
  "latitude" double precision,
  "longitude" double precision,
  sync_rev bigint NOT NULL, created_rev bigint NOT NULL, field_revs jsonb NOT NULL DEFAULT '{}',
  deleted boolean NOT NULL DEFAULT false, scope_region text,
  updated_at timestamptz NOT NULL DEFAULT now(), updated_by text
);
CREATE INDEX partenariat_rev ON partenariat (sync_rev);
CREATE INDEX partenariat_scope ON partenariat ("collectiviteId", sync_rev);
CREATE INDEX partenariat_region ON partenariat (scope_region, sync_rev);

CREATE TABLE fiche_projet (
  "id" uuid PRIMARY KEY,
  "collectiviteId" uuid NOT NULL REFERENCES collectivite ("id"),
  "partenariatId" uuid NOT NULL REFERENCES partenariat ("id"),
  "intitule" text NOT NULL,
  "description" text NOT NULL,
  "thematiques" jsonb NOT NULL,
  "statut" text NOT NULL,
  "dateDebut" text NOT NULL,
  "dateFin" text,
  "coutTotal" double precision,
  "participationCollectivite" double precision,
  "cofinancements" jsonb NOT NULL DEFAULT '[]',
  "operateurs" text,
  "beneficiaires" text,
  "odd" jsonb NOT NULL DEFAULT '[]',
  "dispositifUnPourCent" text NOT NULL DEFAULT 'aucun',
  "referentContactId" uuid REFERENCES contact ("id"),
  "siteWeb" text,
  sync_rev bigint NOT NULL, created_rev bigint NOT NULL, field_revs jsonb NOT NULL DEFAULT '{}',
  deleted boolean NOT NULL DEFAULT false, scope_region text,
  updated_at timestamptz NOT NULL DEFAULT now(), updated_by text
);
CREATE INDEX fiche_projet_rev ON fiche_projet (sync_rev);
CREATE INDEX fiche_projet_scope ON fiche_projet ("collectiviteId", sync_rev);
CREATE INDEX fiche_projet_region ON fiche_projet (scope_region, sync_rev);
CREATE INDEX fiche_projet_parent ON fiche_projet ("partenariatId");

CREATE TABLE declaration_apd (
  "id" uuid PRIMARY KEY,
  "collectiviteId" uuid NOT NULL REFERENCES collectivite ("id"),
  "annee" integer NOT NULL,
  "commentaire" text,
  sync_rev bigint NOT NULL, created_rev bigint NOT NULL, field_revs jsonb NOT NULL DEFAULT '{}',
  deleted boolean NOT NULL DEFAULT false, scope_region text,
  updated_at timestamptz NOT NULL DEFAULT now(), updated_by text,
  CONSTRAINT declaration_apd_natural_key UNIQUE ("collectiviteId", "annee")
);
CREATE INDEX declaration_apd_rev ON declaration_apd (sync_rev);
CREATE INDEX declaration_apd_scope ON declaration_apd ("collectiviteId", sync_rev);
CREATE INDEX declaration_apd_region ON declaration_apd (scope_region, sync_rev);

CREATE TABLE ligne_apd (
  "id" uuid PRIMARY KEY,
  "collectiviteId" uuid NOT NULL REFERENCES collectivite ("id"),
  "declarationApdId" uuid NOT NULL REFERENCES declaration_apd ("id"),
  "pays" text NOT NULL,
  "categorie" text NOT NULL,
  "montant" double precision NOT NULL,
  sync_rev bigint NOT NULL, created_rev bigint NOT NULL, field_revs jsonb NOT NULL DEFAULT '{}',
  deleted boolean NOT NULL DEFAULT false, scope_region text,
  updated_at timestamptz NOT NULL DEFAULT now(), updated_by text
);
CREATE INDEX ligne_apd_rev ON ligne_apd (sync_rev);
CREATE INDEX ligne_apd_scope ON ligne_apd ("collectiviteId", sync_rev);
CREATE INDEX ligne_apd_region ON ligne_apd (scope_region, sync_rev);
CREATE INDEX ligne_apd_parent ON ligne_apd ("declarationApdId");

CREATE TABLE avis (
  "id" uuid PRIMARY KEY,
  "collectiviteId" uuid NOT NULL REFERENCES collectivite ("id"),
  "ficheProjetId" uuid NOT NULL REFERENCES fiche_projet ("id"),
  "avis" text NOT NULL,
  "commentaire" text,
  "statutInstruction" text NOT NULL,
  "auteur" text NOT NULL,
  "date" text NOT NULL,
  sync_rev bigint NOT NULL, created_rev bigint NOT NULL, field_revs jsonb NOT NULL DEFAULT '{}',
  deleted boolean NOT NULL DEFAULT false, scope_region text,
  updated_at timestamptz NOT NULL DEFAULT now(), updated_by text
);
CREATE INDEX avis_rev ON avis (sync_rev);
CREATE INDEX avis_scope ON avis ("collectiviteId", sync_rev);
CREATE INDEX avis_region ON avis (scope_region, sync_rev);
CREATE INDEX avis_parent ON avis ("ficheProjetId");

CREATE TABLE attestation_campagne (
  "id" uuid PRIMARY KEY,
  "collectiviteId" uuid NOT NULL REFERENCES collectivite ("id"),
  "campagneId" uuid NOT NULL REFERENCES campagne ("id"),
  "partie" text NOT NULL,
  "verifieeLe" text NOT NULL,
  "par" text NOT NULL,
  sync_rev bigint NOT NULL, created_rev bigint NOT NULL, field_revs jsonb NOT NULL DEFAULT '{}',
  deleted boolean NOT NULL DEFAULT false, scope_region text,
  updated_at timestamptz NOT NULL DEFAULT now(), updated_by text,
  CONSTRAINT attestation_natural_key UNIQUE ("collectiviteId", "campagneId", "partie")
);
CREATE INDEX attestation_campagne_rev ON attestation_campagne (sync_rev);
CREATE INDEX attestation_campagne_scope ON attestation_campagne ("collectiviteId", sync_rev);
CREATE INDEX attestation_campagne_region ON attestation_campagne (scope_region, sync_rev);
CREATE INDEX attestation_campagne_parent ON attestation_campagne ("campagneId");

-- Accounts
CREATE TABLE users (
  id uuid PRIMARY KEY,
  email text NOT NULL UNIQUE,
  nom text NOT NULL,
  fonction text NOT NULL DEFAULT '',
  password_hash text NOT NULL,
  role text NOT NULL CHECK (role IN ('agent', 'sgar', 'daect')),
  collectivite_id uuid REFERENCES collectivite ("id"),
  region text,
  email_verified_at timestamptz,
  approved_at timestamptz,
  approved_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT users_scope CHECK ((role = 'agent' AND collectivite_id IS NOT NULL) OR (role = 'sgar' AND region IS NOT NULL) OR role = 'daect')
);

CREATE TABLE devices (
  user_id uuid NOT NULL REFERENCES users (id),
  id uuid NOT NULL,
  name text NOT NULL,
  public_key text NOT NULL,
  -- last applied per-device sequence number: changes of one device apply in order, a replay never twice
  last_seq bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, id)
);

CREATE TABLE refresh_tokens (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  device_id uuid NOT NULL,
  family_id uuid NOT NULL,
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  rotated_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

CREATE TABLE email_tokens (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  purpose text NOT NULL CHECK (purpose IN ('verify', 'reset')),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);

-- Sync bookkeeping
CREATE TABLE applied_changes (
  change_id uuid PRIMARY KEY,
  user_id uuid NOT NULL,
  device_id uuid NOT NULL,
  seq bigint NOT NULL,
  result jsonb NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE conflicts (
  id uuid PRIMARY KEY,
  rev bigint NOT NULL,
  entity text NOT NULL,
  record_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('field', 'edit_delete', 'delete_edit', 'natural_key')),
  field text,
  server_value jsonb,
  proposed_value jsonb,
  proposed_by text NOT NULL,
  proposed_at timestamptz NOT NULL DEFAULT now(),
  server_by text,
  resolved boolean NOT NULL DEFAULT false,
  resolved_by text,
  change_id uuid,
  collectivite_id uuid,
  scope_region text
);
CREATE INDEX conflicts_rev ON conflicts (rev);
CREATE INDEX conflicts_scope ON conflicts (collectivite_id, rev);
CREATE INDEX conflicts_region ON conflicts (scope_region, rev);
CREATE INDEX conflicts_record ON conflicts (record_id) WHERE NOT resolved;

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  user_id uuid,
  device_id uuid,
  change_id uuid,
  rev bigint,
  entity text NOT NULL,
  record_id uuid NOT NULL,
  field text,
  old_value jsonb,
  new_value jsonb
);
CREATE INDEX audit_log_record ON audit_log (record_id);

CREATE TABLE server_meta (key text PRIMARY KEY, value text NOT NULL);
