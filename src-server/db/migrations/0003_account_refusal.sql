-- Refused account requests (issue 15): the row stays, with the reason, who refused it and when (audit);
-- it can no longer log in, and leaves the pending list. The same address may ask again: the address is
-- unique among the accounts that are not refused only, so a new request is a new row beside the old one.
ALTER TABLE users ADD COLUMN refused_at timestamptz;
ALTER TABLE users ADD COLUMN refused_reason text;
ALTER TABLE users ADD COLUMN refused_by uuid REFERENCES users (id);
ALTER TABLE users DROP CONSTRAINT users_email_key;
CREATE UNIQUE INDEX users_email_live ON users (email) WHERE refused_at IS NULL;
CREATE INDEX users_email ON users (email);
