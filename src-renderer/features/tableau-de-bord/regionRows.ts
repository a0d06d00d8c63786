// The regional dashboard's rows, computed from records (pure: the screen reads them, the tests feed them):
// per collectivité of the région, the current campaign's state (src-shared/domain/campagneEtat.ts), the
// latest attestation, the quality advice of its checklist (counted as adviceByPart lists it) and the fiches
// awaiting an avis (the rule of « Fiches à instruire »). Then the totals, the filters, the search and the sort.
import type { Avis } from '../../../src-shared/domain/avis';
import type { AttestationCampagne, Campagne } from '../../../src-shared/domain/campagne';
import {
  ETAT_CAMPAGNE_LABELS,
  attestationsParCollectivite,
  etatCollectivite,
  type EtatCampagne,
  type EtatPartie,
} from '../../../src-shared/domain/campagneEtat';
import { COLLECTIVITE_TYPE_LABELS, type Collectivite } from '../../../src-shared/domain/collectivite';
import type { FicheProjet } from '../../../src-shared/domain/ficheProjet';
import { todayParis } from '../../../src-shared/domain/fields';
import type { Partenariat } from '../../../src-shared/domain/partenariat';
import { ficheProjetWarnings, partenariatWarnings } from '../../../src-shared/domain/warnings';
import { tokenize } from '../../../src-shared/reference/collectivites/normalize';
import { aInstruireParCollectivite, avisParFiche } from '../instruction/aInstruire';

export interface RegionRow {
  id: string;
  nom: string;
  code: string;
  departement: string | null;
  type: Collectivite['type'];
  etat: EtatCampagne;
  parties: EtatPartie[];
  verifiees: number;
  /** The latest attestation of any part, any campaign (the device knows no other date of a change). */
  derniereMiseAJour: string | null;
  avertissements: number;
  aInstruire: number;
}

export interface RegionInput {
  /** Région code; the collectivités of other régions are left out (a DAECT's copy holds them all). */
  region: string;
  collectivites: readonly Collectivite[];
  campagne: Campagne | null;
  attestations: readonly AttestationCampagne[];
  partenariats: readonly Partenariat[];
  fiches: readonly FicheProjet[];
  avis: readonly Avis[];
  /** Server revision of each fiche on this device (repository.serverRevisions). */
  ficheRevisions: ReadonlyMap<string, number | null>;
}

function group<T extends { collectiviteId: string }>(rows: readonly T[], keep: ReadonlySet<string>): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    if (!keep.has(r.collectiviteId)) continue;
    const list = out.get(r.collectiviteId);
    if (list) list.push(r);
    else out.set(r.collectiviteId, [r]);
  }
  return out;
}

/**
 * The number of quality advice of a collectivité's checklist (`adviceByPart`, features/campagne/parts.ts): the
 * forms' warnings on its partenariats and on the fiches of a partenariat it holds. Without `adviceByPart`'s
 * validation of each record by its schema, too slow for thousands of fiches at once: a record of the copy is
 * the server's or was validated when saved; one whose fields the warnings cannot read is left out, as there.
 */
export function avertissements(
  partenariats: readonly Partenariat[],
  fiches: readonly FicheProjet[],
  today: string = todayParis(),
): number {
  let n = 0;
  const ids = new Set<string>();
  for (const p of partenariats) {
    ids.add(p.id);
    if (typeof p.nomPartenaire === 'string') n += partenariatWarnings(p).length;
  }
  for (const f of fiches)
    if (ids.has(f.partenariatId) && typeof f.description === 'string' && Array.isArray(f.thematiques))
      n += ficheProjetWarnings(f, today).length;
  return n;
}

