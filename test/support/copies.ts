// Whole-record comparison of a device's copy with the server's records of its scope (guarantee 12 of
// docs/architecture.md): every field of every record, as the pull would send it, not counts or ids.
import { ENTITY_NAMES, entityDef, type EntityName } from '../../src-shared/registry';
import { stripRevs } from '../../src-renderer/db/base';
import type { AtlasDb } from '../../src-renderer/db/database';
import type { Queryable } from '../../src-server/db/driver';
import { TABLE_DEFS } from '../../src-server/sync/tables';
import type { PulledRecord } from '../../src-shared/sync/protocol';

export type Scope = { role: 'agent'; collectiviteId: string } | { role: 'sgar'; region: string } | { role: 'daect' };
/** entity → id → record (every schema field, null where empty). */
export type Copy = Record<EntityName, Record<string, Record<string, unknown>>>;

function emptyCopy(): Copy {
  return Object.fromEntries(ENTITY_NAMES.map((e) => [e, {}])) as unknown as Copy;
}

/** The live records of a scope on the server, each field as `to_jsonb` gives it (what the pull sends). */
export async function serverCopy(db: Queryable, scope: Scope): Promise<Copy> {
  const out = emptyCopy();
  for (const e of ENTITY_NAMES) {
    const def = TABLE_DEFS[e];
    let cond = '';
    const params: unknown[] = [];
    if (entityDef(e).scope === 'collectivite' && scope.role !== 'daect') {
      if (scope.role === 'agent') cond = e === 'collectivite' ? ' AND "id" = $1' : ' AND "collectiviteId" = $1';
      else cond = ' AND scope_region = $1';
      params.push(scope.role === 'agent' ? scope.collectiviteId : scope.region);
    }
    const rows = await db.query<{ row: Record<string, unknown> }>(
      `SELECT to_jsonb(t) AS row FROM ${def.table} t WHERE NOT deleted${cond}`,
      params,
    );
    for (const { row } of rows) out[e][String(row.id)] = normalise(e, row);
  }
  return out;
}

/** Given records of the server (entity → ids), each field as `to_jsonb` gives it: a sample to compare. */
export async function serverRecords(db: Queryable, ids: Partial<Record<EntityName, string[]>>): Promise<Copy> {
  const out = emptyCopy();
  for (const [e, list] of Object.entries(ids) as [EntityName, string[]][]) {
    const rows = await db.query<{ row: Record<string, unknown> }>(
      `SELECT to_jsonb(t) AS row FROM ${TABLE_DEFS[e].table} t WHERE NOT deleted AND id = ANY($1::uuid[])`,
      [list],
    );
    for (const { row } of rows) out[e][String(row.id)] = normalise(e, row);
  }
  return out;
}

/** The device's records, as its screens read them (local pending changes included). */
export async function deviceCopy(db: AtlasDb): Promise<Copy> {
  const out = emptyCopy();
  for (const e of ENTITY_NAMES) {
    for (const r of await db.records(e).toArray()) out[e][r.id] = normalise(e, stripRevs(r) as Record<string, unknown>);
  }
  return out;
}

/** The live records of a list as the pull sends them (a snapshot's lines), as a copy. */
export function copyOfRecords(records: readonly PulledRecord[]): Copy {
  const out = emptyCopy();
  for (const r of records) if (!r.deleted) out[r.entity][r.id] = normalise(r.entity, { ...r.fields, id: r.id });
  return out;
}

function normalise(e: EntityName, row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(TABLE_DEFS[e].fields.map((f) => [f, row[f] ?? null]));
}

/** Every difference between two copies, one line each (empty when equal): missing, extra, or field values. */
export function diffCopies(expected: Copy, actual: Copy, limit = 20): string[] {
  const out: string[] = [];
  for (const e of ENTITY_NAMES) {
    for (const [id, rec] of Object.entries(expected[e])) {
      const got = actual[e][id];
      if (!got) {
        out.push(`${e} ${id}: absent from the device`);
        continue;
      }
      for (const f of Object.keys(rec)) {
        if (canonical(rec[f]) !== canonical(got[f]))
          out.push(`${e} ${id}.${f}: server ${JSON.stringify(rec[f])}, device ${JSON.stringify(got[f])}`);
      }
    }
    for (const id of Object.keys(actual[e])) if (!expected[e][id]) out.push(`${e} ${id}: on the device only`);
    if (out.length >= limit) break;
  }
  return out.slice(0, limit);
}

/** JSON with object keys sorted: jsonb orders keys its own way, a device keeps the order it was given. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(
          Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : x,
  );
}

export function countRecords(c: Copy): number {
  return ENTITY_NAMES.reduce((n, e) => n + Object.keys(c[e]).length, 0);
}
