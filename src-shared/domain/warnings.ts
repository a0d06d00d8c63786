// Quality warnings (not validity): one function per entity, shared by the forms and the campaign checklist.
// Kept deliberately few: the circular asks for care, not for nagging.
import type { FicheProjet } from './ficheProjet';
import type { Partenariat } from './partenariat';

export interface Warning {
  field: string;
  code: string;
  message: string;
}

/** Longest value a message quotes: a 5,000-character name is not repeated whole in advice or a toast. */
export const QUOTE_MAX = 80;

/** `s`, cut to `max` characters with an ellipsis when longer (whole characters, never half an emoji). */
export function quoteShort(s: string, max = QUOTE_MAX): string {
  const chars = Array.from(s);
  return chars.length <= max
    ? s
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

/** True when a name is written in capitals ("DAKAR"), which the Atlas asks to avoid. */
export function isAllCaps(s: string): boolean {
  const letters = s.replace(/[^\p{L}]/gu, '');
  return (
    letters.length >= 3 && letters === letters.toLocaleUpperCase('fr') && letters !== letters.toLocaleLowerCase('fr')
  );
}

/** "SAINT-LOUIS DU SÉNÉGAL" → "Saint-Louis du Sénégal": the one-click fix offered next to the warning. */
export function toProperCase(s: string): string {
  const small = new Set(['de', 'du', 'des', 'la', 'le', 'les', 'et', 'd', 'l', 'sur', 'en', 'à', 'aux']);
  let first = true;
  return s.toLocaleLowerCase('fr').replace(/[\p{L}]+/gu, (w) => {
    const keep = !first && small.has(w);
    first = false;
    return keep ? w : w.charAt(0).toLocaleUpperCase('fr') + w.slice(1);
  });
}

export function partenariatWarnings(p: Pick<Partenariat, 'nomPartenaire'>): Warning[] {
  return isAllCaps(p.nomPartenaire)
    ? [
        {
          field: 'nomPartenaire',
          code: 'NOM_EN_MAJUSCULES',
          message: `Le nom du partenaire est écrit en majuscules : l'Atlas demande des lettres minuscules (par exemple « ${quoteShort(toProperCase(p.nomPartenaire))} »).`,
        },
      ]
    : [];
}

export const DESCRIPTION_MIN_DETAIL = 40;

export function ficheProjetWarnings(f: Pick<FicheProjet, 'description' | 'thematiques'>): Warning[] {
  const w: Warning[] = [];
  if (f.description.trim().length < DESCRIPTION_MIN_DETAIL) {
    w.push({
      field: 'description',
      code: 'DESCRIPTION_PEU_DETAILLEE',
      message: 'La description est très courte : précisez les objectifs et les actions menées.',
    });
  }
  if (f.thematiques.length === 1 && f.thematiques[0] === 'autre') {
    w.push({
      field: 'thematiques',
      code: 'THEMATIQUE_NON_PRECISEE',
      message: 'Seule la thématique « Autre » est choisie : précisez si possible une thématique de la liste.',
    });
  }
  return w;
}
