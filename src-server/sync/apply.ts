// Applying one pushed change inside its transaction: rights, scope, parents, natural keys, the shared
// three-way merge, validation of the merged record, write, conflicts and audit.
import type { z } from 'zod';
import { summarize } from '../../src-shared/domain/messages';
import { entityDef, ENTITY_NAMES, type EntityName } from '../../src-shared/registry';
import { collectiviteId as collectiviteIdOf, naturalId, newId } from '../../src-shared/sync/ids';
import { deleteVerdict, mergeCreateCollision, mergeUpdate, sameValue, type StoredRecord } from '../../src-shared/sync/merge';
import type { Change, ChangeResult, CreateChange, DeleteChange, UpdateChange } from '../../src-shared/sync/protocol';
import type { Queryable, Row } from '../db/driver';
import { q, TABLE_DEFS, toParam, type TableDef } from './tables';
import type { Actor, Echo } from './actor';
import type { ScopeMarks } from './revs';

/** A refusal: nothing of the change is written. */
export class Rejection extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export interface ApplyOutcome {
  result: ChangeResult;
  /** Set when the device now holds exactly what the server stored (its pull may skip the record). */
  echo?: Echo;
  /** The result and the device's sequence were already written with the change (one round trip less). */
  remembered?: boolean;
}

/** What the caller would write after the change: its result and the device's new sequence number. */
export interface Receipt {
  seq: number;
  /**
   * Set when no transaction holds locks (the optimistic path): the change may only be written by its one
   * sealed statement, which applies if the record's revision and the device's sequence are still these.
   * Anything else throws NotOptimistic, before any write, and the caller retries under locks.
   */
  expect?: { rev: number; lastSeq: number };
}

/** The optimistic path cannot take this change (another write raced it, or it needs more than one statement). */
export class NotOptimistic extends Error {}

/** Region of each collectivité (identity field, changed only by the DAECT): cached. */
export class RegionCache {
  private map = new Map<string, string | null>();
  async get(tx: Queryable, collectiviteId: string): Promise<{ region: string | null } | null> {
    if (this.map.has(collectiviteId)) return { region: this.map.get(collectiviteId) ?? null };
    const rows = await tx.query<{ region: string | null }>('SELECT "region" AS region FROM collectivite WHERE "id" = $1', [collectiviteId]);
    if (!rows[0]) return null;
    this.map.set(collectiviteId, rows[0].region);
    return { region: rows[0].region };
  }
  forget(collectiviteId: string) { this.map.delete(collectiviteId); }
  clear() { this.map.clear(); }
}

const CHILDREN: Record<string, { entity: EntityName; field: string }[]> = {};
for (const e of ENTITY_NAMES) {
  const p = entityDef(e).parent;
  if (p) (CHILDREN[p.entity] ??= []).push({ entity: e, field: p.field });
}

export function toStored(def: TableDef, row: Row): StoredRecord {
  const fields: Record<string, unknown> = {};
  const fieldRevs: Record<string, number> = {};
  const fr = (row.field_revs ?? {}) as Record<string, number>;
  const created = Number(row.created_rev);
  for (const f of def.fields) {
    fields[f] = row[f] ?? null;
    fieldRevs[f] = fr[f] ?? created;
  }
  return { fields, fieldRevs, rev: Number(row.sync_rev), deleted: row.deleted === true };
}

/** Highest revision of the record's creation and of its fields this write leaves as they were. */
function othersRev(tdef: TableDef, row: Row, stored: StoredRecord, written: string[]): number {
  let max = Number(row.created_rev);
  for (const f of tdef.dataFields) if (!written.includes(f)) max = Math.max(max, stored.fieldRevs[f] ?? 0);
  return max;
}

function inScope(actor: Actor, collectiviteId: string | null, region: string | null): boolean {
  if (actor.role === 'daect') return true;
  if (actor.role === 'agent') return collectiviteId !== null && collectiviteId === actor.collectiviteId;
  return region !== null && region === actor.region;
}

