-- Issue 16: the server's Ed25519 key that signs snapshots (.atlas-instantane) and device certificates.
-- Generated at the first start and kept here, so every server process of one database signs with the same
-- key (one row); a production deployment may give it instead with ATLAS_SIGNING_KEY (then this row is unused).
-- The private key is as secret as the token secret of server_meta: a database dump holds both.
CREATE TABLE server_signing_key (
  id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  key_id text NOT NULL,
  public_key text NOT NULL,
  private_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
