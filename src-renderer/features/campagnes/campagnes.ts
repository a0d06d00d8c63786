// What the campaigns screens decide beside the shared rule (src-shared/domain/campagneEtat.ts): the year
// and dates proposed for the next campaign, and which campaigns the DAECT may still change.
import type { Campagne } from '../../../src-shared/domain/campagne';
import { campagneCourante } from '../../../src-shared/domain/campagneEtat';

/** The year after the latest campaign; this year when there is none (or only older ones). */
export function anneeSuivante(campagnes: readonly Campagne[], today: string): number {
  const thisYear = Number(today.slice(0, 4));
  const latest = Math.max(0, ...campagnes.map((c) => c.annee));
  return latest ? Math.max(latest + 1, thisYear) : thisYear;
}

/** Dates proposed for a new campaign of `annee`: the latest campaign's, as many years later; else 1 March–30 June. */
export function datesProposees(
  campagnes: readonly Campagne[],
  annee: number,
): { dateOuverture: string; dateCloture: string } {
  const latest = [...campagnes].sort((a, b) => b.annee - a.annee)[0];
  if (!latest) return { dateOuverture: `${annee}-03-01`, dateCloture: `${annee}-06-30` };
  const shift = (day: string) => {
    const md = day.slice(5);
    // 29 February does not exist every year.
    return `${Number(day.slice(0, 4)) + annee - latest.annee}-${md === '02-29' ? '02-28' : md}`;
  };
  return { dateOuverture: shift(latest.dateOuverture), dateCloture: shift(latest.dateCloture) };
}

/**
 * Whether the DAECT may still change a campaign's dates: one to come, the open one, or the current one
 * just closed (closed too early, it can be reopened). An older campaign is history: read only.
 */
export function campagneModifiable(c: Campagne, campagnes: readonly Campagne[], today: string): boolean {
  return today <= c.dateCloture || campagneCourante(campagnes, today)?.id === c.id;
}