const OUT_OF_SCOPE = () => new Rejection('OUT_OF_SCOPE', 'Cet enregistrement n’appartient pas à votre périmètre : modification refusée.');

export class ChangeApplier {
  constructor(private readonly regions: RegionCache, private readonly marks?: ScopeMarks) {}

  /** `prefetched`: the record already read and locked by the caller (undefined row: no such record). */
  async apply(tx: Queryable, actor: Actor, change: Change, rev: number, prefetched?: { row: Row | undefined }, receipt?: Receipt): Promise<ApplyOutcome> {
    const def = entityDef(change.entity);
    const tdef = TABLE_DEFS[change.entity];
    if (!def.writeRoles.includes(actor.role)) {
      throw new Rejection('FORBIDDEN', actor.role === 'sgar'
        ? `Les services de l’État (SGAR) ne peuvent modifier que les avis : modification des ${def.labelPlural} refusée.`
        : `Votre rôle ne permet pas de modifier les ${def.labelPlural}.`);
    }
    // A région move rewrites every record of the collectivité: only under the transaction's locks.
    if (receipt?.expect && (change.op !== 'update' || (change.entity === 'collectivite' && 'region' in change.fields))) throw new NotOptimistic();
    const row = prefetched ? prefetched.row
      : (await tx.query(`SELECT * FROM ${tdef.table} WHERE "id" = $1 FOR UPDATE`, [change.record]))[0];
    if (row && def.scope === 'collectivite') {
      const cid = (change.entity === 'collectivite' ? row.id : row.collectiviteId) as string;
      if (!inScope(actor, cid, (row.scope_region as string | null) ?? null)) throw OUT_OF_SCOPE();
    }
    const outcome = change.op === 'create' ? await this.create(tx, actor, change, rev, tdef, row)
      : change.op === 'update' ? await this.update(tx, actor, change, rev, tdef, row, receipt)
        : await this.remove(tx, actor, change, rev, tdef, row);
    // A clean revision wrote this one record and no conflict row (see ScopeMarks.onlyOwn).
    const clean = outcome.result.status !== 'conflict' && !(change.op !== 'create' && change.resolves?.length)
      ? `${change.entity}:${change.record}` : null;
    // Mark the scope before commit (conservative): devices of that scope will query for it.
    if (this.marks) {
      if (def.scope === 'national') this.marks.touch(null, null, rev, clean);
      else {
        const cid = String(change.entity === 'collectivite' ? change.record : (row?.collectiviteId ?? (change.op === 'create' ? change.fields.collectiviteId : '')));
        const region = (row?.scope_region as string | null | undefined) ?? (await this.regions.get(tx, cid))?.region ?? null;
        this.marks.touch(cid, region, rev, clean);
        if (change.entity === 'collectivite' && row && row.scope_region !== (row.region ?? null)) this.marks.touch(cid, (row.region as string | null) ?? null, rev, clean);
      }
    }
    return outcome;
  }

  /** Checks scope, collectivité, parent and references of a full record; returns its scope région. */
  private async checkRecord(tx: Queryable, actor: Actor, entity: EntityName, rec: Record<string, unknown>, changed?: string[]): Promise<string | null> {
    const def = entityDef(entity);
    if (def.scope === 'national') return null;
    const cid = (entity === 'collectivite' ? rec.id : rec.collectiviteId) as string;
    let region: string | null;
    if (entity === 'collectivite') {
      region = (rec.region as string | null) ?? null;
      if (!inScope(actor, cid, region)) throw OUT_OF_SCOPE();
    } else {
      const c = await this.regions.get(tx, cid);
      if (!c) {
        if (actor.role !== 'daect' && cid !== actor.collectiviteId) throw OUT_OF_SCOPE();
        throw new Rejection('PARENT_MISSING', 'La collectivité de cet enregistrement est inconnue du serveur.');
      }
      region = c.region;
      if (!inScope(actor, cid, region)) throw OUT_OF_SCOPE();
    }
    const refs = [...(def.parent ? [def.parent] : []), ...(def.references ?? [])];
    for (const ref of refs) {
      const refId = rec[ref.field];
      if (refId === null || refId === undefined || (changed && !changed.includes(ref.field))) continue;
      const refDef = entityDef(ref.entity);
      const prow = (await tx.query(`SELECT "id", deleted${refDef.scope === 'collectivite' ? ', "collectiviteId" AS cid' : ''} FROM ${TABLE_DEFS[ref.entity].table} WHERE "id" = $1`, [refId]))[0];
      if (!prow || prow.deleted === true) {
        throw new Rejection('PARENT_MISSING', ref === def.parent
          ? `Le ${refDef.label} auquel se rattache cet enregistrement n’existe pas ou a été supprimé.`
          : `L’enregistrement lié (« ${refDef.label} ») n’existe pas ou a été supprimé.`);
      }
      if (refDef.scope === 'collectivite' && prow.cid !== cid) {
        throw new Rejection('OUT_OF_SCOPE', `Le ${refDef.label} lié appartient à une autre collectivité.`);
      }
    }
    return region;
  }

