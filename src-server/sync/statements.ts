// The SQL of applying one change: each statement written once, as a small function with named
// arguments. What to write is decided by apply.ts (rights, scope, merge) and service.ts (which path, the
// receipt); this module only says how it is written. Statement texts depend on the table and the fields
// only, so PostgreSQL's named prepared statements (db/driver.ts) are reused across changes.
import type { Campagne } from '../../src-shared/domain/campagne';
import { ENTITY_NAMES, entityDef, type EntityName } from '../../src-shared/registry';
import type { Change, ChangeResult, Conflict } from '../../src-shared/sync/protocol';
import type { Queryable, Row } from '../db/driver';
import type { Actor } from './actor';
import { TABLE_DEFS, type TableDef } from './tables';

/** A column name, quoted. */
export const q = (col: string) => `"${col.replace(/"/g, '')}"`;

/** A value as a query parameter: jsonb columns get JSON text. */
export function toParam(def: TableDef, field: string, value: unknown): unknown {
  if (value === undefined) return null;
  return def.jsonFields.has(field) && value !== null ? JSON.stringify(value) : value;
}

/** Numbered parameters of one statement: `add` returns the value's `$n`, so no offset is counted by hand. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

// ---- The gate: the device, the change's receipt, the record ----

/** The device's sequence and the change's receipt if it was already applied (no row: unknown device). */
export type GateRow = { __last_seq: number; __dup: ChangeResult | null; __dup_user: string | null };

/** The gate with the device row locked (the refusal's small transaction). */
export async function readGate(tx: Queryable, actor: Actor, changeId: string): Promise<GateRow | undefined> {
  return (
    await tx.query<GateRow>(
      `SELECT d.last_seq AS __last_seq, a.result AS __dup, a.user_id AS __dup_user FROM devices d
  LEFT JOIN applied_changes a ON a.change_id = $3 WHERE d.user_id = $1 AND d.id = $2 FOR UPDATE OF d`,
      [actor.userId, actor.deviceId, changeId],
    )
  )[0];
}

const gateRecordSqls = new Map<string, string>();
/**
 * The gate and the changed record in one statement (one round trip); `lock`: the device row, then the
 * record, FOR UPDATE (the same order as readGate, so the two never deadlock).
 */
export async function readGateAndRecord(
  tx: Queryable,
  actor: Actor,
  change: Change,
  lock: boolean,
): Promise<(GateRow & Row) | undefined> {
  const key = `${change.entity}:${lock}`;
  let sql = gateRecordSqls.get(key);
  if (!sql) {
    sql = `SELECT d.last_seq AS __last_seq, a.result AS __dup, a.user_id AS __dup_user, r.* FROM devices d
      LEFT JOIN applied_changes a ON a.change_id = $3
      LEFT JOIN LATERAL (SELECT * FROM ${TABLE_DEFS[change.entity].table} WHERE "id" = $4${lock ? ' FOR UPDATE' : ''}) r ON true
      WHERE d.user_id = $1 AND d.id = $2${lock ? ' FOR UPDATE OF d' : ''}`;
    gateRecordSqls.set(key, sql);
  }
  return (await tx.query<GateRow & Row>(sql, [actor.userId, actor.deviceId, change.id, change.record]))[0];
}

// ---- The receipt: the change's result (idempotency) and the device's new sequence ----

export interface ReceiptArgs {
  changeId: string;
  seq: number;
  result: ChangeResult;
}

/**
 * The receipt as two statement bodies over placeholders already numbered. `onlyIf`: a CTE whose rows
 * condition both (the sealed update's: no receipt when the guard refused the write).
 */
function receiptSql(
  ph: { user: string; device: string; change: string; seq: string; result: string },
  onlyIf?: string,
) {
  return {
    insert: `INSERT INTO applied_changes (change_id, user_id, device_id, seq, result)
           SELECT ${ph.change}::uuid, ${ph.user}::uuid, ${ph.device}::uuid, ${ph.seq}::bigint, ${ph.result}::jsonb${onlyIf ? ` FROM ${onlyIf}` : ''}`,
    advance: `UPDATE devices SET last_seq = ${ph.seq}::bigint, last_seen_at = now()
           WHERE user_id = ${ph.user}::uuid AND id = ${ph.device}::uuid${onlyIf ? ` AND EXISTS (SELECT 1 FROM ${onlyIf})` : ''}`,
  };
}

