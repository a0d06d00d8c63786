// What each of the five parts holds, and its blocking problems (invalid records, rejected changes,
// open conflicts), shared by the dashboard and its tests.
import { PARTIES, type Partie } from '../../../src-shared/domain/campagne';
import type { EntityName } from '../../../src-shared/registry';
import { entityDef } from '../../../src-shared/registry';

export interface PartData {
  records: { entity: EntityName; rec: Record<string, unknown> & { id: string } }[];
}

export interface Issue { entity: EntityName; record: string }

export const PART_ROUTES: Record<Partie, string> = {
  contacts: '/contacts', reseaux: '/reseaux', cooperations: '/cooperations', actions_exterieures: '/actions', apd: '/apd',
};

export function partOf(entity: EntityName, rec: Record<string, unknown>, natureOfPartenariat: (id: string) => string | undefined): Partie | null {
  switch (entity) {
    case 'contact': return 'contacts';
    case 'adhesion': return 'reseaux';
    case 'partenariat': return rec.nature === 'action_exterieure' ? 'actions_exterieures' : 'cooperations';
    case 'ficheProjet': {
      // A fiche whose partnership is gone (deleted elsewhere) belongs to no part we can name.
      const n = natureOfPartenariat(rec.partenariatId as string);
      return n === undefined ? null : n === 'action_exterieure' ? 'actions_exterieures' : 'cooperations';
    }
    case 'declarationApd': case 'ligneApd': return 'apd';
    default: return null;
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
      if (p) { out[p]++; counted.add(`${entity}:${rec.id}`); }
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