  private validate(entity: EntityName, rec: Record<string, unknown>): Record<string, unknown> {
    const parsed = entityDef(entity).schema.safeParse(rec);
    if (!parsed.success) throw new Rejection('VALIDATION', summarize(parsed.error));
    return parsed.data as Record<string, unknown>;
  }

  /**
   * Each sent value against its own field's schema, as an edit of that one field would be: a value that
   * ends in a conflict (or meets a delete) is stored and pulled by the whole scope, so it must be valid
   * even though it is not written into the record. Returns the parsed values.
   */
  private validateFields(entity: EntityName, values: Record<string, unknown>): Record<string, unknown> {
    const shape = entityDef(entity).schema.shape as Record<string, z.ZodType>;
    const out: Record<string, unknown> = {};
    for (const [f, v] of Object.entries(values)) {
      const parsed = shape[f]!.safeParse(v);
      if (!parsed.success) throw new Rejection('VALIDATION', summarize(parsed.error));
      out[f] = parsed.data;
    }
    return out;
  }

  private checkNaturalKey(entity: EntityName, id: string, rec: Record<string, unknown>) {
    const def = entityDef(entity);
    let expected: string | null = null;
    if (def.naturalKey) expected = naturalId(entity, def.naturalKey.map((k) => rec[k] as string | number));
    else if (entity === 'collectivite') expected = collectiviteIdOf(String(rec.code));
    if (expected !== null && expected !== id) {
      throw new Rejection('NATURAL_KEY_ID', `L’identifiant de cet enregistrement ne correspond pas à sa clé (${(def.naturalKey ?? ['code']).join(', ')}).`);
    }
  }

