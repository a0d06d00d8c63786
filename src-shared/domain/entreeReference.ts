// Reference lists the DAECT keeps (issue 15): the thématiques d'intervention and the associations et réseaux.
// Each entry is a national synced record; records name an entry by its code. An entry is never deleted: a
// retired one leaves the forms' lists but keeps its label on the records that name it.
import { z } from 'zod';
import { REGION_NOMS } from '../reference/regions';
import { bool, describeField, entity, enumOf, text, uuid } from './fields';
import type { FieldError } from './messages';

export const LISTES_REFERENCE = ['thematique', 'reseau'] as const;
export type ListeReference = (typeof LISTES_REFERENCE)[number];
export const LISTE_LABELS: Record<ListeReference, string> = {
  thematique: 'Thématiques d’intervention',
  reseau: 'Associations et réseaux',
};

/** A code as records store it: lower-case letters, digits and « _ », derived from the label at creation. */
export const CODE_RE = /^[a-z0-9][a-z0-9_]{0,39}$/;
export function referenceCode(label: string) {
  return describeField(
    z
      .string({ error: `« ${label} » est obligatoire.` })
      .regex(CODE_RE, { error: `« ${label} » : choisissez une valeur de la liste.` }),
    { label, type: 'choice' },
  );
}

const REGION_CODES = Object.keys(REGION_NOMS) as [string, ...string[]];

export const entreeReferenceSchema = entity({
  id: uuid('Identifiant'),
  liste: enumOf('Liste', LISTES_REFERENCE, LISTE_LABELS),
  code: describeField(
    z
      .string({ error: '« Code » est obligatoire.' })
      .trim()
      .min(1, { error: '« Code » est obligatoire.' })
      .max(40, { error: '« Code » ne peut dépasser 40 caractères.' })
      .regex(CODE_RE, {
        error:
          '« Code » : lettres minuscules sans accent, chiffres et « _ » seulement, en commençant par une lettre ou un chiffre.',
      }),
    { label: 'Code', type: 'text' },
  ),
  libelle: text('Libellé', { max: 200 }),
  /** A regional network's région (the RRMA); null for a national one and for thématiques. */
  region: enumOf('Région du réseau', REGION_CODES, REGION_NOMS as Record<string, string>)
    .nullable()
    .default(null),
  retiree: bool('Retirée', { display: 'Entrée retirée de la liste' }),
});
export type EntreeReference = z.infer<typeof entreeReferenceSchema>;

/** A code derived from a label: « Sport et loisirs » → `sport_et_loisirs`. */
export function codeFromLabel(label: string): string {
  return label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40)
    .replace(/_+$/g, '');
}

/** The label of a code in a list's entries; the code itself when the device does not know it (yet). */
export function libelleOf(entries: readonly Pick<EntreeReference, 'code' | 'libelle'>[], code: string): string {
  return entries.find((e) => e.code === code)?.libelle ?? code;
}

/** A record field that names entries of a list (registry `lists`). */
export interface ListField {
  field: string;
  liste: ListeReference;
  /** The field's name in messages. */
  label: string;
}

type Entry = Pick<EntreeReference, 'code' | 'libelle' | 'retiree'>;

/** A refused code: not in the list (`unknown`), or an entry retired that the write brings in (`retired`). */
export interface ListError extends FieldError {
  reason: 'unknown' | 'retired';
}

/**
 * The list rule of a write, the same on the server and in the forms: each code a written field brings in is a
 * current entry of its list (else `unknown`, or `retired`); a code the record already named (`before`: the
 * stored record, none for a creation) is kept without a check, so an old record keeps a retired entry and can
 * be edited otherwise. `entriesOf(liste)`: the entries known of the list (the server reads only those named).
 */
export function listErrors(
  fields: readonly ListField[],
  rec: Record<string, unknown>,
  written: readonly string[] | 'all',
  entriesOf: (liste: ListeReference) => readonly Entry[],
  before?: Record<string, unknown>,
): ListError[] {
  const errors: ListError[] = [];
  for (const lf of fields) {
    if (written !== 'all' && !written.includes(lf.field)) continue;
    const codes = codesIn(rec[lf.field]);
    if (!codes.length) continue;
    const had = new Set(before ? codesIn(before[lf.field]) : []);
    const entries = new Map(entriesOf(lf.liste).map((e) => [e.code, e]));
    for (const code of codes) {
      // Kept from the stored record: never refused (retired since, or a list this device has not received).
      if (had.has(code)) continue;
      const e = entries.get(code);
      if (!e) {
        errors.push({
          field: lf.field,
          reason: 'unknown',
          message: `« ${lf.label} » : choisissez une valeur de la liste.`,
        });
        break;
      }
      if (e.retiree) {
        errors.push({
          field: lf.field,
          reason: 'retired',
          message: `« ${lf.label} » : « ${e.libelle} » a été retiré de la liste ; choisissez une autre valeur.`,
        });
        break;
      }
    }
  }
  return errors;
}

/** The codes a list field holds (one code, or an array of codes). */
export function codesIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** A list's entries in reading order: by label, « Autre » last. */
export function sortEntries<E extends Pick<EntreeReference, 'code' | 'libelle'>>(entries: readonly E[]): E[] {
  const last = (e: E) => (e.code === 'autre' ? 1 : 0);
  return [...entries].sort((a, b) => last(a) - last(b) || a.libelle.localeCompare(b.libelle, 'fr'));
}

/** Said of a retired entry wherever a record still names it. */
export const RETIREE_SUFFIX = ' (retiré)';

/**
 * A form's choices: the entries not retired, plus the retired ones the record already names (still
 * selected, marked « (retiré) »), plus a code the device does not know (yet), shown as it is.
 */
export function choicesFor(
  entries: readonly Pick<EntreeReference, 'code' | 'libelle' | 'retiree'>[],
  selected: readonly string[] = [],
): { value: string; label: string }[] {
  const kept = new Set(selected);
  const out = sortEntries(entries.filter((e) => !e.retiree || kept.has(e.code))).map((e) => ({
    value: e.code,
    label: e.retiree ? `${e.libelle}${RETIREE_SUFFIX}` : e.libelle,
  }));
  for (const code of selected) if (!entries.some((e) => e.code === code)) out.push({ value: code, label: code });
  return out;
}

/** A code's label as records show it: « (retiré) » after a retired entry's, the code itself when unknown. */
export function libelleAffiche(
  entries: readonly Pick<EntreeReference, 'code' | 'libelle' | 'retiree'>[],
  code: string,
) {
  const e = entries.find((x) => x.code === code);
  return e ? `${e.libelle}${e.retiree ? RETIREE_SUFFIX : ''}` : code;
}
