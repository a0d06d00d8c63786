// Search index over the official collectivités: built once in memory (server and renderer),
// searched as the user types. Pure code: the caller supplies the list.
//
// Layout: one sorted dictionary of distinct tokens (name words, postal and département codes)
// with a posting list of entry numbers per token, plus an exact map for INSEE codes and SIRENs. A query token is a prefix: binary search gives the contiguous
// range of dictionary tokens it starts; the rarest query token drives, the others are checked
// on each candidate. Ranking is computed only for the candidates.
import type { CollectiviteSearchHit, OfficialCollectivite } from './types';
import { STOP_WORDS, coreName, foldText, tokenize } from './normalize';

export type { CollectiviteSearchHit, OfficialCollectivite } from './types';

export interface CollectiviteIndex {
  /** Best matches first: name (any word order, prefixes, accents ignored), code INSEE, SIREN, SIRET, code postal, département code. */
  search(query: string, limit?: number): CollectiviteSearchHit[];
  /** Look-up by official code (`commune:69123`, `epci:200046977`, `dep:69`, …). */
  byCode(code: string): OfficialCollectivite | undefined;
  readonly size: number;
}

const MAX_QUERY_LENGTH = 200;
const MAX_QUERY_TOKENS = 8;
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 200;
/** Above this many candidates (one- or two-letter queries), only the most populous are ranked. */
const BROAD_QUERY_CANDIDATES = 1500;

const isCodeLike = (token: string): boolean => /^\d/.test(token);

interface Entry {
  item: OfficialCollectivite;
  /** Folded name, words joined by one space. */
  name: string;
  /** Name without its generic leading words. */
  core: string;
  nameTokens: string[];
  /** Number of name words that are not stop words. */
  meaningfulWords: number;
  /** codeInsee, siren, postal codes, département code: folded. */
  codes: string[];
  insee: string | null;
  dep: string | null;
  population: number;
}

