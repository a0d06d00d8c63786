// The server's merge rule for a pushed change (src-server/sync/apply.ts): field-level three-way merge,
// the base being the revision of the field the change was made on. Only `sameValue` is used on both
// sides. The device merges nothing three-way: a pulled record moves its server version (the newest
// revision of each field wins) and its pending changes are laid on top again (src-renderer/db/base.ts).

/** Structural equality of JSON values (field values are JSON: strings, numbers, booleans, arrays, objects). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => sameValue(x, bb[i]));
  }
  const ka = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return (
    ka.length === kb.length &&
    ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

export type FieldVerdict =
  /** Nobody changed the field since the base: take the new value. */
  | 'apply'
  /** The field already holds that value: nothing to write, nothing to fight over. */
  | 'same'
  /** Changed elsewhere since the base, to another value: a person decides. */
  | 'conflict';

export function mergeField(
  current: { value: unknown; rev: number },
  proposed: { value: unknown; base: number },
): FieldVerdict {
  if (sameValue(current.value, proposed.value)) return 'same';
  if (current.rev <= proposed.base) return 'apply';
  return 'conflict';
}

export interface StoredRecord {
  fields: Record<string, unknown>;
  /** Revision of each field's last change. */
  fieldRevs: Record<string, number>;
  rev: number;
  deleted: boolean;
}

export interface UpdateMerge {
  /** Fields to write. */
  apply: Record<string, unknown>;
  /** Fields whose value was already the proposed one. */
  same: string[];
  /** Fields kept as they are on the server, with the value that lost. */
  conflicts: { field: string; serverValue: unknown; proposedValue: unknown }[];
}

/** Merge a field-level update into a stored record. The caller handles tombstones (edit vs delete). */
export function mergeUpdate(
  stored: StoredRecord,
  fields: Record<string, { value: unknown; base: number }>,
): UpdateMerge {
  const out: UpdateMerge = { apply: {}, same: [], conflicts: [] };
  for (const [field, proposed] of Object.entries(fields)) {
    const current = { value: stored.fields[field] ?? null, rev: stored.fieldRevs[field] ?? 0 };
    const verdict = mergeField(current, proposed);
    if (verdict === 'apply') out.apply[field] = proposed.value;
    else if (verdict === 'same') out.same.push(field);
    else out.conflicts.push({ field, serverValue: current.value, proposedValue: proposed.value });
  }
  return out;
}

/**
 * A create meeting an existing live record (same deterministic id: natural key). Equal fields merge;
 * fields the existing record lacks are filled; different values are conflicts.
 */
export function mergeCreateCollision(stored: StoredRecord, fields: Record<string, unknown>): UpdateMerge {
  const out: UpdateMerge = { apply: {}, same: [], conflicts: [] };
  for (const [field, value] of Object.entries(fields)) {
    const current = stored.fields[field] ?? null;
    if (sameValue(current, value)) out.same.push(field);
    else if (current === null) out.apply[field] = value;
    else if (value === null) out.same.push(field);
    else out.conflicts.push({ field, serverValue: current, proposedValue: value });
  }
  return out;
}

/** A delete is safe when nothing changed the record since the device saw it. */
export function deleteVerdict(stored: StoredRecord, base: number): 'apply' | 'conflict' | 'same' {
  if (stored.deleted) return 'same';
  return stored.rev <= base ? 'apply' : 'conflict';
}