export function regionRows(input: RegionInput): RegionRow[] {
  const today = todayParis();
  const collectivites = input.collectivites.filter((c) => c.region === input.region);
  const ids = new Set(collectivites.map((c) => c.id));
  const attestations = attestationsParCollectivite(input.attestations.filter((a) => ids.has(a.collectiviteId)));
  const partenariats = group(input.partenariats, ids);
  const fiches = group(input.fiches, ids);
  const aInstruire = aInstruireParCollectivite(
    input.fiches.filter((f) => ids.has(f.collectiviteId)),
    avisParFiche(input.avis),
    input.ficheRevisions,
  );
  return collectivites.map((c) => {
    const own = attestations.get(c.id) ?? [];
    const e = etatCollectivite(input.campagne, own);
    return {
      id: c.id,
      nom: c.nom,
      code: c.code,
      departement: c.departement ?? null,
      type: c.type,
      etat: e.etat,
      parties: e.parties,
      verifiees: e.verifiees,
      derniereMiseAJour: own.reduce<string | null>((m, a) => (m === null || a.verifieeLe > m ? a.verifieeLe : m), null),
      avertissements: avertissements(partenariats.get(c.id) ?? [], fiches.get(c.id) ?? [], today),
      aInstruire: aInstruire.get(c.id) ?? 0,
    };
  });
}

export function totaux(rows: readonly RegionRow[]): Record<EtatCampagne, number> {
  const out: Record<EtatCampagne, number> = { a_jour: 0, partiel: 0, pas_a_jour: 0 };
  for (const r of rows) out[r.etat]++;
  return out;
}

export interface RegionFiltres {
  departement: string;
  type: string;
  etat: string;
  aInstruireSeulement: boolean;
  q: string;
}

export const SANS_FILTRE: RegionFiltres = { departement: '', type: '', etat: '', aInstruireSeulement: false, q: '' };

/** The folded words of a row's name and code, built once per list. */
export function rechercheIndex(rows: readonly RegionRow[]): Map<string, string> {
  return new Map(rows.map((r) => [r.id, ` ${tokenize(`${r.nom} ${r.code}`).join(' ')}`]));
}

export function filtrer(rows: readonly RegionRow[], f: RegionFiltres, index: ReadonlyMap<string, string>): RegionRow[] {
  const words = tokenize(f.q);
  return rows.filter(
    (r) =>
      (!f.departement || r.departement === f.departement) &&
      (!f.type || r.type === f.type) &&
      (!f.etat || r.etat === f.etat) &&
      (!f.aInstruireSeulement || r.aInstruire > 0) &&
      (!words.length || words.every((w) => (index.get(r.id) ?? '').includes(w))),
  );
}

export const COLONNES = [
  'nom',
  'code',
  'departement',
  'type',
  'etat',
  'parties',
  'derniereMiseAJour',
  'avertissements',
  'aInstruire',
] as const;
export type Colonne = (typeof COLONNES)[number];
export type Sens = 'ascending' | 'descending';

const collator = new Intl.Collator('fr', { numeric: true });
const ETAT_RANG: Record<EtatCampagne, number> = { pas_a_jour: 0, partiel: 1, a_jour: 2 };

function compare(a: RegionRow, b: RegionRow, col: Colonne): number {
  switch (col) {
    case 'nom':
      return collator.compare(a.nom, b.nom);
    case 'code':
      return collator.compare(a.code, b.code);
    case 'departement':
      return collator.compare(a.departement ?? '', b.departement ?? '');
    case 'type':
      return collator.compare(COLLECTIVITE_TYPE_LABELS[a.type], COLLECTIVITE_TYPE_LABELS[b.type]);
    case 'etat':
      return ETAT_RANG[a.etat] - ETAT_RANG[b.etat];
    case 'parties':
      return a.verifiees - b.verifiees;
    case 'derniereMiseAJour':
      // Never attested sorts before any date.
      return (a.derniereMiseAJour ?? '').localeCompare(b.derniereMiseAJour ?? '');
    case 'avertissements':
      return a.avertissements - b.avertissements;
    case 'aInstruire':
      return a.aInstruire - b.aInstruire;
  }
}

/** Sorted by one column (ties by name, always ascending, so the order is stable and readable). */
export function trier(rows: readonly RegionRow[], col: Colonne, sens: Sens): RegionRow[] {
  const k = sens === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => k * compare(a, b, col) || collator.compare(a.nom, b.nom));
}

export const etatLabel = (e: EtatCampagne) => ETAT_CAMPAGNE_LABELS[e];
