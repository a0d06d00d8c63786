// The Atlas import's mark « Repris de l’Atlas existant — à vérifier » (docs/domain.md): the rule is shared
// (src-shared/domain/reprise.ts); this reads the collectivité's partenariats and attestations on this device
// and draws the DSFR badge, in words.
import { useMemo } from 'react';
import type { FicheProjet } from '../../src-shared/domain/ficheProjet';
import type { Partenariat } from '../../src-shared/domain/partenariat';
import { estAVerifier, partieDuPartenariat, REPRISE_AIDE, REPRISE_BADGE } from '../../src-shared/domain/reprise';
import { useRecords } from '../core/data';

export interface AVerifier {
  partenariat(p: Partenariat): boolean;
  fiche(f: FicheProjet): boolean;
}

/** Which of the collectivité's records still carry the mark (none while the attestations are being read). */
export function useAVerifier(collectiviteId: string): AVerifier {
  const partenariats = useRecords('partenariat', { collectiviteId });
  const attestations = useRecords('attestationCampagne', { collectiviteId });
  return useMemo(() => {
    const byId = new Map((partenariats ?? []).map((p) => [p.id, p]));
    const atts = attestations;
    if (!atts) return { partenariat: () => false, fiche: () => false };
    return {
      partenariat: (p: Partenariat) => estAVerifier(p, partieDuPartenariat(p), atts),
      fiche: (f: FicheProjet) => {
        const p = byId.get(f.partenariatId);
        return !!p && estAVerifier(f, partieDuPartenariat(p), atts);
      },
    };
  }, [partenariats, attestations]);
}

export function RepriseBadge() {
  return (
    <span className="fr-badge fr-badge--sm fr-badge--new" data-testid="marque-reprise">
      {REPRISE_BADGE}
    </span>
  );
}

/** The hint under a list or a part that holds marked records. */
export function RepriseAide() {
  return <p className="fr-hint-text fr-mb-1w">{REPRISE_AIDE}</p>;
}

/** Above a marked record's page: the badge and what to do. */
export function RepriseNotice({ marque }: { marque: boolean }) {
  if (!marque) return null;
  return (
    <div className="fr-notice fr-notice--info fr-mb-3w" data-testid="notice-reprise">
      <div className="fr-container">
        <div className="fr-notice__body">
          <p className="fr-notice__title">
            <RepriseBadge /> Cet enregistrement a été repris de l’Atlas existant. {REPRISE_AIDE}
          </p>
        </div>
      </div>
    </div>
  );
}
