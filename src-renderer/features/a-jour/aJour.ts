// « Collectivités à jour »: the list that decides co-funding eligibility for a campaign. A collectivité is
// in it when its five parts were attested within the campaign's dates (the shared rule, campagneEtat.ts).
import type { AttestationCampagne, Campagne } from '../../../src-shared/domain/campagne';
import { attestationsParCollectivite, etatCollectivite } from '../../../src-shared/domain/campagneEtat';
import type { Collectivite } from '../../../src-shared/domain/collectivite';

export type CollectiviteAJour = Pick<Collectivite, 'id' | 'nom' | 'code' | 'type' | 'departement' | 'region'> & {
  /** The latest attestation of the campaign (an instant). */
  derniereAttestation: string;
};

const collator = new Intl.Collator('fr');

/** The collectivités à jour in `campagne`, by name. */
export function collectivitesAJour(
  collectivites: readonly Pick<Collectivite, 'id' | 'nom' | 'code' | 'type' | 'departement' | 'region'>[],
  attestations: readonly AttestationCampagne[],
  campagne: Campagne | null,
): CollectiviteAJour[] {
  if (!campagne) return [];
  const parCollectivite = attestationsParCollectivite(attestations.filter((a) => a.campagneId === campagne.id));
  const out: CollectiviteAJour[] = [];
  for (const c of collectivites) {
    const list = parCollectivite.get(c.id);
    if (!list) continue;
    const e = etatCollectivite(campagne, list);
    if (e.etat === 'a_jour')
      out.push({
        id: c.id,
        nom: c.nom,
        code: c.code,
        type: c.type,
        departement: c.departement,
        region: c.region,
        derniereAttestation: e.derniereAttestation!,
      });
  }
  return out.sort((a, b) => collator.compare(a.nom, b.nom) || collator.compare(a.code, b.code));
}