/** Remembers the change's result and advances the device's sequence, in one round trip. */
export async function writeReceipt(tx: Queryable, actor: Actor, r: ReceiptArgs): Promise<void> {
  const p = new Params();
  const sql = receiptSql({
    user: p.add(actor.userId),
    device: p.add(actor.deviceId),
    change: p.add(r.changeId),
    seq: p.add(r.seq),
    result: p.add(JSON.stringify(r.result)),
  });
  await tx.query(`WITH r AS (${sql.insert}) ${sql.advance}`, p.values);
}

// ---- Reads of the apply path ----

/** The record, locked until the transaction ends. */
export async function lockRecord(tx: Queryable, tdef: TableDef, id: string): Promise<Row | undefined> {
  return (await tx.query(`SELECT * FROM ${tdef.table} WHERE "id" = $1 FOR UPDATE`, [id]))[0];
}

/** The région of a collectivité (undefined: no such collectivité). */
/** The régions of several collectivités at once (those that exist). */
export async function readRegions(tx: Queryable, ids: string[]): Promise<{ id: string; region: string | null }[]> {
  return tx.query<{ id: string; region: string | null }>(
    'SELECT "id", "region" AS region FROM collectivite WHERE "id" = ANY($1::uuid[])',
    [ids],
  );
}

export async function readRegion(
  tx: Queryable,
  collectiviteId: string,
): Promise<{ region: string | null } | undefined> {
  return (
    await tx.query<{ region: string | null }>('SELECT "region" AS region FROM collectivite WHERE "id" = $1', [
      collectiviteId,
    ])
  )[0];
}

/** A record a change refers to (a parent or a reference): whether it is deleted, and its collectivité. */
export async function readReferenced(
  tx: Queryable,
  entity: EntityName,
  id: unknown,
): Promise<{ deleted: unknown; cid?: unknown } | undefined> {
  const withCid = entityDef(entity).scope === 'collectivite';
  return (
    await tx.query<{ deleted: unknown; cid?: unknown }>(
      `SELECT "id", deleted${withCid ? ', "collectiviteId" AS cid' : ''} FROM ${TABLE_DEFS[entity].table} WHERE "id" = $1`,
      [id],
    )
  )[0];
}

/** A live campaign's year and dates (the closing rule of attestations), undefined when absent or deleted. */
export async function readCampagne(tx: Queryable, id: unknown): Promise<Campagne | undefined> {
  const row = (
    await tx.query<{ id: string; annee: number | string; dateOuverture: string; dateCloture: string }>(
      `SELECT "id", "annee", "dateOuverture", "dateCloture" FROM ${TABLE_DEFS.campagne.table} WHERE "id" = $1 AND NOT deleted`,
      [id],
    )
  )[0];
  return (
    row && { id: row.id, annee: Number(row.annee), dateOuverture: row.dateOuverture, dateCloture: row.dateCloture }
  );
}

/** Does a live record of `child` still point at this one through `field`? */
export async function hasLiveChild(tx: Queryable, child: EntityName, field: string, id: string): Promise<boolean> {
  return (
    (await tx.query(`SELECT 1 FROM ${TABLE_DEFS[child].table} WHERE ${q(field)} = $1 AND NOT deleted LIMIT 1`, [id]))
      .length > 0
  );
}

/** Another live record of the collectivité `cid` holding `value` in `field` (the registry's `unique`), or undefined. */
/** The entries of a reference list among these codes (entreeReference rows; entries are never deleted). */
export async function readListEntries(
  tx: Queryable,
  liste: string,
  codes: readonly string[],
): Promise<{ code: string; libelle: string; retiree: boolean }[]> {
  if (!codes.length) return [];
  return tx.query<{ code: string; libelle: string; retiree: boolean }>(
    `SELECT "code", "libelle", "retiree" FROM ${TABLE_DEFS.entreeReference.table} WHERE "liste" = $1 AND "code" IN (${codes.map((_, i) => `$${i + 2}`).join(', ')}) AND NOT deleted`,
    [liste, ...codes],
  );
}

export async function findLiveDuplicate(
  tx: Queryable,
  entity: EntityName,
  field: string,
  value: unknown,
  cid: unknown,
  exceptId: string,
): Promise<string | undefined> {
  const rows = await tx.query<{ id: string }>(
    `SELECT "id" FROM ${TABLE_DEFS[entity].table} WHERE ${q(field)} = $1 AND "collectiviteId" = $2 AND "id" <> $3 AND NOT deleted LIMIT 1`,
    [value, cid, exceptId],
  );
  return rows[0]?.id;
}