  private async create(tx: Queryable, actor: Actor, change: CreateChange, rev: number, tdef: TableDef, row: Row | undefined): Promise<ApplyOutcome> {
    const entity = change.entity;
    const def = entityDef(entity);
    if ('id' in change.fields && change.fields.id !== change.record) {
      throw new Rejection('VALIDATION', 'L’identifiant de l’enregistrement ne correspond pas à celui de la modification.');
    }
    const rec = this.validate(entity, { ...change.fields, id: change.record });
    this.checkNaturalKey(entity, change.record, rec);
    if (row && !row.deleted) {
      // Same id: a natural-key meeting (two offline creations) or a re-sent creation.
      const stored = toStored(tdef, row);
      const m = mergeCreateCollision(stored, Object.fromEntries(tdef.dataFields.map((f) => [f, rec[f] ?? null])));
      if (!def.naturalKey && m.conflicts.length) {
        throw new Rejection('ALREADY_EXISTS', `Ce ${def.label} existe déjà sur le serveur avec d’autres valeurs.`);
      }
      return this.writeUpdate(tx, actor, change.id, rev, tdef, row, stored, m.apply, m.conflicts, 'natural_key', []);
    }
    if (row && row.deleted && !def.naturalKey) {
      throw new Rejection('ALREADY_EXISTS', `Ce ${def.label} a été supprimé : il ne peut être recréé avec le même identifiant.`);
    }
    const region = await this.checkRecord(tx, actor, entity, rec);
    const cols = tdef.fields;
    const params = cols.map((f) => toParam(tdef, f, rec[f]));
    if (row) {
      // Re-creation of a deleted natural-key record (e.g. the APD of a year): new to everyone again.
      await tx.query(
        `UPDATE ${tdef.table} SET ${cols.map((c, i) => `${q(c)} = $${i + 1}`).join(', ')},
          sync_rev = $${cols.length + 1}, created_rev = $${cols.length + 1}, field_revs = '{}', deleted = false,
          scope_region = $${cols.length + 2}, updated_at = now(), updated_by = $${cols.length + 3} WHERE "id" = $1`,
        [...params, rev, region, actor.label],
      );
    } else {
      await tx.query(
        `INSERT INTO ${tdef.table} (${cols.map(q).join(', ')}, sync_rev, created_rev, scope_region, updated_by)
         VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}, $${cols.length + 1}, $${cols.length + 1}, $${cols.length + 2}, $${cols.length + 3})`,
        [...params, rev, region, actor.label],
      );
    }
    await this.audit(tx, actor, change.id, rev, entity, change.record, [{ field: null, old: null, value: rec }]);
    const exact = tdef.dataFields.every((f) => sameValue(rec[f], change.fields[f] ?? null));
    return {
      result: { id: change.id, status: 'applied', rev },
      ...(exact ? { echo: { entity, id: change.record, rev, prevRev: 0 } } : {}),
    };
  }

  private async update(tx: Queryable, actor: Actor, change: UpdateChange, rev: number, tdef: TableDef, row: Row | undefined, receipt?: Receipt): Promise<ApplyOutcome> {
    const entity = change.entity;
    const def = entityDef(entity);
    if (!row) throw new Rejection('UNKNOWN_RECORD', `Ce ${def.label} n’existe pas sur le serveur.`);
    const names = Object.keys(change.fields);
    if (names.length === 0) throw new Rejection('VALIDATION', 'La modification ne contient aucun champ.');
    for (const f of names) {
      if (!tdef.fields.includes(f)) throw new Rejection('VALIDATION', `Champ inconnu : ${f}.`);
    }
    const stored = toStored(tdef, row);
    const locked = new Set<string>(['id', ...(def.scope === 'collectivite' && entity !== 'collectivite' ? ['collectiviteId'] : []), ...(def.naturalKey ?? [])]);
    for (const f of names) {
      const changed = !sameValue(stored.fields[f], change.fields[f]!.value);
      if (locked.has(f) && changed) {
        throw new Rejection('READ_ONLY_FIELD', `Le champ « ${f} » ne peut pas être modifié : supprimez l’enregistrement et recréez-le.`);
      }
      if (actor.role !== 'daect' && (def.daectOnlyFields ?? []).includes(f) && changed) {
        throw new Rejection('READ_ONLY_FIELD', `Le champ « ${f} » vient du répertoire officiel : seule la DAECT peut le modifier.`);
      }
    }
    const valid = this.validateFields(entity, Object.fromEntries(names.map((f) => [f, change.fields[f]!.value])));
    const resolving = await this.openConflicts(tx, change.record, change.resolves ?? []);
    if (receipt?.expect && (stored.deleted || resolving.length)) throw new NotOptimistic();
    if (stored.deleted) {
      if (resolving.length) {
        // A person chose to restore the record deleted elsewhere.
        const values = Object.fromEntries(names.map((f) => [f, change.fields[f]!.value]));
        return this.restore(tx, actor, change.id, rev, tdef, row, stored, values, resolving);
      }
      // Edit against a delete: only validated values are kept for people to see.
      const cid = await this.conflict(tx, actor, change.id, rev, entity, row, 'edit_delete', null, null, valid);
      return { result: { id: change.id, status: 'conflict', rev: stored.rev, conflicts: [cid] } };
    }
    // Fields a person settled on the conflicts screen are taken as they are.
    const settled = new Set(resolving.map((c) => c.field).filter((f): f is string => !!f));
    const forced: Record<string, unknown> = {};
    const merging: Record<string, { value: unknown; base: number }> = {};
    for (const f of names) {
      if (settled.has(f)) forced[f] = change.fields[f]!.value;
      else merging[f] = change.fields[f]!;
    }
    const m = mergeUpdate(stored, merging);
    Object.assign(m.apply, forced);
    // A field last written by this same device (e.g. created then edited before it learnt the rev):
    // its changes apply in sequence order, so this is a later edit, not a conflict.
    if (m.conflicts.length) {
      const still: typeof m.conflicts = [];
      for (const c of m.conflicts) {
        if (await this.ownWrite(tx, actor, change.record, stored.fieldRevs[c.field] ?? stored.rev)) m.apply[c.field] = c.proposedValue;
        else still.push({ ...c, proposedValue: valid[c.field] });
      }
      m.conflicts = still;
    }
    const minBase = Math.min(...names.map((f) => change.fields[f]!.base));
    const newerElsewhere = stored.rev > minBase && !(await this.ownWrite(tx, actor, change.record, stored.rev));
    const merged = m.same.length > 0 || newerElsewhere;
    // Without conflicts to write the result is known now: it goes into the write statement itself.
    const seal = receipt && !m.conflicts.length && !resolving.length && Object.keys(m.apply).length
      ? { seq: receipt.seq, status: merged ? 'merged' as const : 'applied' as const, expect: receipt.expect } : undefined;
    if (receipt?.expect && !seal) throw new NotOptimistic();
    const out = await this.writeUpdate(tx, actor, change.id, rev, tdef, row, stored, m.apply, m.conflicts, 'field', resolving.map((c) => c.id), seal);
    if (out.result.status === 'applied' && merged) out.result.status = 'merged';
    // Other fields changed elsewhere: the pull sends them, but not the fields this change wrote.
    if (out.echo && newerElsewhere) out.echo.partial = true;
    return out;
  }

