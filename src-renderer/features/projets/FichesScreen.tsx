// All fiches-projets of the collectivité, across partnerships.
import { useCallback, useMemo } from 'react';
import type { FicheProjet } from '../../../src-shared/domain/ficheProjet';
import { useCollectiviteId } from '../../core/context';
import { useRecords } from '../../core/data';
import { useAVerifier } from '../../ui/reprise';
import { FichesList } from './FichesList';

export function FichesScreen() {
  const collectiviteId = useCollectiviteId();
  const fiches = useRecords('ficheProjet', { collectiviteId });
  const partenariats = useRecords('partenariat', { collectiviteId });
  const byId = useMemo(() => new Map((partenariats ?? []).map((p) => [p.id, p.nomPartenaire])), [partenariats]);
  const aVerifier = useAVerifier(collectiviteId);
  const partenaireOf = useCallback((f: FicheProjet) => byId.get(f.partenariatId) ?? '', [byId]);
  return (
    <>
      <h1>Toutes les fiches-projets</h1>
      {fiches === undefined ? (
        <p role="status">Chargement…</p>
      ) : (
        <FichesList fiches={fiches} partenaireOf={partenaireOf} aVerifier={aVerifier.fiche} />
      )}
    </>
  );
}
