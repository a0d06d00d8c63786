// Values as French files write them: dates (JJ/MM/AAAA, AAAA-MM-JJ, an Excel serial, a year), amounts
// (« 12 345,67 € »), yes/no, country names or ISO codes, thématiques by label, choices by label.
import { FINANCEURS } from '../../src-shared/reference/financeurs';
import { PAYS } from '../../src-shared/reference/pays';
import { foldText } from '../../src-shared/reference/collectivites/normalize';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(reason: string): Parsed<T> => ({ ok: false, reason });

const iso = (y: number, m: number, d: number): string | null => {
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
};

/** A date as ISO `AAAA-MM-JJ`; a year alone is its 1st of January, a month its 1st day. */
export function parseDate(raw: string, label: string): Parsed<string> {
  const s = raw.trim();
  let m: RegExpExecArray | null;
  let out: string | null = null;
  if ((m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s.*)?$/.exec(s))) out = iso(+m[3]!, +m[2]!, +m[1]!);
  else if ((m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(s))) out = iso(+m[1]!, +m[2]!, +m[3]!);
  else if ((m = /^(\d{1,2})[/.-](\d{4})$/.exec(s))) out = iso(+m[2]!, +m[1]!, 1);
  else if ((m = /^(\d{4})$/.exec(s))) out = iso(+m[1]!, 1, 1);
  else if ((m = /^(\d{5})(?:[.,]\d+)?$/.exec(s))) {
    // An Excel serial day (1900 system): 25569 is 1970-01-01.
    const d = new Date((Number(m[1]) - 25569) * 86_400_000);
    out = iso(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  }
  if (!out || out < '1900-01-01' || out > '2100-12-31')
    return bad(`« ${label} » : date illisible « ${s} » (attendu JJ/MM/AAAA)`);
  return ok(out);
}