/** Was revision `rev` of this record written by this user's same device? */
export async function writtenBy(tx: Queryable, actor: Actor, record: string, rev: number): Promise<boolean> {
  const rows = await tx.query(
    'SELECT 1 FROM audit_log WHERE record_id = $1 AND rev = $2 AND device_id = $3 AND user_id = $4 LIMIT 1',
    [record, rev, actor.deviceId, actor.userId],
  );
  return rows.length > 0;
}

// ---- Writing a whole record: insert, or re-create over a tombstone (re-creation and restore) ----

export interface WholeRecord {
  tdef: TableDef;
  values: Record<string, unknown>;
  rev: number;
  region: string | null;
  by: string;
}

function wholeParams(w: WholeRecord) {
  const p = new Params();
  const cols = w.tdef.fields.map((f) => ({ col: q(f), ph: p.add(toParam(w.tdef, f, w.values[f])) }));
  return { p, cols, rev: p.add(w.rev), region: p.add(w.region), by: p.add(w.by) };
}

/** A new record, created at `rev`. */
export async function insertRecord(tx: Queryable, w: WholeRecord): Promise<void> {
  const { p, cols, rev, region, by } = wholeParams(w);
  await tx.query(
    `INSERT INTO ${w.tdef.table} (${cols.map((c) => c.col).join(', ')}, sync_rev, created_rev, scope_region, updated_by)
     VALUES (${cols.map((c) => c.ph).join(', ')}, ${rev}, ${rev}, ${region}, ${by})`,
    p.values,
  );
}

/** New records of one table in multi-row INSERTs (the bulk creations of ChangeApplier.createMany). */
export async function insertRecords(
  tx: Queryable,
  tdef: TableDef,
  rows: { values: Record<string, unknown>; rev: number; region: string | null }[],
  by: string,
): Promise<void> {
  // One JSON parameter per statement, read by the table's own row type: PostgreSQL parses and plans a short
  // statement instead of one with tens of thousands of placeholders, and casts each field to its column.
  const cols = [...tdef.fields, 'sync_rev', 'created_rev', 'scope_region', 'updated_by'].map(q).join(', ');
  for (let start = 0; start < rows.length; start += 5_000) {
    const json = rows.slice(start, start + 5_000).map((r) => {
      const o: Record<string, unknown> = {};
      for (const f of tdef.fields) o[f] = r.values[f] ?? null;
      o.sync_rev = r.rev;
      o.created_rev = r.rev;
      o.scope_region = r.region;
      o.updated_by = by;
      return o;
    });
    await tx.query(
      `INSERT INTO ${tdef.table} (${cols}) SELECT ${cols} FROM jsonb_populate_recordset(NULL::${tdef.table}, $1::jsonb)`,
      [JSON.stringify(json)],
    );
  }
}

/** Every field rewritten and the record created anew at `rev`: new to everyone again, alive. */
export async function recreateRecord(tx: Queryable, w: WholeRecord): Promise<void> {
  const { p, cols, rev, region, by } = wholeParams(w);
  // `id` is the first field: its placeholder is the key of the WHERE.
  await tx.query(
    `UPDATE ${w.tdef.table} SET ${cols.map((c) => `${c.col} = ${c.ph}`).join(', ')},
      sync_rev = ${rev}, created_rev = ${rev}, field_revs = '{}', deleted = false,
      scope_region = ${region}, updated_at = now(), updated_by = ${by} WHERE "id" = ${cols[0]!.ph}`,
    p.values,
  );
}

// ---- An update: the fields, their revisions and their audit rows in one statement ----

export interface FieldUpdate {
  tdef: TableDef;
  id: string;
  changeId: string;
  rev: number;
  /** The fields written, their new values (the merged record) and their values before. */
  fields: string[];
  values: Record<string, unknown>;
  before: Record<string, unknown>;
  region: string | null;
  /**
   * The receipt, written by the same statement when the result is known before it runs; with `expect`
   * (no locks held), everything is written only if the record's revision and the device's sequence are
   * still the ones read.
   */
  receipt?: ReceiptArgs & { expect?: { rev: number; lastSeq: number } };
}

