// Names of départements for the public pages (the register's codes: « 35 » → « Ille-et-Vilaine »), read once from
// the official register's package, like src-server/reference/officialCollectivites.ts.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let noms: Map<string, string> | null = null;

function load(): Map<string, string> {
  const file = require.resolve('@etalab/decoupage-administratif/data/departements.json');
  const rows = JSON.parse(readFileSync(file, 'utf8')) as { code: string; nom: string }[];
  return new Map(rows.map((d) => [d.code, d.nom]));
}

/** « Ille-et-Vilaine » for « 35 »; an unknown code is said as « département 99 »; null: none. */
export function departementNom(code: string | null | undefined): string | null {
  if (!code) return null;
  noms ??= load();
  return noms.get(code) ?? `département ${code}`;
}
