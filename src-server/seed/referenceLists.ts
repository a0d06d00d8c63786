// The initial entries of the reference lists (issue 15): inserted by the server at start into an empty list,
// so a real deployment's new database has them as the demo has. Afterwards the DAECT keeps the lists (add,
// rename, retire) on « Listes de référence »; these are no longer read by the app.
import { naturalId } from '../../src-shared/sync/ids';
import type { EntreeReference, ListeReference } from '../../src-shared/domain/entreeReference';
import type { Db } from '../db/driver';
import type { RevAllocator } from '../sync/revs';
import { insertRecords } from './insert';

type Seed = { code: string; libelle: string; region?: string };

/** Thématiques d'intervention (the list as it stood in code before issue 15). */
export const THEMATIQUES_INITIALES: readonly Seed[] = [
  { code: 'gouvernance', libelle: 'Appui institutionnel et gouvernance locale' },
  { code: 'eau', libelle: 'Eau et assainissement' },
  { code: 'education', libelle: 'Éducation et formation' },
  { code: 'enseignement_superieur', libelle: 'Enseignement supérieur et recherche' },
  { code: 'sante', libelle: 'Santé' },
  { code: 'agriculture', libelle: 'Agriculture, pêche et sécurité alimentaire' },
  { code: 'economie', libelle: 'Développement économique' },
  { code: 'environnement', libelle: 'Environnement, climat et énergie' },
  { code: 'culture', libelle: 'Culture et patrimoine' },
  { code: 'jeunesse', libelle: 'Jeunesse' },
  { code: 'sport', libelle: 'Sport' },
  { code: 'tourisme', libelle: 'Tourisme' },
  { code: 'urbanisme', libelle: 'Urbanisme et aménagement' },
  { code: 'egalite', libelle: 'Égalité femmes-hommes' },
  { code: 'numerique', libelle: 'Numérique' },
  { code: 'action_sociale', libelle: 'Action sociale' },
  { code: 'francophonie', libelle: 'Francophonie' },
  { code: 'humanitaire', libelle: 'Aide humanitaire et urgence' },
  { code: 'autre', libelle: 'Autre' },
];

/** Associations et réseaux: national networks plus the regional multi-actor networks (RRMA, with their région). */
export const RESEAUX_INITIAUX: readonly Seed[] = [
  { code: 'cuf', libelle: 'Cités Unies France' },
  { code: 'afccre', libelle: 'AFCCRE' },
  { code: 'cglu', libelle: 'CGLU – Cités et gouvernements locaux unis' },
  { code: 'aimf', libelle: 'AIMF – Association internationale des maires francophones' },
  { code: 'platforma', libelle: 'PLATFORMA' },
  { code: 'rrma_ara', libelle: 'RESACOOP (Auvergne-Rhône-Alpes)', region: '84' },
  { code: 'rrma_bfc', libelle: 'Bourgogne-Franche-Comté International', region: '27' },
  { code: 'rrma_bre', libelle: 'Bretagne Solidaire', region: '53' },
  { code: 'rrma_cvl', libelle: 'Centraider (Centre-Val de Loire)', region: '24' },
  { code: 'rrma_ges', libelle: 'GESCOD (Grand Est)', region: '44' },
  { code: 'rrma_hdf', libelle: 'Lianes Coopération (Hauts-de-France)', region: '32' },
  { code: 'rrma_nor', libelle: 'Horizons Solidaires (Normandie)', region: '28' },
  { code: 'rrma_naq', libelle: 'SO Coopération (Nouvelle-Aquitaine)', region: '75' },
  { code: 'rrma_occ', libelle: 'Occitanie Coopération', region: '76' },
  { code: 'rrma_pdl', libelle: 'Pays de la Loire Coopération Internationale', region: '52' },
  { code: 'rrma_pac', libelle: 'Territoires Solidaires (Provence-Alpes-Côte d’Azur)', region: '93' },
  { code: 'rrma_cor', libelle: 'Corsica Cooperazione (Corse)', region: '94' },
  { code: 'rrma_reu', libelle: 'Réseau régional de La Réunion', region: '04' },
  { code: 'rrma_idf', libelle: 'Réseau régional d’Île-de-France', region: '11' },
];

export const LISTES_INITIALES: Record<ListeReference, readonly Seed[]> = {
  thematique: THEMATIQUES_INITIALES,
  reseau: RESEAUX_INITIAUX,
};

/** The initial entries of a list as records (ids from the natural key, like the app makes them). */
export function entreesInitiales(liste: ListeReference): EntreeReference[] {
  return LISTES_INITIALES[liste].map((s) => ({
    id: naturalId('entreeReference', [liste, s.code]),
    liste,
    code: s.code,
    libelle: s.libelle,
    region: s.region ?? null,
    retiree: false,
  }));
}

/**
 * Inserts the initial entries of each list that has none (a new database): run at every start, after the
 * migrations. A list the DAECT has edited is left as it is (entries are never deleted, so it is never empty).
 */
export async function ensureReferenceLists(db: Db, revs: RevAllocator): Promise<void> {
  for (const liste of Object.keys(LISTES_INITIALES) as ListeReference[]) {
    const rows = await db.query('SELECT 1 FROM entree_reference WHERE "liste" = $1 LIMIT 1', [liste]);
    if (rows.length) continue;
    await insertRecords(db, revs, 'entreeReference', entreesInitiales(liste), () => null, 'Listes initiales');
  }
}
