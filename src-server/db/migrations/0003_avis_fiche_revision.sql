-- Issue 15: an avis records the version of the fiche-projet it was given on (the highest revision of the
-- fiche's fields on its author's device), so a fiche changed since says its avis concerns an earlier one.
-- Null for the avis given before.
ALTER TABLE avis ADD COLUMN "ficheRevision" integer;
