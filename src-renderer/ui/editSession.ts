// What an open edit form is based on, and how it follows the record while it stays open. Pure functions
// (no React): the form hook (useRecordEdit) and the tests share them.
//
// Record-level view: `toRecord(values)` of the form's values is compared with `toRecord(toValues(base))`
// of the values the form was opened on, so formatting (decimal commas, empty strings) never counts as a
// change. Only fields that differ are saved, each with the base it was opened on.
import { sameValue } from '../../src-shared/sync/merge';
import type { EntityName } from '../../src-shared/registry';
import type { EditBase, Repository } from '../core/data';

export type Rec = Record<string, unknown>;

/** Record fields that differ between two records (the `id` aside). */
export function changedFields(a: Rec, b: Rec): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((f) => f !== 'id' && !sameValue(a[f], b[f]));
}

/** The fields a person changed in the form (record-level `current` against the record of the opened values), with their values. */
function patchOf(current: Rec, opened: Rec): Rec {
  return Object.fromEntries(changedFields(current, opened).map((f) => [f, current[f]]));
}

/**
 * Save an edit form: only the fields the person changed (`current`, the record of the form's values,
 * against `openedN`, the record of the values it is based on), each with the base in `base`.
 */
export function saveEdit(
  repo: Pick<Repository, 'update'>,
  entity: EntityName,
  id: string,
  current: Rec,
  openedN: Rec,
  base: EditBase,
) {
  return repo.update(entity, id, patchOf(current, openedN), { opened: base });
}

function copy(base: EditBase): EditBase {
  return { values: { ...base.values }, bases: { ...base.bases }, under: { ...base.under } };
}

function take(out: EditBase, live: EditBase, f: string): void {
  out.values[f] = live.values[f];
  if (f in live.bases) out.bases[f] = live.bases[f]!;
  else delete out.bases[f];
  if (f in live.under) out.under[f] = live.under[f]!;
  else delete out.under[f];
}

/**
 * A newer version of the record (`live`) while the form is open. A field whose value did not move only
 * takes the newer base. A field that moved is followed when the person has not changed it, or already
 * holds the new value; a field the person changed keeps the base it was opened on, so saving it makes a
 * conflict on the server rather than an overwrite. `current`, `openedN`, `liveN`: the record-level views
 * (toRecord) of the form's values, of the base's values and of the live values.
 */
export function followLive(base: EditBase, live: EditBase, current: Rec, openedN: Rec, liveN: Rec): EditBase {
  const out = copy(base);
  const fields = new Set([...Object.keys(base.values), ...Object.keys(live.values)]);
  for (const f of fields) {
    if (sameValue(live.values[f], base.values[f])) {
      take(out, live, f);
      continue;
    }
    const touched = f in current && !sameValue(current[f], openedN[f]);
    if (!touched || sameValue(current[f], liveN[f])) take(out, live, f);
  }
  return out;
}

/**
 * Form fields (by name) changed underneath the person: they changed it, the live record holds yet
 * another value. Values are form values (`toValues` of the live record).
 */
export function changedUnderneath(current: Rec, openedValues: Rec, liveValues: Rec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(liveValues)) {
    if (sameValue(current[k], openedValues[k])) continue;
    if (sameValue(liveValues[k], openedValues[k]) || sameValue(liveValues[k], current[k])) continue;
    out[k] = liveValues[k];
  }
  return out;
}

/** A draft saved by an edit form carries what the form was based on, so restoring it never brings back stale values. */
export interface DraftContext {
  /** The id a new record will get (so a draft restored after its record was saved updates it instead of adding a copy). */
  id?: string;
  base?: EditBase;
}

export function isEditBase(v: unknown): v is EditBase {
  if (!v || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  return [o.values, o.bases, o.under].every((x) => !!x && typeof x === 'object');
}

/**
 * Restoring an edit form's draft: only what the person had changed against the draft's own base comes
 * back (form keys), and those record fields take the draft's base again.
 */
export function restoreOnto(base: EditBase, draftBase: EditBase, touched: string[]): EditBase {
  const out = copy(base);
  for (const f of touched) take(out, draftBase, f);
  return out;
}
