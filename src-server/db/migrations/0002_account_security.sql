-- Account security (issue 12): disabled accounts, a per-account token epoch that cuts access tokens,
-- the refresh grace period, account requests that create no collectivité before approval.

-- Disabled accounts keep their row (audit, devices); they can neither log in nor refresh.
ALTER TABLE users ADD COLUMN disabled_at timestamptz;
ALTER TABLE users ADD COLUMN disabled_reason text;
-- Access tokens carry the epoch they were signed under; a bump refuses every older one.
ALTER TABLE users ADD COLUMN token_epoch integer NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN token_epoch_at timestamptz;
-- An account request names its collectivité without creating its row: that happens at approval.
ALTER TABLE users ADD COLUMN requested_collectivite_code text;
ALTER TABLE users ADD COLUMN requested_collectivite_id uuid;
ALTER TABLE users ADD COLUMN requested_region text;
ALTER TABLE users DROP CONSTRAINT users_scope;
ALTER TABLE users ADD CONSTRAINT users_scope CHECK (
  (role = 'agent' AND (collectivite_id IS NOT NULL OR (approved_at IS NULL AND requested_collectivite_id IS NOT NULL)))
  OR (role = 'sgar' AND region IS NOT NULL) OR role = 'daect');

-- The successor pair of a rotated refresh token, encrypted under a key derived from the rotated token
-- itself: only whoever presents that token again (within the grace period) can read it back.
ALTER TABLE refresh_tokens ADD COLUMN successor_box text;
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);
CREATE INDEX email_tokens_user ON email_tokens (user_id, purpose);
