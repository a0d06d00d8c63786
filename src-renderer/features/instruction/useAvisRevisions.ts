// The avis of this device's copy and the server revision of each fiche-projet that has one: what the rule of
// aInstruire.ts reads, for the « Fiches à instruire » list and the regional dashboard.
import { useMemo } from 'react';
import { useRecords, useServerRevisions } from '../../core/data';

export function useAvisRevisions() {
  const avis = useRecords('avis');
  // Only a fiche with an avis needs its revision (without one it awaits an avis whatever its version).
  const avisFiches = useMemo(() => (avis ? [...new Set(avis.map((a) => a.ficheProjetId))].sort() : undefined), [avis]);
  const revisions = useServerRevisions('ficheProjet', avisFiches);
  return { avis, revisions };
}
