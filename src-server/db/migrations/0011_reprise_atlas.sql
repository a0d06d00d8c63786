-- Issue 17: the Atlas import's mark « Repris de l'Atlas existant — à vérifier » (docs/domain.md). The import run
-- writes its time in "reprisLe" on the partenariats and fiches-projets it writes; any other write clears it.
ALTER TABLE partenariat ADD COLUMN IF NOT EXISTS "reprisLe" text;
ALTER TABLE fiche_projet ADD COLUMN IF NOT EXISTS "reprisLe" text;
