// The DAECT's national dashboard, computed from the device's national copy: the circular's figures
// (collectivités engagées, partenaires, pays, projets, autres actions) and the current campaign's progress
// per région. Pure and in one pass over each list, so the screen memoises it on the lists it reads.
import type { AttestationCampagne, Campagne } from '../../../src-shared/domain/campagne';
import { attestationsParCollectivite, etatCollectivite } from '../../../src-shared/domain/campagneEtat';
import type { Collectivite } from '../../../src-shared/domain/collectivite';
import type { Partenariat } from '../../../src-shared/domain/partenariat';
import { REGION_NOMS, regionNom } from '../../../src-shared/reference/regions';

export interface EntreeNationale {
  collectivites: readonly Pick<Collectivite, 'id' | 'region'>[];
  partenariats: readonly Pick<Partenariat, 'collectiviteId' | 'nature' | 'pays' | 'nomPartenaire'>[];
  /** Number of fiches-projets (only their count is shown). */
  fiches: number;
  campagne: Campagne | null;
  attestations: readonly AttestationCampagne[];
}

export interface ChiffresNationaux {
  /** Collectivités of the copy (registered in the Atlas). */
  inscrites: number;
  /** Collectivités with at least one partenariat (coopération décentralisée or action extérieure). */
  engagees: number;
  /** Distinct partner authorities of the coopérations décentralisées (same country and same name: one). */
  partenaires: number;
  /** Distinct countries of all partenariats (coopérations and actions extérieures). */
  pays: number;
  cooperations: number;
  /** Fiches-projets. */
  projets: number;
  /** Partenariats of nature action extérieure. */
  autresActions: number;
}

export interface LigneRegion {
  /** COG code of the région; null for the collectivités outside any région (collectivités d'outre-mer). */
  code: string | null;
  nom: string;
  total: number;
  aJour: number;
  partiel: number;
  pasAJour: number;
}

export interface TableauNational {
  chiffres: ChiffresNationaux;
  /** Every région of the COG (even one without collectivité), by name; then « Hors région » when needed. */
  regions: LigneRegion[];
  /** The whole country. */
  france: LigneRegion;
}

/** A partner's name as the count compares it: case, accents, punctuation and spacing ignored. */
export function nomCompare(nom: string): string {
  return (/[^\x00-\x7f]/.test(nom) ? nom.normalize('NFD') : nom)
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const collator = new Intl.Collator('fr');
export const HORS_REGION = 'Hors région (collectivités d’outre-mer)';

export function tableauNational(e: EntreeNationale): TableauNational {
  const engagees = new Set<string>();
  const partenaires = new Set<string>();
  const pays = new Set<string>();
  let cooperations = 0;
  let autresActions = 0;
  for (const p of e.partenariats) {
    engagees.add(p.collectiviteId);
    pays.add(p.pays);
    if (p.nature === 'action_exterieure') autresActions++;
    else {
      cooperations++;
      partenaires.add(`${p.pays}|${nomCompare(p.nomPartenaire)}`);
    }
  }
  const live = new Set(e.collectivites.map((c) => c.id));
  let engageesVivantes = 0;
  for (const id of engagees) if (live.has(id)) engageesVivantes++;

  const rows = new Map<string, LigneRegion>();
  for (const [code, nom] of Object.entries(REGION_NOMS))
    rows.set(code, { code, nom, total: 0, aJour: 0, partiel: 0, pasAJour: 0 });
  const france: LigneRegion = { code: null, nom: 'France entière', total: 0, aJour: 0, partiel: 0, pasAJour: 0 };
  // Only the current campaign's attestations matter: the others are dropped before grouping.
  const campagneId = e.campagne?.id;
  const parCollectivite = attestationsParCollectivite(
    campagneId ? e.attestations.filter((a) => a.campagneId === campagneId) : [],
  );
  for (const c of e.collectivites) {
    const key = c.region ?? '';
    let row = rows.get(key);
    if (!row) {
      row = {
        code: c.region ?? null,
        nom: regionNom(c.region) ?? HORS_REGION,
        total: 0,
        aJour: 0,
        partiel: 0,
        pasAJour: 0,
      };
      rows.set(key, row);
    }
    const list = parCollectivite.get(c.id);
    const etat = list ? etatCollectivite(e.campagne, list).etat : 'pas_a_jour';
    for (const r of [row, france]) {
      r.total++;
      if (etat === 'a_jour') r.aJour++;
      else if (etat === 'partiel') r.partiel++;
      else r.pasAJour++;
    }
  }
  const regions = [...rows.values()].sort(
    (a, b) => Number(a.code === null) - Number(b.code === null) || collator.compare(a.nom, b.nom),
  );
  return {
    chiffres: {
      inscrites: e.collectivites.length,
      engagees: engageesVivantes,
      partenaires: partenaires.size,
      pays: pays.size,
      cooperations,
      projets: e.fiches,
      autresActions,
    },
    regions,
    france,
  };
}

/** "25 %", "< 1 %" (some but under one in a hundred), "> 99 %", "—" (nothing to count). */
export function part(n: number, total: number): string {
  if (total === 0) return '—';
  const p = (n / total) * 100;
  if (p > 0 && p < 1) return '< 1\u00a0%';
  if (p < 100 && p > 99) return '> 99\u00a0%';
  return `${Math.round(p)}\u00a0%`;
}

/** The share class of a région's marker on the map (0 to 3), null when it has no collectivité. */
export function classePart(r: Pick<LigneRegion, 'aJour' | 'total'>): 0 | 1 | 2 | 3 | null {
  if (r.total === 0) return null;
  const p = r.aJour / r.total;
  return p < 0.25 ? 0 : p < 0.5 ? 1 : p < 0.75 ? 2 : 3;
}