/** One round trip: the update and its audit rows (who, device, change, field, old → new). False: the guard refused, nothing was written. */
export async function updateFields(tx: Queryable, actor: Actor, w: FieldUpdate): Promise<boolean> {
  const { tdef } = w;
  const p = new Params();
  const id = p.add(w.id);
  const sets = w.fields.map((f) => `${q(f)} = ${p.add(toParam(tdef, f, w.values[f]))}`);
  const rev = p.add(w.rev);
  const fieldRevs = p.add(JSON.stringify(Object.fromEntries(w.fields.map((f) => [f, w.rev]))));
  const region = p.add(w.region);
  const by = p.add(actor.label);
  const user = p.add(actor.userId);
  const device = p.add(actor.deviceId);
  const change = p.add(w.changeId);
  const entity = p.add(tdef.entity);
  const values = w.fields.map(
    (f) =>
      `(${p.add(f)}::text, ${p.add(JSON.stringify(w.before[f] ?? null))}::text, ${p.add(JSON.stringify(w.values[f] ?? null))}::text)`,
  );
  let receipt = '';
  let guard = '';
  if (w.receipt) {
    const r = receiptSql(
      { user, device, change, seq: p.add(w.receipt.seq), result: p.add(JSON.stringify(w.receipt.result)) },
      'u',
    );
    if (w.receipt.expect) {
      // Optimistic: written only if nobody wrote the record and the device sent nothing since the read.
      const expectRev = p.add(w.receipt.expect.rev);
      const lastSeq = p.add(w.receipt.expect.lastSeq);
      guard = ` AND sync_rev = ${expectRev}::bigint AND EXISTS (SELECT 1 FROM devices WHERE user_id = ${user}::uuid AND id = ${device}::uuid AND last_seq = ${lastSeq}::bigint)`;
    }
    receipt = `, r AS (${r.insert}),
         d AS (${r.advance})`;
  }
  const written = await tx.query(
    `WITH u AS (UPDATE ${tdef.table} SET ${sets.join(', ')}, sync_rev = ${rev}, field_revs = field_revs || ${fieldRevs}::jsonb,
       scope_region = ${region}, updated_at = now(), updated_by = ${by} WHERE "id" = ${id}${guard} RETURNING 1)${receipt}
     INSERT INTO audit_log (user_id, device_id, change_id, rev, entity, record_id, field, old_value, new_value)
     SELECT ${user}::uuid, ${device}::uuid, ${change}::uuid, ${rev}::bigint, ${entity}::text, ${id}::uuid, v.f, v.o::jsonb, v.n::jsonb
     FROM u CROSS JOIN (VALUES ${values.join(', ')}) AS v(f, o, n) RETURNING 1`,
    p.values,
  );
  return written.length > 0;
}

// ---- Deletes ----

/** The record becomes a tombstone at `rev`; its contents stay (history, conflicts). */
export async function tombstone(tx: Queryable, tdef: TableDef, id: string, rev: number, by: string): Promise<void> {
  await tx.query(
    `UPDATE ${tdef.table} SET deleted = true, sync_rev = $2, updated_at = now(), updated_by = $3 WHERE "id" = $1`,
    [id, rev, by],
  );
}

/** RGPD: a tombstone that keeps no content, nor do the record's audit rows and conflicts. */
export async function tombstoneAndPurge(
  tx: Queryable,
  tdef: TableDef,
  id: string,
  rev: number,
  by: string,
): Promise<void> {
  const purge = tdef.dataFields.filter((f) => f !== 'collectiviteId');
  await tx.query(
    `UPDATE ${tdef.table} SET ${purge.map((f) => `${q(f)} = NULL`).join(', ')}, deleted = true, sync_rev = $2,
     field_revs = '{}', updated_at = now(), updated_by = $3 WHERE "id" = $1`,
    [id, rev, by],
  );
  await tx.query('UPDATE audit_log SET old_value = NULL, new_value = NULL WHERE record_id = $1', [id]);
  await tx.query('UPDATE conflicts SET server_value = NULL, proposed_value = NULL WHERE record_id = $1', [id]);
}

// ---- A région move ----

/**
 * Every record of the collectivité moves to région `to` at `rev` (entered_rev: sent whole to its new
 * devices); one scope_exits row per record tells région `from` to drop it; its conflicts follow.
 */
export async function moveScope(
  tx: Queryable,
  cid: string,
  from: string | null,
  to: string | null,
  rev: number,
): Promise<void> {
  await tx.query('UPDATE collectivite SET entered_rev = $2 WHERE "id" = $1', [cid, rev]);
  if (from !== null)
    await tx.query(`INSERT INTO scope_exits (rev, entity, record_id, region) VALUES ($1, 'collectivite', $2, $3)`, [
      rev,
      cid,
      from,
    ]);
  for (const e of ENTITY_NAMES) {
    if (e === 'collectivite' || entityDef(e).scope !== 'collectivite') continue;
    await tx.query(
      `WITH m AS (UPDATE ${TABLE_DEFS[e].table} SET scope_region = $2, sync_rev = $3, entered_rev = $3 WHERE "collectiviteId" = $1 RETURNING "id")
       INSERT INTO scope_exits (rev, entity, record_id, region) SELECT $3, $4, m."id", $5::text FROM m WHERE $5::text IS NOT NULL`,
      [cid, to, rev, e, from],
    );
  }
  await tx.query(
    'UPDATE conflicts SET scope_region = $2, rev = CASE WHEN resolved THEN rev ELSE $3 END WHERE collectivite_id = $1',
    [cid, to, rev],
  );
}