export function createCollectiviteIndex(list: readonly OfficialCollectivite[]): CollectiviteIndex {
  const entries: Entry[] = new Array<Entry>(list.length);
  const byCode = new Map<string, OfficialCollectivite>();
  const postingsByToken = new Map<string, number[]>();
  const exactCodes = new Map<string, number[]>();
  /** Folded full names and core names: exact-name hits are never lost on broad queries. */
  const byName = new Map<string, number[]>();

  const addTo = (map: Map<string, number[]>, key: string, id: number): void => {
    const ids = map.get(key);
    if (ids === undefined) map.set(key, [id]);
    else ids.push(id);
  };
  const post = (token: string, id: number): void => {
    const p = postingsByToken.get(token);
    if (p === undefined) postingsByToken.set(token, [id]);
    else if (p[p.length - 1] !== id) p.push(id);
  };

  for (let id = 0; id < list.length; id++) {
    const item = list[id]!;
    const nameTokens = tokenize(item.nom);
    const name = nameTokens.join(' ');
    const insee = item.codeInsee === null ? null : foldText(item.codeInsee);
    const dep = item.departement === null ? null : foldText(item.departement);
    const codes: string[] = [];
    const addCode = (c: string | null): void => {
      if (c && !codes.includes(c)) codes.push(c);
    };
    addCode(insee);
    addCode(item.siren);
    addCode(dep);
    for (const cp of item.codesPostaux) addCode(foldText(cp));
    const core = coreName(name);
    let meaningfulWords = 0;
    for (const t of nameTokens) if (!STOP_WORDS.has(t)) meaningfulWords++;
    entries[id] = {
      item,
      name,
      core,
      nameTokens,
      meaningfulWords,
      codes,
      insee,
      dep,
      population: item.population ?? 0,
    };
    byCode.set(item.code, item);
    addTo(byName, name, id);
    if (core !== name) addTo(byName, core, id);
    for (const t of nameTokens) post(t, id);
    // INSEE codes and SIRENs are typed whole: an exact map keeps ~70,000 tokens out of the dictionary.
    for (const c of codes) {
      if (c === insee || c === item.siren) addTo(exactCodes, c, id);
      else post(c, id);
    }
  }

  const dictionary = [...postingsByToken.keys()].sort();
  // All posting lists in one flat array: token i owns postings[cumulative[i] .. cumulative[i + 1]),
  // so the size of a prefix range is known in O(1) and no per-token array is kept.
  const cumulative = new Int32Array(dictionary.length + 1);
  for (let i = 0; i < dictionary.length; i++)
    cumulative[i + 1] = cumulative[i]! + postingsByToken.get(dictionary[i]!)!.length;
  const postings = new Int32Array(cumulative[dictionary.length]!);
  for (let i = 0; i < dictionary.length; i++) postings.set(postingsByToken.get(dictionary[i]!)!, cumulative[i]!);
  postingsByToken.clear();

  const stamps = new Uint32Array(list.length);
  // Built on the first broad query: most processes (a server answering codes) never need it.
  let byPopulationCache: Int32Array | undefined;
  const byPopulation = (): Int32Array =>
    (byPopulationCache ??= Int32Array.from(entries.keys()).sort(
      (a, b) => entries[b]!.population - entries[a]!.population,
    ));
  let generation = 0;

  const lowerBound = (prefix: string): number => {
    let lo = 0;
    let hi = dictionary.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (dictionary[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const prefixRange = (prefix: string): [number, number] => {
    const lo = lowerBound(prefix);
    // Every token starting with `prefix` sorts before `prefix` + U+FFFF.
    const hi = lowerBound(prefix + '\uffff');
    return [lo, hi];
  };

  const entryHas = (e: Entry, q: string): boolean => {
    for (const t of e.nameTokens) if (t.startsWith(q)) return true;
    for (const c of e.codes) if (c.startsWith(q)) return true;
    return false;
  };

  /**
   * `phrase`: the query's name words in order (codes left out); `words`: every meaningful query word.
   * A code alone names one collectivité (+800); a code beside name words only narrows them.
   */
  const score = (e: Entry, phrase: string, words: string[]): number => {
    let s = 0;
    if (phrase !== '') {
      if (e.name === phrase) s += 1000;
      else if (e.core === phrase) s += 900;
      else if (e.name.startsWith(phrase) || e.core.startsWith(phrase)) s += 600;
    }
    const it = e.item;
    const codeOnly = phrase === '';
    let wholeWords = 0;
    for (const w of words) {
      if (codeOnly && (w === e.insee || w === it.siren)) s += 800;
      else if (w === e.insee || w === it.siren) s += 100;
      else if (e.nameTokens.includes(w)) wholeWords++;
      else if (it.codesPostaux.includes(w)) s += 500;
      else if (w === e.dep) s += 100;
    }
    if (!codeOnly && wholeWords === words.length) s += 400;
    s += wholeWords * 20;
    // Prefer names the query covers entirely ("etienne saint" → Saint-Étienne before Saint-Étienne-du-Rouvray).
    if (!codeOnly && words.length >= e.meaningfulWords) s += 100;
    return s;
  };

  const toHit = (o: OfficialCollectivite): CollectiviteSearchHit => ({
    code: o.code,
    nom: o.nom,
    type: o.type,
    departement: o.departement,
    region: o.region,
    codeInsee: o.codeInsee,
    siren: o.siren,
    codesPostaux: o.codesPostaux,
  });

  const search = (query: string, limit = DEFAULT_LIMIT): CollectiviteSearchHit[] => {
    if (typeof query !== 'string') return [];
    const max = Math.max(1, Math.min(MAX_LIMIT, Math.floor(limit) || DEFAULT_LIMIT));
    let raw = tokenize(query.slice(0, MAX_QUERY_LENGTH));
    // Codes typed with spaces ("216 901 231", "69 003") are one code.
    if (raw.length > 1 && raw.every((t) => /^\d+$/.test(t)) && [5, 9, 14].includes(raw.join('').length))
      raw = [raw.join('')];
    // A SIRET (14 digits) names its SIREN.
    raw = raw.map((t) => (/^\d{14}$/.test(t) ? t.slice(0, 9) : t));
    if (raw.length === 0) return [];
    const phrase = raw.filter((t) => !isCodeLike(t)).join(' ');
    const meaningful = raw.filter((t) => !STOP_WORDS.has(t));
    const words = (meaningful.length > 0 ? meaningful : raw).slice(0, MAX_QUERY_TOKENS);

    // The query word with the fewest postings drives the candidate set.
    let driver = -1;
    let driverRange: [number, number] = [0, 0];
    let driverCount = Infinity;
    for (let i = 0; i < words.length; i++) {
      const range = prefixRange(words[i]!);
      const count = cumulative[range[1]]! - cumulative[range[0]]! + (exactCodes.get(words[i]!)?.length ?? 0);
      if (count === 0) return [];
      if (count < driverCount) {
        driverCount = count;
        driver = i;
        driverRange = range;
      }
    }
    const others = words.filter((_, i) => i !== driver);

    if (generation >= 0xfffffff0) {
      stamps.fill(0);
      generation = 0;
    }
    generation += 1;
    // Top `max` kept sorted by insertion: candidates can number thousands, hits are few.
    const top: { e: Entry; s: number }[] = [];
    const better = (s1: number, e1: Entry, s2: number, e2: Entry): boolean =>
      s1 !== s2 ? s1 > s2 : e1.population !== e2.population ? e1.population > e2.population : e1.name < e2.name;

    /** Ranks the entry if every query word matches it; tells whether it matched. */
    const consider = (id: number): boolean => {
      const e = entries[id]!;
      for (const q of others) if (!entryHas(e, q)) return false;
      const sc = score(e, phrase, words);
      // No allocation for the many candidates that do not make the top.
      if (top.length === max && !better(sc, e, top[max - 1]!.s, top[max - 1]!.e)) return true;
      let at = top.length;
      while (at > 0 && better(sc, e, top[at - 1]!.s, top[at - 1]!.e)) at--;
      top.splice(at, 0, { e, s: sc });
      if (top.length > max) top.pop();
      return true;
    };

    const first = (id: number): void => {
      if (stamps[id] === generation) return;
      stamps[id] = generation;
      void consider(id);
    };
    for (const id of exactCodes.get(words[driver]!) ?? []) first(id);
    for (const id of byName.get(phrase) ?? []) first(id);

    if (driverCount > BROAD_QUERY_CANDIDATES) {
      // Too broad to rank everything within a keystroke: walk entries by decreasing population,
      // mark the driver's postings lazily, and stop once enough matches were ranked.
      // Exact names (above) were ranked already; `broad` marks the driver's other postings.
      const broad = generation + 1;
      for (let k = cumulative[driverRange[0]]!; k < cumulative[driverRange[1]]!; k++) {
        if (stamps[postings[k]!] !== generation) stamps[postings[k]!] = broad;
      }
      const order = byPopulation();
      let matched = 0;
      for (let r = 0; r < order.length && matched < BROAD_QUERY_CANDIDATES / 5; r++) {
        const id = order[r]!;
        if (stamps[id] === broad && consider(id)) matched++;
      }
      generation = broad;
    } else {
      for (let k = cumulative[driverRange[0]]!; k < cumulative[driverRange[1]]!; k++) first(postings[k]!);
    }
    return top.map((c) => toHit(c.e.item));
  };

  return {
    search,
    byCode: (code: string) => byCode.get(code),
    size: list.length,
  };
}