  private async remove(tx: Queryable, actor: Actor, change: DeleteChange, rev: number, tdef: TableDef, row: Row | undefined): Promise<ApplyOutcome> {
    const entity = change.entity;
    const def = entityDef(entity);
    if (!def.deletable) throw new Rejection('NOT_DELETABLE', `Un ${def.label} ne peut pas être supprimé.`);
    if (!row) throw new Rejection('UNKNOWN_RECORD', `Ce ${def.label} n’existe pas sur le serveur.`);
    const stored = toStored(tdef, row);
    const resolving = await this.openConflicts(tx, change.record, change.resolves ?? []);
    let verdict = deleteVerdict(stored, change.base);
    if (verdict === 'conflict' && await this.ownWrite(tx, actor, change.record, stored.rev)) verdict = 'apply';
    if (verdict === 'same') {
      await this.resolve(tx, actor, resolving.map((c) => c.id), rev);
      return { result: { id: change.id, status: 'merged', rev: stored.rev } };
    }
    if (verdict === 'conflict' && resolving.length === 0) {
      const cid = await this.conflict(tx, actor, change.id, rev, entity, row, 'delete_edit', null, def.personalData ? null : stored.fields, null);
      return { result: { id: change.id, status: 'conflict', rev: stored.rev, conflicts: [cid] } };
    }
    for (const child of CHILDREN[entity] ?? []) {
      const live = await tx.query(`SELECT 1 FROM ${TABLE_DEFS[child.entity].table} WHERE ${q(child.field)} = $1 AND NOT deleted LIMIT 1`, [change.record]);
      if (live.length) {
        throw new Rejection('HAS_CHILDREN', `Ce ${def.label} a encore des ${entityDef(child.entity).labelPlural} : supprimez-les d’abord.`);
      }
    }
    if (def.personalData) {
      // RGPD: the tombstone keeps no content, nor do the audit log and conflicts.
      const purge = tdef.dataFields.filter((f) => f !== 'collectiviteId');
      await tx.query(
        `UPDATE ${tdef.table} SET ${purge.map((f) => `${q(f)} = NULL`).join(', ')}, deleted = true, sync_rev = $2,
         field_revs = '{}', updated_at = now(), updated_by = $3 WHERE "id" = $1`, [change.record, rev, actor.label]);
      await tx.query('UPDATE audit_log SET old_value = NULL, new_value = NULL WHERE record_id = $1', [change.record]);
      await tx.query('UPDATE conflicts SET server_value = NULL, proposed_value = NULL WHERE record_id = $1', [change.record]);
    } else {
      await tx.query(`UPDATE ${tdef.table} SET deleted = true, sync_rev = $2, updated_at = now(), updated_by = $3 WHERE "id" = $1`,
        [change.record, rev, actor.label]);
    }
    await this.audit(tx, actor, change.id, rev, entity, change.record, [{ field: null, old: def.personalData ? null : stored.fields, value: null }]);
    await this.resolve(tx, actor, resolving.map((c) => c.id), rev);
    if (entity === 'collectivite') this.regions.forget(change.record);
    return {
      result: { id: change.id, status: verdict === 'apply' ? 'applied' : 'merged', rev },
      ...(stored.rev <= change.base ? { echo: { entity, id: change.record, rev, prevRev: stored.rev } } : {}),
    };
  }

