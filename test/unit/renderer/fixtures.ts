// Shared helpers for renderer tests: a fresh fake-indexeddb database per test.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { AtlasDb, setDb } from '../../../src-renderer/db/database';
import { collectiviteId } from '../../../src-shared/sync/ids';

let n = 0;
export function freshDb(opts?: { upTo?: number; name?: string; factory?: IDBFactory }): AtlasDb {
  const db = new AtlasDb(opts?.name ?? `test-${++n}`, {
    indexedDB: opts?.factory ?? new IDBFactory(),
    IDBKeyRange,
    upTo: opts?.upTo,
  });
  setDb(db);
  return db;
}

export const COLL = collectiviteId('commune:35238');

export function contactFields(over: Record<string, unknown> = {}) {
  return {
    collectiviteId: COLL,
    categorie: 'elu',
    civilite: 'Mme',
    prenom: 'Anne',
    nom: 'Martin',
    fonction: 'Maire',
    courriel: 'anne.martin@mairie-exemple.fr',
    telephone: null,
    ...over,
  };
}

export function partenariatFields(over: Record<string, unknown> = {}) {
  return {
    collectiviteId: COLL,
    nature: 'action_exterieure',
    pays: 'SN',
    nomPartenaire: 'Ville de Thiès',
    typePartenaire: 'municipalite',
    jumelage: false,
    dateConvention: null,
    statut: 'active',
    latitude: null,
    longitude: null,
    ...over,
  };
}

export function ficheFields(partenariatId: string, over: Record<string, unknown> = {}) {
  return {
    collectiviteId: COLL,
    partenariatId,
    intitule: 'Eau potable à Thiès',
    description: 'Forages et formation.',
    thematiques: ['eau'],
    statut: 'en_cours',
    dateDebut: '2024-01-15',
    ...over,
  };
}
