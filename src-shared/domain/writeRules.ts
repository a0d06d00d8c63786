// Rules of a write: business rules checked on the fields a write sets, not on every stored record.
//
// Why apart from the schemas: the schema is what every stored record must satisfy, and the server
// validates the whole merged record on every edit. A rule added later (a convention signed in the future,
// cofinancements above the total cost) would then refuse an unrelated edit of an old record that breaks
// it — a typo fixed in a name refused because of a date entered two years ago. So these rules run when a
// write sets one of the fields they read: a creation (every field), a form's save or a sync change (the
// fields it changes). An old record keeps loading and showing, and is corrected when its field is edited.
// The forms, the device's repository and the server all call `writeRuleErrors`.
//
// "Today" is the calendar day in Europe/Paris (`todayParis`), on the device and on the server alike.
import { todayParis } from './fields';
import type { FieldError } from './messages';

export interface WriteRule {
  /** The fields the rule reads: it runs when a write sets one of them and all of them are valid. */
  fields: readonly string[];
  check(record: Record<string, unknown>, today: string): FieldError | null;
}

const EURO = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
const formatEuroFr = (n: number) => EURO.format(n);

export const sumMontants = (cofs: unknown): number =>
  Array.isArray(cofs)
    ? Math.round(cofs.reduce((s: number, c: { montant?: unknown }) => s + (Number(c?.montant) || 0) * 100, 0)) / 100
    : 0;

export const PARTENARIAT_WRITE_RULES: readonly WriteRule[] = [
  {
    // An error: a convention dated after today is not signed yet (the data cannot be true).
    fields: ['dateConvention'],
    check: (p, today) =>
      typeof p.dateConvention === 'string' && p.dateConvention > today
        ? {
            field: 'dateConvention',
            message:
              '« Date de signature de la convention » ne peut pas être dans le futur : indiquez la date à laquelle la convention a été signée.',
          }
        : null,
  },
];

export const FICHE_PROJET_WRITE_RULES: readonly WriteRule[] = [
  {
    // An error: a project « Terminé » has ended, so its end date is behind us. (A project « En cours » that
    // starts after today is only a warning, see warnings.ts: the status is often set a few days ahead of
    // the start, while the team prepares it, and becomes true by itself.)
    fields: ['statut', 'dateFin'],
    check: (f, today) =>
      f.statut === 'termine' && typeof f.dateFin === 'string' && f.dateFin > today
        ? {
            field: 'dateFin',
            message:
              '« Date de fin » ne peut pas être dans le futur pour un projet « Terminé » : corrigez la date ou le statut.',
          }
        : null,
  },
  {
    // An error: the cofinancements alone cannot exceed the project's total cost. (With the collectivité's
    // participation above the total, a warning: the total may simply be out of date.)
    fields: ['coutTotal', 'cofinancements'],
    check: (f) => {
      const total = sumMontants(f.cofinancements);
      return typeof f.coutTotal === 'number' && total > f.coutTotal
        ? {
            field: 'cofinancements',
            message: `« Cofinancements » : leur total (${formatEuroFr(total)}) dépasse le coût total du projet (${formatEuroFr(f.coutTotal)}).`,
          }
        : null;
    },
  },
];

/** The errors of the rules a write sets off: `written` = the fields it sets ('all' for a creation). */
export function checkWriteRules(
  rules: readonly WriteRule[],
  record: Record<string, unknown>,
  written: readonly string[] | 'all',
  opts: { invalid?: ReadonlySet<string>; today?: string } = {},
): FieldError[] {
  const today = opts.today ?? todayParis();
  const out: FieldError[] = [];
  for (const r of rules) {
    if (written !== 'all' && !r.fields.some((f) => written.includes(f))) continue;
    if (opts.invalid && r.fields.some((f) => opts.invalid!.has(f))) continue;
    const e = r.check(record, today);
    if (e) out.push(e);
  }
  return out;
}
