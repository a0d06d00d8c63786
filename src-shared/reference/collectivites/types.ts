import type { CollectiviteType } from '../../domain/collectivite';

/** One collectivité of the official register (communes, EPCI, EPT, départements, régions, special status, COM). */
export interface OfficialCollectivite {
  /** Stable official code: `commune:<INSEE>`, `epci:<SIREN>`, `ept:<SIREN>`, `dep:<code>`, `reg:<code>`, `csp:<code>`, `com:<code>`. */
  code: string;
  nom: string;
  type: CollectiviteType;
  codeInsee: string | null;
  siren: string | null;
  codesPostaux: string[];
  /** Département code (routes to its SGAR through the région); null for régions and some COM. */
  departement: string | null;
  /** Région code (the SGAR scope); null for COM outside any région. */
  region: string | null;
  population: number | null;
}

export interface CollectiviteSearchHit {
  code: string;
  nom: string;
  type: CollectiviteType;
  departement: string | null;
  region: string | null;
  codeInsee: string | null;
  siren: string | null;
  codesPostaux: string[];
}
