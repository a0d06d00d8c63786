// Countries, ISO 3166-1 alpha-2 with their French names, from i18n-iso-countries (data only: no locale registry).
import fr from 'i18n-iso-countries/langs/fr.json';

type Names = Record<string, string | string[]>;
const names = (fr as { countries: Names }).countries;

export const PAYS: readonly { code: string; nom: string }[] = Object.entries(names)
  .map(([code, n]) => ({ code, nom: Array.isArray(n) ? n[0]! : n }))
  .sort((a, b) => a.nom.localeCompare(b.nom, 'fr'));

export const PAYS_CODES: ReadonlySet<string> = new Set(PAYS.map((p) => p.code));
const byCode = new Map(PAYS.map((p) => [p.code, p.nom]));

/** "MULTI" stands for a multi-country line of an APD declaration. */
export const MULTI_PAYS = 'MULTI';

/** The country's French name; a missing code (an incomplete record) reads "Pays inconnu". */
export function nomPays(code: string | null | undefined): string {
  if (code === MULTI_PAYS) return 'Multi-pays';
  if (!code) return 'Pays inconnu';
  return byCode.get(code) ?? code;
}