  private async restore(tx: Queryable, actor: Actor, changeId: string, rev: number, tdef: TableDef, row: Row,
    stored: StoredRecord, values: Record<string, unknown>, resolving: { id: string }[]): Promise<ApplyOutcome> {
    const rec = this.validate(tdef.entity, { ...stored.fields, ...values });
    const region = await this.checkRecord(tx, actor, tdef.entity, rec);
    const cols = tdef.fields;
    await tx.query(
      `UPDATE ${tdef.table} SET ${cols.map((c, i) => `${q(c)} = $${i + 1}`).join(', ')},
        sync_rev = $${cols.length + 1}, created_rev = $${cols.length + 1}, field_revs = '{}', deleted = false,
        scope_region = $${cols.length + 2}, updated_at = now(), updated_by = $${cols.length + 3} WHERE "id" = $1`,
      [...cols.map((f) => toParam(tdef, f, rec[f])), rev, region, actor.label],
    );
    await this.audit(tx, actor, changeId, rev, tdef.entity, String(row.id), [{ field: null, old: null, value: rec }]);
    await this.resolve(tx, actor, resolving.map((c) => c.id), rev);
    return { result: { id: changeId, status: 'merged', rev } };
  }

  /** Writes the applied fields (after validating the merged record) and stores the conflicts. */
  private async writeUpdate(tx: Queryable, actor: Actor, changeId: string, rev: number, tdef: TableDef, row: Row,
    stored: StoredRecord, apply: Record<string, unknown>, conflicts: { field: string; serverValue: unknown; proposedValue: unknown }[],
    kind: 'field' | 'natural_key', resolves: string[], seal?: { seq: number; status: 'applied' | 'merged'; expect?: Receipt['expect'] }): Promise<ApplyOutcome> {
    const entity = tdef.entity;
    const names = Object.keys(apply);
    let newRev = stored.rev;
    let exact = true;
    if (names.length) {
      const merged = this.validate(entity, { ...stored.fields, ...apply });
      // Only the references this write changes: a live record's parent cannot be deleted (HAS_CHILDREN).
      const region = await this.checkRecord(tx, actor, entity, merged, names);
      const sets = names.map((f, i) => `${q(f)} = $${i + 2}`);
      const fr: Record<string, number> = {};
      for (const f of names) {
        fr[f] = rev;
        if (!sameValue(merged[f], apply[f])) exact = false;
      }
      const n = names.length;
      // One round trip: the update and its audit rows (who, device, change, field, old → new).
      const params: unknown[] = [row.id, ...names.map((f) => toParam(tdef, f, merged[f])), rev, JSON.stringify(fr), region, actor.label,
        actor.userId, actor.deviceId, changeId, entity];
      const a = n + 6;
      const values = names.map((f) => {
        params.push(f, JSON.stringify(stored.fields[f] ?? null), JSON.stringify(merged[f] ?? null));
        const k = params.length;
        return `($${k - 2}::text, $${k - 1}::text, $${k}::text)`;
      });
      let receiptSql = '';
      let guard = '';
      if (seal) {
        const result: ChangeResult = { id: changeId, status: seal.status, rev };
        params.push(seal.seq, JSON.stringify(result));
        const k = params.length;
        if (seal.expect) {
          // Optimistic: written only if nobody wrote the record and the device sent nothing since the read.
          params.push(seal.expect.rev, seal.expect.lastSeq);
          const e = params.length;
          guard = ` AND sync_rev = $${e - 1}::bigint AND EXISTS (SELECT 1 FROM devices WHERE user_id = $${a}::uuid AND id = $${a + 1}::uuid AND last_seq = $${e}::bigint)`;
        }
        // The change's receipt (idempotency) and the device's sequence, as SyncService.remember writes them.
        receiptSql = `, r AS (INSERT INTO applied_changes (change_id, user_id, device_id, seq, result)
           SELECT $${a + 2}::uuid, $${a}::uuid, $${a + 1}::uuid, $${k - 1}::bigint, $${k}::jsonb FROM u),
         d AS (UPDATE devices SET last_seq = $${k - 1}::bigint, last_seen_at = now()
           WHERE user_id = $${a}::uuid AND id = $${a + 1}::uuid AND EXISTS (SELECT 1 FROM u))`;
      }
      const written = await tx.query(
        `WITH u AS (UPDATE ${tdef.table} SET ${sets.join(', ')}, sync_rev = $${n + 2}, field_revs = field_revs || $${n + 3}::jsonb,
           scope_region = $${n + 4}, updated_at = now(), updated_by = $${n + 5} WHERE "id" = $1${guard} RETURNING 1)${receiptSql}
         INSERT INTO audit_log (user_id, device_id, change_id, rev, entity, record_id, field, old_value, new_value)
         SELECT $${a}::uuid, $${a + 1}::uuid, $${a + 2}::uuid, $${n + 2}::bigint, $${a + 3}::text, $1::uuid, v.f, v.o::jsonb, v.n::jsonb
         FROM u CROSS JOIN (VALUES ${values.join(', ')}) AS v(f, o, n) RETURNING 1`,
        params,
      );
      if (seal?.expect && written.length === 0) throw new NotOptimistic();
      if (entity === 'collectivite') {
        this.regions.forget(String(row.id));
        const before = (row.scope_region as string | null | undefined) ?? null;
        if (before !== region) await this.moveScope(tx, String(row.id), before, region, rev);
      }
      newRev = rev;
    }
    const ids: string[] = [];
    for (const c of conflicts) ids.push(await this.conflict(tx, actor, changeId, rev, entity, row, kind, c.field, c.serverValue, c.proposedValue));
    await this.resolve(tx, actor, resolves, rev);
    if (ids.length) return { result: { id: changeId, status: 'conflict', rev: newRev, conflicts: ids } };
    return {
      result: { id: changeId, status: names.length ? 'applied' : 'merged', rev: newRev },
      ...(seal ? { remembered: true } : {}),
      ...(names.length && exact ? { echo: { entity, id: String(row.id), rev: newRev, prevRev: stored.rev, others: othersRev(tdef, row, stored, names) } } : {}),
    };
  }

