// The search of the collectivité chooser (SGAR: a région, up to ~1,300 collectivités; DAECT: the whole
// country, ~4,800 engaged ones): every word typed must appear, accent-, case- and punctuation-blind, in
// the collectivité's name, official code, département, région name or type ("ile de france" finds
// « Île-de-France », "bretagne" every collectivité of Bretagne, "st brieuc" Saint-Brieuc).
import { COLLECTIVITE_TYPE_LABELS, type Collectivite } from '../../../src-shared/domain/collectivite';
import { tokenize } from '../../../src-shared/reference/collectivites/normalize';
import { regionNom } from '../../../src-shared/reference/regions';

export type ChoixItem = Pick<Collectivite, 'id' | 'nom' | 'code' | 'type' | 'departement' | 'region'>;

export interface Searchable<T> {
  item: T;
  /** Folded words of everything the search looks in, each preceded by a space. */
  text: string;
}

const collator = new Intl.Collator('fr');

/** Folded words of a query or a text ("Île-de-France" → "ile de france"), abbreviations expanded. */
export function searchWords(input: string): string[] {
  return tokenize(input);
}

/** Built once per list (not per keystroke): the folded text each collectivité is searched in, sorted by name. */
export function searchIndex<T extends ChoixItem>(list: readonly T[]): Searchable<T>[] {
  return list
    .map((item) => ({
      item,
      text: ` ${searchWords(
        [
          item.nom,
          item.code,
          item.departement ?? '',
          regionNom(item.region) ?? '',
          COLLECTIVITE_TYPE_LABELS[item.type],
        ].join(' '),
      ).join(' ')}`,
    }))
    .sort((a, b) => collator.compare(a.item.nom, b.item.nom));
}

/**
 * The collectivités whose text holds every word of the query, in name order. A word matches the start of
 * a word or any part of it ("brieuc", "22278"). An empty query keeps them all.
 */
export function searchCollectivites<T>(index: readonly Searchable<T>[], query: string): T[] {
  const words = searchWords(query);
  if (!words.length) return index.map((s) => s.item);
  const out: T[] = [];
  for (const s of index) if (words.every((w) => s.text.includes(w))) out.push(s.item);
  return out;
}

/** "313 collectivités", "1 collectivité sur 313 correspond", "12 collectivités sur 313 correspondent". */
export function countSentence(shown: number, total: number, filtered: boolean, fmt: (n: number) => string): string {
  const noun = (n: number) => `collectivité${n > 1 ? 's' : ''}`;
  if (!filtered) return `${fmt(total)} ${noun(total)}`;
  if (shown === 0) return `Aucune collectivité sur ${fmt(total)} ne correspond`;
  return `${fmt(shown)} ${noun(shown)} sur ${fmt(total)} correspond${shown > 1 ? 'ent' : ''}`;
}