/** An amount in euros: « 12 345,67 € », « 12345.67 », « 1 200 EUR ». */
export function parseAmount(raw: string, label: string): Parsed<number> {
  let s = raw
    .trim()
    .replace(/\s*(€|eur|euros)$/i, '')
    .replace(/[\s\u00a0\u202f']/g, '');
  if (/^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(s)) s = s.replace(/\./g, ''); // 12.345,67
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, ''); // 12,345.67
  s = s.replace(',', '.');
  const n = Number(s);
  if (s === '' || !Number.isFinite(n)) return bad(`« ${label} » : montant illisible « ${raw.trim()} »`);
  return ok(Math.round(n * 100) / 100);
}

export function parseNumber(raw: string, label: string): Parsed<number> {
  const n = Number(
    raw
      .trim()
      .replace(/[\s\u00a0]/g, '')
      .replace(',', '.'),
  );
  return Number.isFinite(n) ? ok(n) : bad(`« ${label} » : nombre illisible « ${raw.trim()} »`);
}

export function parseBool(raw: string, label: string): Parsed<boolean> {
  const s = foldText(raw);
  if (['oui', 'o', 'vrai', 'true', '1', 'x', 'yes'].includes(s)) return ok(true);
  if (['non', 'n', 'faux', 'false', '0', 'no'].includes(s)) return ok(false);
  return bad(`« ${label} » : « ${raw.trim()} » n’est ni oui ni non`);
}

// Country names: the COG's, without articles, plus a few usual variants; ISO alpha-2 codes.
const PAYS_BY_NAME = new Map<string, string>();
const ARTICLE = /^(?:l |la |le |les )/;
for (const p of PAYS) {
  const f = foldText(p.nom);
  PAYS_BY_NAME.set(f, p.code);
  PAYS_BY_NAME.set(f.replace(ARTICLE, ''), p.code);
  // « Congo (République démocratique du) » → « congo republique democratique du » and « congo »…
  const noParen = foldText(p.nom.replace(/\(.*\)/, ''));
  if (!PAYS_BY_NAME.has(noParen)) PAYS_BY_NAME.set(noParen, p.code);
}
const PAYS_VARIANTES: Record<string, string> = {
  'etats unis': 'US',
  usa: 'US',
  'royaume uni': 'GB',
  angleterre: 'GB',
  'republique democratique du congo': 'CD',
  rdc: 'CD',
  'republique du congo': 'CG',
  'cote d ivoire': 'CI',
  'coree du sud': 'KR',
  russie: 'RU',
  palestine: 'PS',
  'territoires palestiniens': 'PS',
  vietnam: 'VN',
  'viet nam': 'VN',
  birmanie: 'MM',
  tchequie: 'CZ',
  'republique tcheque': 'CZ',
  'cap vert': 'CV',
  macedoine: 'MK',
};
for (const [k, v] of Object.entries(PAYS_VARIANTES)) if (!PAYS_BY_NAME.has(k)) PAYS_BY_NAME.set(k, v);
const PAYS_CODES = new Set(PAYS.map((p) => p.code));

/** An ISO code or a French country name; `extra`: the mapping's own names. */
export function parsePays(raw: string, extra: Readonly<Record<string, string>> = {}): string | null {
  const s = raw.trim();
  if (/^[A-Za-z]{2}$/.test(s) && PAYS_CODES.has(s.toUpperCase())) return s.toUpperCase();
  // A mapping's own names count only when they name a known country: never a code the server would refuse.
  for (const [k, v] of Object.entries(extra))
    if (foldText(k) === foldText(s)) return PAYS_CODES.has(v.toUpperCase()) ? v.toUpperCase() : null;
  const f = foldText(s);
  return PAYS_BY_NAME.get(f) ?? PAYS_BY_NAME.get(f.replace(ARTICLE, '')) ?? null;
}

/** The folded labels of a list (and a mapping's extra labels), longest first: built once per import. */
const knownCache = new WeakMap<object, WeakMap<object, [string, string][]>>();

/**
 * Labels or codes of a list in one cell: « Eau et assainissement ; Santé », « eau, sante ». Labels may hold
 * commas (« Agriculture, pêche et sécurité alimentaire »): the longest known label at each place is taken
 * first, then the cell is cut at the next `;`, `,`, `/` or line break. Returns the codes and the unknown pieces.
 */
export function parseLabels(
  raw: string,
  entries: readonly { code: string; libelle: string }[],
  extra: Readonly<Record<string, string>> = {},
): { codes: string[]; unknown: string[] } {
  let byExtra = knownCache.get(entries);
  if (!byExtra) knownCache.set(entries, (byExtra = new WeakMap()));
  let known = byExtra.get(extra);
  if (!known) {
    known = [];
    for (const e of entries) known.push([foldText(e.libelle), e.code], [foldText(e.code.replace(/_/g, ' ')), e.code]);
    // A mapping's extra label counts only when its code is in the list: else the row is reported, not written.
    const codes = new Set(entries.map((e) => e.code));
    for (const [k, v] of Object.entries(extra)) if (codes.has(v)) known.push([foldText(k), v]);
    known.sort((a, b) => b[0].length - a[0].length);
    byExtra.set(extra, known);
  }
  const codes: string[] = [];
  const unknown: string[] = [];
  // Work on pieces cut at ';', line breaks and '|' (never inside a label), then match labels inside each.
  for (const piece of raw.split(/[;\n|]/)) {
    let rest = foldText(piece.replace(/[,/]/g, ' , '));
    while (rest) {
      rest = rest.replace(/^[\s,]+/, '');
      if (!rest) break;
      const hit = known.find(([k]) => rest === k || rest.startsWith(`${k} `));
      if (hit) {
        if (!codes.includes(hit[1])) codes.push(hit[1]);
        rest = rest.slice(hit[0].length);
        continue;
      }
      // An unknown piece: up to the next comma.
      const cut = rest.indexOf(' , ');
      const word = (cut < 0 ? rest : rest.slice(0, cut)).trim();
      if (word) unknown.push(word);
      rest = cut < 0 ? '' : rest.slice(cut);
    }
  }
  return { codes, unknown };
}

/** A choice by its code or its label (case and accents ignored). */
export function parseChoice<T extends string>(
  raw: string,
  values: readonly T[],
  labels: Readonly<Record<string, string>>,
  label: string,
): Parsed<T> {
  const f = foldText(raw);
  for (const v of values) if (foldText(v) === f || foldText(labels[v] ?? '') === f) return ok(v);
  return bad(`« ${label} » : valeur inconnue « ${raw.trim()} »`);
}

const FINANCEUR_BY = new Map<string, string>();
for (const f of FINANCEURS) {
  FINANCEUR_BY.set(foldText(f.label), f.code);
  FINANCEUR_BY.set(foldText(f.code), f.code);
}

/** « Région : 1500,5 € ; État : 2000 € » (the app's export) → [{ financeur, montant }]. */
export function parseCofinancements(raw: string): Parsed<{ financeur: string; montant: number }[]> {
  const out: { financeur: string; montant: number }[] = [];
  for (const part of raw.split(/\s;\s|\n/)) {
    if (!part.trim()) continue;
    // « Financeur : montant », or the other way round (the export writes a record's keys in its stored order).
    const sides = part.split(/\s*:\s*/);
    if (sides.length !== 2)
      return bad(`« Cofinancements » : « ${part.trim()} » n’a pas la forme « Financeur : montant »`);
    const [x, y] = sides as [string, string];
    const asAmount = (v: string) => /\d/.test(v) && parseAmount(v, 'Cofinancements').ok;
    const [name, amountText] = asAmount(y) ? [x, y] : [y, x];
    const financeur = FINANCEUR_BY.get(foldText(name));
    if (!financeur) return bad(`« Cofinancements » : financeur inconnu « ${name.trim()} »`);
    const m = parseAmount(amountText, 'Cofinancements');
    if (!m.ok) return m;
    out.push({ financeur, montant: m.value });
  }
  return ok(out);
}

/** « 3, 5, 17 » or « ODD 3 ; ODD 5 » → [3, 5, 17]. */
export function parseOdd(raw: string): Parsed<number[]> {
  const nums = [...raw.matchAll(/\d+/g)].map((m) => Number(m[0]));
  if (nums.some((n) => n < 1 || n > 17)) return bad(`« ODD » : numéros de 1 à 17 attendus, reçu « ${raw.trim()} »`);
  return ok([...new Set(nums)]);
}