  /**
   * A collectivité changed région: every record of it moves to the new SGAR scope at this revision, in
   * this transaction. Devices of the new région receive them whole (entered_rev), devices of the old one
   * are told they left (scope_exits). Its conflicts follow it.
   */
  private async moveScope(tx: Queryable, cid: string, from: string | null, to: string | null, rev: number) {
    await tx.query('UPDATE collectivite SET entered_rev = $2 WHERE "id" = $1', [cid, rev]);
    if (from !== null) await tx.query(`INSERT INTO scope_exits (rev, entity, record_id, region) VALUES ($1, 'collectivite', $2, $3)`, [rev, cid, from]);
    for (const e of ENTITY_NAMES) {
      if (e === 'collectivite' || entityDef(e).scope !== 'collectivite') continue;
      await tx.query(
        `WITH m AS (UPDATE ${TABLE_DEFS[e].table} SET scope_region = $2, sync_rev = $3, entered_rev = $3 WHERE "collectiviteId" = $1 RETURNING "id")
         INSERT INTO scope_exits (rev, entity, record_id, region) SELECT $3, $4, m."id", $5::text FROM m WHERE $5::text IS NOT NULL`,
        [cid, to, rev, e, from]);
    }
    await tx.query('UPDATE conflicts SET scope_region = $2, rev = CASE WHEN resolved THEN rev ELSE $3 END WHERE collectivite_id = $1', [cid, to, rev]);
    this.marks?.touch(cid, to, rev, null);
    this.marks?.touch(cid, from, rev, null);
  }

