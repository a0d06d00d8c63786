// Countries: ISO 3166-1 alpha-2 codes (what records store) with their French names and the phrase that says "in"
// them, from the table of `paysNoms.ts` (names from INSEE's COG list of foreign countries and territories).
import { PAYS_NOMS, TERRITOIRES_FRANCAIS } from './paysNoms';

export { TERRITOIRES_FRANCAIS };

/** Every country and territory of the list, France's included (so that any stored code reads as a name). */
export const PAYS: readonly { code: string; nom: string }[] = PAYS_NOMS.map(([code, nom]) => ({ code, nom })).sort(
  (a, b) => a.nom.localeCompare(b.nom, 'fr'),
);

export const PAYS_CODES: ReadonlySet<string> = new Set(PAYS.map((p) => p.code));

/** The countries a French collectivité can have a partner in: every one of the list but France and its territories. */
export const PAYS_PARTENAIRES: readonly { code: string; nom: string }[] = PAYS.filter(
  (p) => !TERRITOIRES_FRANCAIS.has(p.code),
);
export const PAYS_PARTENAIRES_CODES: ReadonlySet<string> = new Set(PAYS_PARTENAIRES.map((p) => p.code));

const byCode = new Map(PAYS_NOMS.map(([code, nom, locatif]) => [code, { nom, locatif }]));

/** "MULTI" stands for a multi-country line of an APD declaration. */
export const MULTI_PAYS = 'MULTI';

/** The country's French name; a missing code (an incomplete record) reads "Pays inconnu". */
export function nomPays(code: string | null | undefined): string {
  if (code === MULTI_PAYS) return 'Multi-pays';
  if (!code) return 'Pays inconnu';
  return byCode.get(code)?.nom ?? code;
}

/**
 * "in <country>" with the preposition and article French uses: « au Niger », « en Iran », « aux Comores »,
 * « à Cuba ». An unknown code keeps « en » before the code itself.
 */
export function enPays(code: string | null | undefined): string {
  if (code === MULTI_PAYS) return 'dans plusieurs pays';
  if (!code) return 'dans un pays inconnu';
  return byCode.get(code)?.locatif ?? `en ${code}`;
}
