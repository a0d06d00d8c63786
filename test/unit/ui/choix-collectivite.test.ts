// The collectivité chooser's search (issue 15): accents, case and punctuation ignored, région names
// found, every word required, the count said; and the first sync's progress sentence.
import { describe, expect, it } from 'vitest';
import {
  countSentence,
  searchCollectivites,
  searchIndex,
  searchWords,
  type ChoixItem,
} from '../../../src-renderer/features/campagne/choix';
import { firstSyncText, progressText } from '../../../src-renderer/features/synchronisation/SyncProgress';
import { regionNom } from '../../../src-shared/reference/regions';

const item = (nom: string, code: string, type: ChoixItem['type'], departement: string | null, region: string | null) =>
  ({ id: code, nom, code, type, departement, region }) as ChoixItem;

const LIST: ChoixItem[] = [
  item('Saint-Brieuc', 'commune:22278', 'commune', '22', '53'),
  item('Rennes', 'commune:35238', 'commune', '35', '53'),
  item('Bretagne', 'reg:53', 'region', null, '53'),
  item('Île-de-France', 'reg:11', 'region', null, '11'),
  item('Évry-Courcouronnes', 'commune:91228', 'commune', '91', '11'),
  item('Lyon', 'commune:69123', 'commune', '69', '84'),
  item('Saint-Pierre', 'commune:97502', 'commune', null, null),
];
const index = searchIndex(LIST);
const names = (q: string) => searchCollectivites(index, q).map((c) => c.nom);

describe('collectivité chooser search', () => {
  it('keeps them all, in French name order, for an empty or blank query', () => {
    expect(names('')).toEqual([
      'Bretagne',
      'Évry-Courcouronnes',
      'Île-de-France',
      'Lyon',
      'Rennes',
      'Saint-Brieuc',
      'Saint-Pierre',
    ]);
    expect(names('   ')).toHaveLength(LIST.length);
  });

  it('folds what is typed: no accents, no case, no punctuation, abbreviations expanded', () => {
    expect(searchWords('Île-de-France')).toEqual(['ile', 'de', 'france']);
    expect(searchWords('  ST-BRIEUC ')).toEqual(['saint', 'brieuc']);
    expect(searchWords('Provence-Alpes-Côte d’Azur')).toEqual(['provence', 'alpes', 'cote', 'd', 'azur']);
    expect(searchWords('')).toEqual([]);
  });

  it('finds part of a name, whatever the case, accents and hyphens', () => {
    expect(names('brieuc')).toEqual(['Saint-Brieuc']);
    expect(names('SAINT BRIEUC')).toEqual(['Saint-Brieuc']);
    expect(names('st-brieuc')).toEqual(['Saint-Brieuc']);
    expect(names('evry')).toEqual(['Évry-Courcouronnes']);
    expect(names('ÉVRY courc')).toEqual(['Évry-Courcouronnes']);
  });

  it('finds every collectivité of a région by the région’s name', () => {
    expect(names('bretagne')).toEqual(['Bretagne', 'Rennes', 'Saint-Brieuc']);
    expect(names('Bretagne')).toEqual(names('bretagne'));
    expect(names('ile de france')).toEqual(['Évry-Courcouronnes', 'Île-de-France']);
    expect(names('île-de-france')).toEqual(names('ile de france'));
    expect(names('auvergne rhone')).toEqual(['Lyon']);
  });

  it('finds a code or a département, and requires every word', () => {
    expect(names('22278')).toEqual(['Saint-Brieuc']);
    expect(names('35')).toEqual(['Rennes']);
    expect(names('rennes bretagne')).toEqual(['Rennes']);
    expect(names('rennes normandie')).toEqual([]);
    expect(names('region bretagne')).toEqual(['Bretagne']);
  });

  it('says how many there are and how many match', () => {
    const fmt = (n: number) => String(n);
    expect(countSentence(313, 313, false, fmt)).toBe('313 collectivités');
    expect(countSentence(1, 1, false, fmt)).toBe('1 collectivité');
    expect(countSentence(12, 313, true, fmt)).toBe('12 collectivités sur 313 correspondent');
    expect(countSentence(1, 313, true, fmt)).toBe('1 collectivité sur 313 correspond');
    expect(countSentence(0, 313, true, fmt)).toBe('Aucune collectivité sur 313 ne correspond');
  });

  it('names a région by its code, and says an unknown one rather than hiding it', () => {
    expect(regionNom('53')).toBe('Bretagne');
    expect(regionNom('11')).toBe('Île-de-France');
    expect(regionNom('94')).toBe('Corse');
    expect(regionNom('99')).toBe('région 99');
    expect(regionNom(null)).toBeNull();
  });
});

describe('first sync progress', () => {
  const sp = (s: string) => s.replace(/\s/g, ' ');
  it('counts against the total the server announced, else what arrived', () => {
    expect(firstSyncText(null)).toBe('Première synchronisation : connexion au serveur…');
    expect(sp(firstSyncText({ pages: 6, pulled: 12_000, more: true, total: 65_000 }))).toBe(
      'Première synchronisation : 12 000 enregistrements sur 65 000…',
    );
    expect(firstSyncText({ pages: 1, pulled: 1, more: true, total: 3 })).toBe(
      'Première synchronisation : 1 enregistrement sur 3…',
    );
    expect(sp(firstSyncText({ pages: 2, pulled: 4_000, more: true }))).toBe(
      'Première synchronisation : 4 000 enregistrements reçus…',
    );
    expect(sp(progressText(true, { pages: 2, pulled: 4_000, more: true, total: 9_000 }))).toBe(
      'Réception des données : 4 000 enregistrements reçus sur 9 000, d’autres suivent…',
    );
  });
});
