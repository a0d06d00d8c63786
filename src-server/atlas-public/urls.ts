// The public Atlas's addresses, made to last: a collectivité by its official code (`commune:35238` →
// `/atlas/collectivites/commune-35238-rennes`), a fiche by its id, a country by its ISO code; the name after the
// key is only for readers, and any other spelling of it is redirected (301) to the canonical one.
import { foldText } from '../../src-shared/reference/collectivites/normalize';
import { nomPays } from '../../src-shared/reference/pays';
import type { PubCollectivite, PubFiche } from './donnees';

export function slug(s: string, max = 80): string {
  const out = foldText(s).replace(/ /g, '-');
  if (out.length <= max) return out;
  return out.slice(0, max).replace(/-[^-]*$/, '');
}

export const collectiviteUrl = (c: Pick<PubCollectivite, 'code' | 'nom'>) =>
  `/atlas/collectivites/${c.code.replace(':', '-').toLowerCase()}-${slug(c.nom)}`;
export const ficheUrl = (f: Pick<PubFiche, 'id' | 'intitule'>) => `/atlas/projets/${f.id}-${slug(f.intitule)}`;
export const paysUrl = (code: string) => `/atlas/pays/${code.toLowerCase()}-${slug(nomPays(code))}`;

/** `commune-35238-rennes` → `commune:35238` (lower case); also the code itself (`commune:35238`). */
export function codeFromParam(param: string): string | null {
  const m = /^([a-z]+)[-:]([0-9a-z]+)(?:-.*)?$/i.exec(param);
  return m ? `${m[1]}:${m[2]}`.toLowerCase() : null;
}
export function idFromParam(param: string): string | null {
  const m = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:-.*)?$/i.exec(param);
  return m ? m[1]!.toLowerCase() : null;
}
export function paysFromParam(param: string): string | null {
  const m = /^([a-z]{2})(?:-.*)?$/i.exec(param);
  return m ? m[1]!.toUpperCase() : null;
}