  /** Was revision `rev` of this record written by this user's same device? */
  private async ownWrite(tx: Queryable, actor: Actor, record: string, rev: number): Promise<boolean> {
    const rows = await tx.query('SELECT 1 FROM audit_log WHERE record_id = $1 AND rev = $2 AND device_id = $3 AND user_id = $4 LIMIT 1',
      [record, rev, actor.deviceId, actor.userId]);
    return rows.length > 0;
  }

  private async openConflicts(tx: Queryable, record: string, ids: string[]): Promise<{ id: string; field: string | null }[]> {
    if (!ids.length) return [];
    return tx.query<{ id: string; field: string | null }>(
      'SELECT id, field FROM conflicts WHERE record_id = $1 AND id = ANY($2::uuid[]) AND NOT resolved', [record, ids]);
  }

  private async resolve(tx: Queryable, actor: Actor, ids: string[], rev: number) {
    if (!ids.length) return;
    await tx.query('UPDATE conflicts SET resolved = true, resolved_by = $2, rev = $3 WHERE id = ANY($1::uuid[])', [ids, actor.label, rev]);
  }

  private async conflict(tx: Queryable, actor: Actor, changeId: string, rev: number, entity: EntityName, row: Row,
    kind: 'field' | 'natural_key' | 'edit_delete' | 'delete_edit', field: string | null, serverValue: unknown, proposedValue: unknown): Promise<string> {
    const id = newId();
    const def = entityDef(entity);
    const cid = def.scope === 'national' ? null : (entity === 'collectivite' ? row.id : row.collectiviteId);
    await tx.query(
      `INSERT INTO conflicts (id, rev, entity, record_id, kind, field, server_value, proposed_value, proposed_by, server_by, change_id, collectivite_id, scope_region)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9, $10, $11, $12, $13)`,
      [id, rev, entity, row.id, kind, field, JSON.stringify(serverValue ?? null), JSON.stringify(proposedValue ?? null),
        actor.label, row.updated_by ?? null, changeId, cid, row.scope_region ?? null],
    );
    return id;
  }

  private async audit(tx: Queryable, actor: Actor, changeId: string, rev: number, entity: EntityName, record: string,
    entries: { field: string | null; old: unknown; value: unknown }[]) {
    if (!entries.length) return;
    const params: unknown[] = [actor.userId, actor.deviceId, changeId, rev, entity, record];
    const values = entries.map((e) => {
      params.push(e.field, JSON.stringify(e.old ?? null), JSON.stringify(e.value ?? null));
      const n = params.length;
      return `($1, $2, $3, $4, $5, $6, $${n - 2}, $${n - 1}::jsonb, $${n}::jsonb)`;
    });
    await tx.query(`INSERT INTO audit_log (user_id, device_id, change_id, rev, entity, record_id, field, old_value, new_value) VALUES ${values.join(', ')}`, params);
  }
}
