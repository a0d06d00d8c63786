// The Atlas import's mark « Repris de l’Atlas existant — à vérifier » (docs/domain.md). A partenariat or a
// fiche-projet the import wrote carries `reprisLe` (the run's time); the server clears it when anyone else
// writes the record. The mark shows while `reprisLe` is set and the record's part of the campaign was not
// attested since: editing the record or attesting its part is the verification the campaign asks for.
import type { AttestationCampagne, Partie } from './campagne';
import type { Partenariat } from './partenariat';

export const REPRISE_FIELD = 'reprisLe';
export const REPRISE_BADGE = 'Repris de l’Atlas existant — à vérifier';
export const REPRISE_AIDE = 'Vérifiez et modifiez si besoin, ou attestez la partie.';

/** The campaign part of a partenariat (and of its fiches-projets): c for coopérations décentralisées, else d. */
export function partieDuPartenariat(
  p: Pick<Partenariat, 'nature'>,
): Extract<Partie, 'cooperations' | 'actions_exterieures'> {
  return p.nature === 'cooperation_decentralisee' ? 'cooperations' : 'actions_exterieures';
}

/**
 * Still to verify: imported (`reprisLe` set) and its part not attested by its collectivité since the import.
 * `attestations` may hold any collectivité's: only those of the record's collectivité and part count.
 */
export function estAVerifier(
  record: { reprisLe?: string | null; collectiviteId: string },
  partie: Partie,
  attestations: readonly Pick<AttestationCampagne, 'collectiviteId' | 'partie' | 'verifieeLe'>[],
): boolean {
  const le = record.reprisLe;
  if (!le) return false;
  const depuis = Date.parse(le);
  return !attestations.some(
    (a) => a.collectiviteId === record.collectiviteId && a.partie === partie && Date.parse(a.verifieeLe) > depuis,
  );
}
