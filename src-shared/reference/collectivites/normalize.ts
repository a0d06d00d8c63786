// Text normalisation shared by the collectivité index and its queries: accent- and
// case-insensitive, punctuation-blind, with the usual French abbreviations expanded.

const ABBREVIATIONS: Record<string, string> = { st: 'saint', ste: 'sainte', sts: 'saints', stes: 'saintes' };

/** Words that carry no meaning in a place name; dropped from queries when other words remain. */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  'de',
  'du',
  'des',
  'la',
  'le',
  'les',
  'l',
  'd',
  'et',
  'en',
  'sur',
  'sous',
  'a',
  'au',
  'aux',
]);

/** Lower case, no diacritics, ligatures unfolded, every non-alphanumeric run turned into one space. */
export function foldText(input: string): string {
  // Fast path for codes and plain ASCII words (most of the register's tokens).
  if (/^[A-Za-z0-9]+$/.test(input)) return input.toLowerCase();
  return (
    input
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/œ/g, 'oe')
      .replace(/æ/g, 'ae')
      .replace(/ß/g, 'ss')
      // Letters NFD does not decompose.
      .replace(/[øđłħı]/g, (c) => ({ ø: 'o', đ: 'd', ł: 'l', ħ: 'h', ı: 'i' })[c] ?? c)
      .replace(/[^a-z0-9]+/g, ' ')
      .trim()
  );
}

/** Folded words, abbreviations expanded ("St-Étienne" → ["saint", "etienne"]). */
export function tokenize(input: string): string[] {
  const folded = foldText(input);
  if (folded === '') return [];
  return folded.split(' ').map((w) => ABBREVIATIONS[w] ?? w);
}

// Generic leading words of official names: "Ville de Paris", "Métropole de Lyon",
// "CC du Pays de Gex", "Collectivité territoriale de Martinique".
const GENERIC_PREFIX =
  /^(?:ville|collectivite(?: territoriale| europeenne)?|departement|metropole|communaute de communes|communaute d agglomeration|communaute urbaine|cc|ca|cu)(?: (?:de la|de l|des|de|du|d))? (.+)$/;

/** The distinctive part of a folded, abbreviation-expanded name ("ville de paris" → "paris"). */
export function coreName(normalizedName: string): string {
  const m = GENERIC_PREFIX.exec(normalizedName);
  return m?.[1] ?? normalizedName;
}
