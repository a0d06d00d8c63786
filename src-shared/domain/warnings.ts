// Quality warnings (not validity): one function per entity, shared by the forms and the campaign checklist.
// Kept deliberately few: the circular asks for care, not for nagging.
import type { FicheProjet } from './ficheProjet';
import { todayParis } from './fields';
import type { Partenariat } from './partenariat';
import { sumMontants } from './writeRules';

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
          message: `Le nom du partenaire est écrit en majuscules : l'Atlas demande de ne pas l'écrire tout en majuscules (par exemple « ${quoteShort(toProperCase(p.nomPartenaire))} »).`,
        },
      ]
    : [];
}

export const DESCRIPTION_MIN_DETAIL = 40;

export function ficheProjetWarnings(
  f: Pick<FicheProjet, 'description' | 'thematiques'> &
    Partial<Pick<FicheProjet, 'statut' | 'dateDebut' | 'coutTotal' | 'participationCollectivite' | 'cofinancements'>>,
  today: string = todayParis(),
): Warning[] {
  const w: Warning[] = [];
  // A warning, not an error: the status is often set a few days ahead of the start, while the project is
  // being prepared, and becomes true by itself (a « Terminé » project ending in the future is an error:
  // writeRules.ts).
  if (f.statut === 'en_cours' && typeof f.dateDebut === 'string' && f.dateDebut > today) {
    w.push({
      field: 'dateDebut',
      code: 'EN_COURS_PAS_COMMENCE',
      message: 'Le projet est « En cours » mais sa date de début est à venir : vérifiez le statut ou la date.',
    });
  }
  // Cofinancements alone above the total: an error (writeRules.ts). With the participation: a warning.
  if (typeof f.coutTotal === 'number' && f.cofinancements) {
    const cof = sumMontants(f.cofinancements);
    const part = typeof f.participationCollectivite === 'number' ? f.participationCollectivite : 0;
    if (cof <= f.coutTotal && cof + part > f.coutTotal + 0.005) {
      w.push({
        field: 'cofinancements',
        code: 'FINANCEMENT_SUPERIEUR_AU_COUT',
        message:
          'Les cofinancements et la participation de la collectivité dépassent le coût total : vérifiez les montants.',
      });
    }
  }
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