// ---- Conflicts and audit ----

/** The unresolved conflicts of this record among `ids`. */
export async function readOpenConflicts(
  tx: Queryable,
  record: string,
  ids: string[],
): Promise<{ id: string; field: string | null }[]> {
  if (!ids.length) return [];
  return tx.query<{ id: string; field: string | null }>(
    'SELECT id, field FROM conflicts WHERE record_id = $1 AND id = ANY($2::uuid[]) AND NOT resolved',
    [record, ids],
  );
}

/** Settles conflicts at `rev` (their new revision: the scope pulls them again). */
export async function resolveConflicts(tx: Queryable, ids: string[], by: string, rev: number): Promise<void> {
  if (!ids.length) return;
  await tx.query('UPDATE conflicts SET resolved = true, resolved_by = $2, rev = $3 WHERE id = ANY($1::uuid[])', [
    ids,
    by,
    rev,
  ]);
}

export interface ConflictRow {
  id: string;
  rev: number;
  entity: EntityName;
  record: string;
  kind: Conflict['kind'];
  field: string | null;
  serverValue: unknown;
  proposedValue: unknown;
  proposedBy: string;
  serverBy: string | null;
  changeId: string;
  collectiviteId: string | null;
  scopeRegion: string | null;
}

export async function insertConflict(tx: Queryable, c: ConflictRow): Promise<void> {
  await tx.query(
    `INSERT INTO conflicts (id, rev, entity, record_id, kind, field, server_value, proposed_value, proposed_by, server_by, change_id, collectivite_id, scope_region)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9, $10, $11, $12, $13)`,
    [
      c.id,
      c.rev,
      c.entity,
      c.record,
      c.kind,
      c.field,
      JSON.stringify(c.serverValue ?? null),
      JSON.stringify(c.proposedValue ?? null),
      c.proposedBy,
      c.serverBy,
      c.changeId,
      c.collectiviteId,
      c.scopeRegion,
    ],
  );
}

export interface AuditEntry {
  field: string | null;
  old: unknown;
  value: unknown;
}

/** Audit rows of one change on one record (who, device, change, field, old → new). */
export async function insertAudit(
  tx: Queryable,
  actor: Actor,
  changeId: string,
  rev: number,
  entity: EntityName,
  record: string,
  entries: AuditEntry[],
): Promise<void> {
  if (!entries.length) return;
  const p = new Params();
  const who = [actor.userId, actor.deviceId, changeId, rev, entity, record].map((v) => p.add(v)).join(', ');
  const values = entries.map(
    (e) =>
      `(${who}, ${p.add(e.field)}, ${p.add(JSON.stringify(e.old ?? null))}::jsonb, ${p.add(JSON.stringify(e.value ?? null))}::jsonb)`,
  );
  await tx.query(
    `INSERT INTO audit_log (user_id, device_id, change_id, rev, entity, record_id, field, old_value, new_value) VALUES ${values.join(', ')}`,
    p.values,
  );
}

/** The creation audit rows of many records (ChangeApplier.createMany), in multi-row INSERTs. */
export async function insertAuditMany(
  tx: Queryable,
  actor: Actor,
  rows: { changeId: string; rev: number; entity: EntityName; record: string; value: unknown }[],
): Promise<void> {
  // One JSON parameter per statement, as insertRecords.
  for (let start = 0; start < rows.length; start += 5_000) {
    const json = rows
      .slice(start, start + 5_000)
      .map((r) => ({ c: r.changeId, r: r.rev, e: r.entity, id: r.record, v: r.value ?? null }));
    await tx.query(
      `INSERT INTO audit_log (user_id, device_id, change_id, rev, entity, record_id, field, old_value, new_value)
       SELECT $1::uuid, $2::uuid, t.c, t.r, t.e, t.id, NULL, 'null'::jsonb, t.v
       FROM jsonb_to_recordset($3::jsonb) AS t(c uuid, r bigint, e text, id uuid, v jsonb)`,
      [actor.userId, actor.deviceId, JSON.stringify(json)],
    );
  }
}
