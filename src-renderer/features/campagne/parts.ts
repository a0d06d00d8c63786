// What each of the five parts holds, its blocking problems (invalid records, rejected changes,
// open conflicts) and its quality advice (never blocking), shared by the dashboard and its tests.
import { PARTIES, type Partie } from '../../../src-shared/domain/campagne';
import type { FicheProjet } from '../../../src-shared/domain/ficheProjet';
import type { Partenariat } from '../../../src-shared/domain/partenariat';
import { ficheProjetWarnings, partenariatWarnings, type Warning } from '../../../src-shared/domain/warnings';
import type { EntityName } from '../../../src-shared/registry';
import { entityDef } from '../../../src-shared/registry';

export interface PartData {
  records: { entity: EntityName; rec: Record<string, unknown> & { id: string } }[];
}

export interface Issue {
  entity: EntityName;
  record: string;
}

export const PART_ROUTES: Record<Partie, string> = {
  contacts: '/contacts',
  reseaux: '/reseaux',
  cooperations: '/cooperations',
  actions_exterieures: '/actions',
  apd: '/apd',
};

function partOf(
  entity: EntityName,
  rec: Record<string, unknown>,
  natureOfPartenariat: (id: string) => string | undefined,
): Partie | null {
  switch (entity) {
    case 'contact':
      return 'contacts';
    case 'adhesion':
      return 'reseaux';
    case 'partenariat':
      return rec.nature === 'action_exterieure' ? 'actions_exterieures' : 'cooperations';
    case 'ficheProjet': {
      // A fiche whose partnership is gone (deleted elsewhere) belongs to no part we can name.
      const n = natureOfPartenariat(rec.partenariatId as string);
      return n === undefined ? null : n === 'action_exterieure' ? 'actions_exterieures' : 'cooperations';
    }
    case 'declarationApd':
    case 'ligneApd':
      return 'apd';
    default:
      return null;
  }
}

/** Problems per part: records the shared schema refuses, plus rejected changes and open conflicts. */
export function problemsByPart(
  all: { entity: EntityName; rec: Record<string, unknown> & { id: string } }[],
  issues: (Issue & { proposed?: Record<string, unknown> | null })[],
): { byPart: Record<Partie, number>; unassigned: number } {
  const out = Object.fromEntries(PARTIES.map((p) => [p, 0])) as Record<Partie, number>;
  let unassigned = 0;
  const nature = new Map<string, string>();
  for (const { entity, rec } of all) if (entity === 'partenariat') nature.set(rec.id, rec.nature as string);
  const byKey = new Map(all.map((x) => [`${x.entity}:${x.rec.id}`, x]));
  const counted = new Set<string>();
  for (const { entity, rec } of all) {
    if (!entityDef(entity).schema.safeParse(rec).success) {
      const p = partOf(entity, rec, (id) => nature.get(id));
      if (p) {
        out[p]++;
        counted.add(`${entity}:${rec.id}`);
      }
    }
  }
  for (const i of issues) {
    const key = `${i.entity}:${i.record}`;
    if (counted.has(key)) continue;
    counted.add(key);
    const x = byKey.get(key);
    const p = partOf(i.entity, x?.rec ?? i.proposed ?? {}, (id) => nature.get(id));
    if (p) out[p]++;
    else unassigned++;
  }
  return { byPart: out, unassigned };
}

/** One piece of quality advice of the checklist: the shared warning and the record it is about. */
export interface Advice {
  entity: 'partenariat' | 'ficheProjet';
  id: string;
  /** How the record is named on its own screen (partner name, fiche title). */
  label: string;
  /** Hash route of the record's form. */
  to: string;
  warning: Warning;
}

/**
 * Quality advice per part, from the same functions as the forms (src-shared/domain/warnings.ts).
 * Advice never blocks the attestation; records the schema refuses are problems, not advice.
 */
export function adviceByPart(
  all: { entity: EntityName; rec: Record<string, unknown> & { id: string } }[],
): Record<Partie, Advice[]> {
  const out = Object.fromEntries(PARTIES.map((p) => [p, [] as Advice[]])) as Record<Partie, Advice[]>;
  const nature = new Map<string, string>();
  for (const { entity, rec } of all) if (entity === 'partenariat') nature.set(rec.id, rec.nature as string);
  for (const { entity, rec } of all) {
    if (entity !== 'partenariat' && entity !== 'ficheProjet') continue;
    const parsed = entityDef(entity).schema.safeParse(rec);
    if (!parsed.success) continue;
    const p = partOf(entity, rec, (id) => nature.get(id));
    if (!p) continue;
    if (entity === 'partenariat') {
      const r = parsed.data as Partenariat;
      for (const warning of partenariatWarnings(r)) {
        out[p].push({ entity, id: r.id, label: r.nomPartenaire, to: `/partenariats/${r.id}`, warning });
      }
    } else {
      const r = parsed.data as FicheProjet;
      for (const warning of ficheProjetWarnings(r)) {
        out[p].push({
          entity,
          id: r.id,
          label: r.intitule,
          to: `/partenariats/${r.partenariatId}/fiches/${r.id}`,
          warning,
        });
      }
    }
  }
  return out;
}
