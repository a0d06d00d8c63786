// Applying one pushed change: the decisions — rights, scope, parents, natural keys, the shared three-way
// merge, validation of the merged record, what is written, conflicts and audit. The statements that write
// it are in statements.ts; which path runs (unlocked or under locks) is chosen by SyncService.applyOne.
import type { z } from 'zod';
import { jourEnFrance, refusAttestation } from '../../src-shared/domain/campagneEtat';
import { summarize } from '../../src-shared/domain/messages';
import { codesIn, listErrors } from '../../src-shared/domain/entreeReference';
import { entityDef, ENTITY_NAMES, fieldInfo, writeRuleErrors, type EntityName } from '../../src-shared/registry';
import { collectiviteId as collectiviteIdOf, naturalId, newId } from '../../src-shared/sync/ids';
import {
  deleteVerdict,
  mergeCreateCollision,
  mergeUpdate,
  sameValue,
  type StoredRecord,
} from '../../src-shared/sync/merge';
import type {
  Change,
  ChangeResult,
  Conflict,
  CreateChange,
  DeleteChange,
  UpdateChange,
  RejectionCode,
} from '../../src-shared/sync/protocol';
import type { Queryable, Row } from '../db/driver';
import * as sql from './statements';
import { TABLE_DEFS, type TableDef } from './tables';
import type { Actor, Echo } from './actor';
import type { ScopeMarks } from './revs';

/** A refusal: nothing of the change is written. */
export class Rejection extends Error {
  constructor(
    readonly code: RejectionCode,
    message: string,
  ) {
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

/**
 * Under the transaction's locks: the device's new sequence number. When the result is known before the
 * write (an edit without conflicts), the receipt goes into the write statement itself.
 */
export interface LockedReceipt {
  seq: number;
  expect?: undefined;
}

/**
 * Without locks (the optimistic path): the change may only be written by its one sealed statement, which
 * applies if the record's revision and the device's sequence are still these. Anything else is not this
 * path's: `apply` returns null and nothing was written.
 */
export interface OptimisticReceipt {
  seq: number;
  expect: { rev: number; lastSeq: number };
}

type Receipt = LockedReceipt | OptimisticReceipt;

/**
 * Whether an edit may try the optimistic path: an update that resolves nothing and moves no collectivité
 * to another région (a move rewrites every record of the collectivité: only under locks). What the record
 * holds decides the rest (a deleted record, a conflict, a race: `apply` returns null).
 */
export function mayTryOptimistic(change: Change): change is UpdateChange {
  return (
    change.op === 'update' &&
    !change.resolves?.length &&
    !(change.entity === 'collectivite' && 'region' in change.fields)
  );
}

/** Region of each collectivité (identity field, changed only by the DAECT): cached. */
export class RegionCache {
  private map = new Map<string, string | null>();
  async get(tx: Queryable, collectiviteId: string): Promise<{ region: string | null } | null> {
    if (this.map.has(collectiviteId)) return { region: this.map.get(collectiviteId) ?? null };
    const row = await sql.readRegion(tx, collectiviteId);
    if (!row) return null;
    this.map.set(collectiviteId, row.region);
    return { region: row.region };
  }
  /** Fetches, in one query, the régions not yet known of these collectivités. */
  async load(tx: Queryable, collectiviteIds: string[]): Promise<void> {
    const missing = [...new Set(collectiviteIds)].filter((id) => !this.map.has(id));
    if (!missing.length) return;
    for (const row of await sql.readRegions(tx, missing)) this.map.set(String(row.id), row.region);
  }
  forget(collectiviteId: string) {
    this.map.delete(collectiviteId);
  }
  clear() {
    this.map.clear();
  }
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

const OUT_OF_SCOPE = () =>
  new Rejection('OUT_OF_SCOPE', 'Cet enregistrement n’appartient pas à votre périmètre : modification refusée.');

export class ChangeApplier {
  constructor(
    private readonly regions: RegionCache,
    private readonly marks?: ScopeMarks,
  ) {}

  /** Under the transaction's locks. `prefetched`: the record already read and locked by the caller (undefined row: no such record). */
  apply(
    tx: Queryable,
    actor: Actor,
    change: Change,
    rev: number,
    prefetched?: { row: Row | undefined },
    receipt?: LockedReceipt,
  ): Promise<ApplyOutcome>;
  /** Without locks, an edit that passed mayTryOptimistic and its record as read: null when this path cannot take it (nothing written). */
  apply(
    tx: Queryable,
    actor: Actor,
    change: UpdateChange,
    rev: number,
    prefetched: { row: Row },
    receipt: OptimisticReceipt,
  ): Promise<ApplyOutcome | null>;
  async apply(
    tx: Queryable,
    actor: Actor,
    change: Change,
    rev: number,
    prefetched?: { row: Row | undefined },
    receipt?: Receipt,
  ): Promise<ApplyOutcome | null> {
    const def = entityDef(change.entity);
    const tdef = TABLE_DEFS[change.entity];
    if (!def.writeRoles.includes(actor.role)) {
      throw new Rejection(
        'FORBIDDEN',
        actor.role === 'sgar'
          ? `Les services de l’État (SGAR) ne peuvent modifier que les avis : modification des ${def.labelPlural} refusée.`
          : `Votre rôle ne permet pas de modifier les ${def.labelPlural}.`,
      );
    }
    // The optimistic path's precondition, checked here too: this module never writes such a change unlocked.
    if (receipt?.expect && !mayTryOptimistic(change)) return null;
    const row = prefetched ? prefetched.row : await sql.lockRecord(tx, tdef, change.record);
    if (row && def.scope === 'collectivite') {
      const cid = (change.entity === 'collectivite' ? row.id : row.collectiviteId) as string;
      if (!inScope(actor, cid, (row.scope_region as string | null) ?? null)) throw OUT_OF_SCOPE();
    }
    const outcome =
      change.op === 'create'
        ? await this.create(tx, actor, change, rev, tdef, row)
        : change.op === 'update'
          ? await this.update(tx, actor, change, rev, tdef, row, receipt)
          : await this.remove(tx, actor, change, rev, tdef, row);
    // Not the optimistic path's: nothing was written, no scope to mark.
    if (!outcome) return null;
    // A clean revision wrote this one record and no conflict row (see ScopeMarks.onlyOwn).
    const clean =
      outcome.result.status !== 'conflict' && !(change.op !== 'create' && change.resolves?.length)
        ? `${change.entity}:${change.record}`
        : null;
    // Mark the scope before commit (conservative): devices of that scope will query for it.
    if (this.marks) {
      if (def.scope === 'national') this.marks.touch(null, null, rev, clean);
      else {
        const cid = String(
          change.entity === 'collectivite'
            ? change.record
            : (row?.collectiviteId ?? (change.op === 'create' ? change.fields.collectiviteId : '')),
        );
        const region =
          (row?.scope_region as string | null | undefined) ?? (await this.regions.get(tx, cid))?.region ?? null;
        this.marks.touch(cid, region, rev, clean);
        if (change.entity === 'collectivite' && row && row.scope_region !== (row.region ?? null))
          this.marks.touch(cid, (row.region as string | null) ?? null, rev, clean);
      }
    }
    return outcome;
  }

  /**
   * Creations of new records of one entity by the DAECT (the Atlas import), decided as `create` decides each
   * one — rights, validation, natural key, write rules, reference-list codes, parents and references in the
   * same collectivité — but checked set-wise and written by multi-row statements (one round trip per kind of
   * check, one INSERT, one audit INSERT). Any refusal throws: the caller's transaction writes nothing.
   * Records already present (even deleted) are refused: the import plans creations of new ids only.
   */
  async createMany(
    tx: Queryable,
    actor: Actor,
    entity: EntityName,
    changes: readonly CreateChange[],
    revs: readonly number[],
  ): Promise<ChangeResult[]> {
    const def = entityDef(entity);
    const tdef = TABLE_DEFS[entity];
    if (actor.role !== 'daect' || !def.writeRoles.includes('daect'))
      throw new Rejection('FORBIDDEN', `Votre rôle ne permet pas de créer des ${def.labelPlural} en masse.`);
    const recs = changes.map((c) => {
      const rec = this.validate(entity, { ...c.fields, id: c.record });
      this.checkNaturalKey(entity, c.record, rec);
      checkServerOnly(actor, entity, rec);
      const errors = writeRuleErrors(entity, rec, 'all');
      if (errors.length) throw new Rejection('VALIDATION', [...new Set(errors.map((e) => e.message))].join(' '));
      return rec;
    });
    const ids = changes.map((c) => c.record);
    const present = await tx.query(`SELECT "id" FROM ${tdef.table} WHERE "id" = ANY($1::uuid[]) FOR UPDATE`, [ids]);
    if (present.length) throw new Rejection('ALREADY_EXISTS', `Ce ${def.label} existe déjà sur le serveur.`);
    // Reference lists: every code named, in one query per list field.
    for (const lf of def.lists ?? []) {
      const codes = [...new Set(recs.flatMap((r) => codesIn(r[lf.field])))];
      const entries = new Map<string, { code: string; libelle: string; retiree: boolean }[]>();
      entries.set(lf.liste, await sql.readListEntries(tx, lf.liste, codes));
      for (const r of recs) {
        const refused = listErrors([lf], r, 'all', (liste) => entries.get(liste) ?? []);
        if (refused.length)
          throw new Rejection(
            refused[0]!.reason === 'retired' ? 'RETIRED_REFERENCE' : 'UNKNOWN_REFERENCE',
            refused.map((e) => e.message).join(' '),
          );
      }
    }
    if (def.unique) throw new Rejection('VALIDATION', `Les ${def.labelPlural} ne se créent pas en masse.`);
    // Scope: each record's collectivité exists (its région is the scope).
    const regionOf = new Map<string, string | null>();
    if (def.scope === 'collectivite') {
      if (entity !== 'collectivite')
        await this.regions.load(
          tx,
          recs.map((r) => String(r.collectiviteId)),
        );
      for (const r of recs) {
        const cid = String(entity === 'collectivite' ? r.id : r.collectiviteId);
        if (regionOf.has(cid)) continue;
        if (entity === 'collectivite') regionOf.set(cid, (r.region as string | null) ?? null);
        else {
          const c = await this.regions.get(tx, cid);
          if (!c)
            throw new Rejection('PARENT_MISSING', 'La collectivité de cet enregistrement est inconnue du serveur.');
          regionOf.set(cid, c.region);
        }
      }
      // Parents and references: alive and of the same collectivité, in one query per field.
      for (const ref of [...(def.parent ? [def.parent] : []), ...(def.references ?? [])]) {
        const wanted = [...new Set(recs.map((r) => r[ref.field]).filter((v): v is string => typeof v === 'string'))];
        if (!wanted.length) continue;
        const refDef = entityDef(ref.entity);
        const rows = await tx.query<{ id: string; deleted: boolean; cid?: string }>(
          `SELECT "id", deleted${refDef.scope === 'collectivite' ? ', "collectiviteId" AS cid' : ''} FROM ${TABLE_DEFS[ref.entity].table} WHERE "id" = ANY($1::uuid[])`,
          [wanted],
        );
        const found = new Map(rows.map((x) => [String(x.id), x]));
        for (const r of recs) {
          const v = r[ref.field];
          if (typeof v !== 'string') continue;
          const prow = found.get(v);
          if (!prow || prow.deleted)
            throw new Rejection(
              'PARENT_MISSING',
              `Le ${refDef.label} auquel se rattache cet enregistrement n’existe pas ou a été supprimé.`,
            );
          if (refDef.scope === 'collectivite' && String(prow.cid) !== String(r.collectiviteId))
            throw new Rejection('OUT_OF_SCOPE', `Le ${refDef.label} lié appartient à une autre collectivité.`);
        }
      }
    }
    await sql.insertRecords(
      tx,
      tdef,
      recs.map((values, i) => {
        const cid =
          def.scope === 'collectivite' ? String(entity === 'collectivite' ? values.id : values.collectiviteId) : null;
        return { values, rev: revs[i]!, region: cid ? (regionOf.get(cid) ?? null) : null };
      }),
      actor.label,
    );
    await sql.insertAuditMany(
      tx,
      actor,
      changes.map((c, i) => ({ changeId: c.id, rev: revs[i]!, entity, record: c.record, value: recs[i]! })),
    );
    recs.forEach((r, i) => {
      if (def.scope === 'national') this.marks?.touch(null, null, revs[i]!, `${entity}:${String(r.id)}`);
      else {
        const cid = String(entity === 'collectivite' ? r.id : r.collectiviteId);
        this.marks?.touch(cid, regionOf.get(cid) ?? null, revs[i]!, `${entity}:${String(r.id)}`);
      }
    });
    return changes.map((c, i) => ({ id: c.id, status: 'applied' as const, rev: revs[i]! }));
  }

  /** Checks scope, collectivité, parent and references of a full record; returns its scope région. */
  private async checkRecord(
    tx: Queryable,
    actor: Actor,
    entity: EntityName,
    rec: Record<string, unknown>,
    changed?: string[],
  ): Promise<string | null> {
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
      const prow = await sql.readReferenced(tx, ref.entity, refId);
      if (!prow || prow.deleted === true) {
        throw new Rejection(
          'PARENT_MISSING',
          ref === def.parent
            ? `Le ${refDef.label} auquel se rattache cet enregistrement n’existe pas ou a été supprimé.`
            : `L’enregistrement lié (« ${refDef.label} ») n’existe pas ou a été supprimé.`,
        );
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
   * The rules of a write (src-shared/domain/writeRules.ts) on the fields it sets, and the registry's
   * `unique` field. Only the written fields: the merged record is validated whole by the schema, but a
   * rule added later must not refuse an unrelated edit of a record stored before it (a name corrected on
   * a fiche whose cofinancements, entered years ago, exceed its cost); the record is checked again when
   * one of the rule's fields is edited.
   */
  private async checkWrite(
    tx: Queryable,
    entity: EntityName,
    id: string,
    rec: Record<string, unknown>,
    written: readonly string[] | 'all',
    before?: Record<string, unknown>,
  ): Promise<void> {
    const errors = writeRuleErrors(entity, rec, written);
    if (errors.length) throw new Rejection('VALIDATION', [...new Set(errors.map((e) => e.message))].join(' '));
    if (entity === 'attestationCampagne') await this.checkCampagneOuverte(tx, rec);
    const def = entityDef(entity);
    const lists = def.lists ?? [];
    // The codes a written field names, against their list (one query per list field written).
    const entries = new Map<string, { code: string; libelle: string; retiree: boolean }[]>();
    for (const lf of lists) {
      if (written !== 'all' && !written.includes(lf.field)) continue;
      entries.set(lf.liste, await sql.readListEntries(tx, lf.liste, codesIn(rec[lf.field])));
    }
    const refused = lists.length ? listErrors(lists, rec, written, (liste) => entries.get(liste) ?? [], before) : [];
    if (refused.length) {
      throw new Rejection(
        refused[0]!.reason === 'retired' ? 'RETIRED_REFERENCE' : 'UNKNOWN_REFERENCE',
        refused.map((e) => e.message).join(' '),
      );
    }
    const u = def.unique;
    const value = u && rec[u.field];
    if (!u || value === null || value === undefined || (written !== 'all' && !written.includes(u.field))) return;
    if (await sql.findLiveDuplicate(tx, entity, u.field, value, rec.collectiviteId, id)) {
      const lf = lists.find((l) => l.field === u.field);
      const label = lf && entries.get(lf.liste)?.find((e) => e.code === value)?.libelle;
      throw new Rejection('ALREADY_EXISTS', u.message(String(value), label));
    }
  }

  /**
   * An attestation is accepted only while its campaign is open on the server's French day (the campaign's
   * dates are French days, both included): created or renewed after the closing day, or before the
   * opening, it is refused, even when the device attested offline in time and sends it late — the date
   * it carries is the device's word, the server's clock is not. The device refuses it first from its copy
   * of the campaign with the same sentence (`refusAttestation`). A missing campaign is the parent check's.
   */
  private async checkCampagneOuverte(tx: Queryable, rec: Record<string, unknown>): Promise<void> {
    const c = await sql.readCampagne(tx, rec.campagneId);
    if (!c) return;
    const refus = refusAttestation(c, jourEnFrance(new Date()));
    if (refus) throw new Rejection('CAMPAIGN_CLOSED', refus);
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
    if (def.naturalKey)
      expected = naturalId(
        entity,
        def.naturalKey.map((k) => rec[k] as string | number),
      );
    else if (entity === 'collectivite') expected = collectiviteIdOf(String(rec.code));
    if (expected !== null && expected !== id) {
      throw new Rejection(
        'NATURAL_KEY_ID',
        `L’identifiant de cet enregistrement ne correspond pas à sa clé (${(def.naturalKey ?? ['code']).join(', ')}).`,
      );
    }
  }

  /** (Null only from writeUpdate's guarded statement, which a create never uses.) */
  private async create(
    tx: Queryable,
    actor: Actor,
    change: CreateChange,
    rev: number,
    tdef: TableDef,
    row: Row | undefined,
  ): Promise<ApplyOutcome | null> {
    const entity = change.entity;
    const def = entityDef(entity);
    if ('id' in change.fields && change.fields.id !== change.record) {
      throw new Rejection(
        'VALIDATION',
        'L’identifiant de l’enregistrement ne correspond pas à celui de la modification.',
      );
    }
    const rec = this.validate(entity, { ...change.fields, id: change.record });
    this.checkNaturalKey(entity, change.record, rec);
    checkServerOnly(actor, entity, rec);
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
      throw new Rejection(
        'ALREADY_EXISTS',
        `Ce ${def.label} a été supprimé : il ne peut être recréé avec le même identifiant.`,
      );
    }
    const region = await this.checkRecord(tx, actor, entity, rec);
    await this.checkWrite(tx, entity, change.record, rec, 'all');
    const whole = { tdef, values: rec, rev, region, by: actor.label };
    // Re-creation of a deleted natural-key record (e.g. the APD of a year): new to everyone again.
    if (row) await sql.recreateRecord(tx, whole);
    else await sql.insertRecord(tx, whole);
    await sql.insertAudit(tx, actor, change.id, rev, entity, change.record, [{ field: null, old: null, value: rec }]);
    const exact = tdef.dataFields.every((f) => sameValue(rec[f], change.fields[f] ?? null));
    return {
      result: { id: change.id, status: 'applied', rev },
      ...(exact ? { echo: { entity, id: change.record, rev, prevRev: 0 } } : {}),
    };
  }

  /** Null: the optimistic path (receipt.expect) cannot take this edit; nothing was written. */
  private async update(
    tx: Queryable,
    actor: Actor,
    change: UpdateChange,
    rev: number,
    tdef: TableDef,
    row: Row | undefined,
    receipt?: Receipt,
  ): Promise<ApplyOutcome | null> {
    const entity = change.entity;
    const def = entityDef(entity);
    if (!row) throw new Rejection('UNKNOWN_RECORD', `Ce ${def.label} n’existe pas sur le serveur.`);
    const names = Object.keys(change.fields);
    if (names.length === 0) throw new Rejection('VALIDATION', 'La modification ne contient aucun champ.');
    for (const f of names) {
      if (!tdef.fields.includes(f)) throw new Rejection('VALIDATION', `Champ inconnu : ${f}.`);
    }
    const stored = toStored(tdef, row);
    const locked = new Set<string>([
      'id',
      ...(def.scope === 'collectivite' && entity !== 'collectivite' ? ['collectiviteId'] : []),
      ...(def.naturalKey ?? []),
    ]);
    for (const f of names) {
      const changed = !sameValue(stored.fields[f], change.fields[f]!.value);
      if (locked.has(f) && changed) {
        throw new Rejection(
          'READ_ONLY_FIELD',
          `Le champ « ${f} » ne peut pas être modifié : supprimez l’enregistrement et recréez-le.`,
        );
      }
      if (actor.role !== 'daect' && (def.daectOnlyFields ?? []).includes(f) && changed) {
        throw new Rejection(
          'READ_ONLY_FIELD',
          `Le champ « ${f} » vient du répertoire officiel : seule la DAECT peut le modifier.`,
        );
      }
      if (!actor.atlasImport && (def.serverOnlyFields ?? []).includes(f) && changed)
        throw serverOnlyRejection(entity, f);
    }
    const valid = this.validateFields(entity, Object.fromEntries(names.map((f) => [f, change.fields[f]!.value])));
    const resolving = await sql.readOpenConflicts(tx, change.record, change.resolves ?? []);
    // A restore or an edit against a delete needs more than the one sealed statement.
    if (receipt?.expect && (stored.deleted || resolving.length)) return null;
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
        if (await sql.writtenBy(tx, actor, change.record, stored.fieldRevs[c.field] ?? stored.rev))
          m.apply[c.field] = c.proposedValue;
        else still.push({ ...c, proposedValue: valid[c.field] });
      }
      m.conflicts = still;
    }
    // The import's mark goes with the first write of anyone else (docs/domain.md): in this same write.
    const cleared =
      !actor.atlasImport &&
      Object.keys(m.apply).length > 0 &&
      (def.serverOnlyFields ?? []).filter((f) => stored.fields[f] !== null && stored.fields[f] !== undefined);
    if (cleared) for (const f of cleared) m.apply[f] = null;
    const minBase = Math.min(...names.map((f) => change.fields[f]!.base));
    const newerElsewhere = stored.rev > minBase && !(await sql.writtenBy(tx, actor, change.record, stored.rev));
    const merged = m.same.length > 0 || newerElsewhere;
    // Without conflicts to write the result is known now: it goes into the write statement itself.
    const seal =
      receipt && !m.conflicts.length && !resolving.length && Object.keys(m.apply).length
        ? { seq: receipt.seq, status: merged ? ('merged' as const) : ('applied' as const), expect: receipt.expect }
        : undefined;
    // Conflicts to store, or nothing to write: more than the one sealed statement.
    if (receipt?.expect && !seal) return null;
    const out = await this.writeUpdate(
      tx,
      actor,
      change.id,
      rev,
      tdef,
      row,
      stored,
      m.apply,
      m.conflicts,
      'field',
      resolving.map((c) => c.id),
      seal,
    );
    if (!out) return null;
    // The device did not send the cleared mark: the pull brings the whole record back to it.
    if (cleared && cleared.length) delete out.echo;
    if (out.result.status === 'applied' && merged) out.result.status = 'merged';
    // Other fields changed elsewhere: the pull sends them, but not the fields this change wrote.
    if (out.echo && newerElsewhere) out.echo.partial = true;
    return out;
  }

  private async remove(
    tx: Queryable,
    actor: Actor,
    change: DeleteChange,
    rev: number,
    tdef: TableDef,
    row: Row | undefined,
  ): Promise<ApplyOutcome> {
    const entity = change.entity;
    const def = entityDef(entity);
    if (!def.deletable) throw new Rejection('NOT_DELETABLE', `Un ${def.label} ne peut pas être supprimé.`);
    if (!row) throw new Rejection('UNKNOWN_RECORD', `Ce ${def.label} n’existe pas sur le serveur.`);
    const stored = toStored(tdef, row);
    const resolving = await sql.readOpenConflicts(tx, change.record, change.resolves ?? []);
    let verdict = deleteVerdict(stored, change.base);
    if (verdict === 'conflict' && (await sql.writtenBy(tx, actor, change.record, stored.rev))) verdict = 'apply';
    if (verdict === 'same') {
      await sql.resolveConflicts(
        tx,
        resolving.map((c) => c.id),
        actor.label,
        rev,
      );
      return { result: { id: change.id, status: 'merged', rev: stored.rev } };
    }
    if (verdict === 'conflict' && resolving.length === 0) {
      const cid = await this.conflict(
        tx,
        actor,
        change.id,
        rev,
        entity,
        row,
        'delete_edit',
        null,
        def.personalData ? null : stored.fields,
        null,
      );
      return { result: { id: change.id, status: 'conflict', rev: stored.rev, conflicts: [cid] } };
    }
    for (const child of CHILDREN[entity] ?? []) {
      if (await sql.hasLiveChild(tx, child.entity, child.field, change.record)) {
        throw new Rejection(
          'HAS_CHILDREN',
          `Ce ${def.label} a encore des ${entityDef(child.entity).labelPlural} : supprimez-les d’abord.`,
        );
      }
    }
    // RGPD: a contact's tombstone keeps no content, nor do the audit log and conflicts.
    if (def.personalData) await sql.tombstoneAndPurge(tx, tdef, change.record, rev, actor.label);
    else await sql.tombstone(tx, tdef, change.record, rev, actor.label);
    await sql.insertAudit(tx, actor, change.id, rev, entity, change.record, [
      { field: null, old: def.personalData ? null : stored.fields, value: null },
    ]);
    await sql.resolveConflicts(
      tx,
      resolving.map((c) => c.id),
      actor.label,
      rev,
    );
    if (entity === 'collectivite') this.regions.forget(change.record);
    return {
      result: { id: change.id, status: verdict === 'apply' ? 'applied' : 'merged', rev },
      ...(stored.rev <= change.base ? { echo: { entity, id: change.record, rev, prevRev: stored.rev } } : {}),
    };
  }

  private async restore(
    tx: Queryable,
    actor: Actor,
    changeId: string,
    rev: number,
    tdef: TableDef,
    row: Row,
    stored: StoredRecord,
    values: Record<string, unknown>,
    resolving: { id: string }[],
  ): Promise<ApplyOutcome> {
    const rec = this.validate(tdef.entity, { ...stored.fields, ...values });
    const region = await this.checkRecord(tx, actor, tdef.entity, rec);
    await this.checkWrite(tx, tdef.entity, String(row.id), rec, Object.keys(values), stored.fields);
    await sql.recreateRecord(tx, { tdef, values: rec, rev, region, by: actor.label });
    await sql.insertAudit(tx, actor, changeId, rev, tdef.entity, String(row.id), [
      { field: null, old: null, value: rec },
    ]);
    await sql.resolveConflicts(
      tx,
      resolving.map((c) => c.id),
      actor.label,
      rev,
    );
    return { result: { id: changeId, status: 'merged', rev } };
  }

  /**
   * Writes the applied fields (after validating the merged record) and stores the conflicts. Null when
   * `seal.expect`'s guard refused the statement (another write raced the unlocked read): nothing written.
   */
  private async writeUpdate(
    tx: Queryable,
    actor: Actor,
    changeId: string,
    rev: number,
    tdef: TableDef,
    row: Row,
    stored: StoredRecord,
    apply: Record<string, unknown>,
    conflicts: { field: string; serverValue: unknown; proposedValue: unknown }[],
    kind: Extract<Conflict['kind'], 'field' | 'natural_key'>,
    resolves: string[],
    seal?: { seq: number; status: 'applied' | 'merged'; expect?: Receipt['expect'] },
  ): Promise<ApplyOutcome | null> {
    const entity = tdef.entity;
    const names = Object.keys(apply);
    let newRev = stored.rev;
    let exact = true;
    if (names.length) {
      const merged = this.validate(entity, { ...stored.fields, ...apply });
      // Only the references this write changes: a live record's parent cannot be deleted (HAS_CHILDREN).
      const region = await this.checkRecord(tx, actor, entity, merged, names);
      await this.checkWrite(tx, entity, String(row.id), merged, names, stored.fields);
      for (const f of names) if (!sameValue(merged[f], apply[f])) exact = false;
      const written = await sql.updateFields(tx, actor, {
        tdef,
        id: String(row.id),
        changeId,
        rev,
        fields: names,
        values: merged,
        before: stored.fields,
        region,
        ...(seal
          ? {
              receipt: {
                changeId,
                seq: seal.seq,
                result: { id: changeId, status: seal.status, rev },
                ...(seal.expect ? { expect: seal.expect } : {}),
              },
            }
          : {}),
      });
      if (seal?.expect && !written) return null;
      if (entity === 'collectivite') {
        this.regions.forget(String(row.id));
        const before = (row.scope_region as string | null | undefined) ?? null;
        if (before !== region) await this.moveScope(tx, String(row.id), before, region, rev);
      }
      newRev = rev;
    }
    const ids: string[] = [];
    for (const c of conflicts)
      ids.push(
        await this.conflict(tx, actor, changeId, rev, entity, row, kind, c.field, c.serverValue, c.proposedValue),
      );
    await sql.resolveConflicts(tx, resolves, actor.label, rev);
    if (ids.length) return { result: { id: changeId, status: 'conflict', rev: newRev, conflicts: ids } };
    return {
      result: { id: changeId, status: names.length ? 'applied' : 'merged', rev: newRev },
      ...(seal ? { remembered: true } : {}),
      ...(names.length && exact
        ? {
            echo: {
              entity,
              id: String(row.id),
              rev: newRev,
              prevRev: stored.rev,
              others: othersRev(tdef, row, stored, names),
            },
          }
        : {}),
    };
  }

  /**
   * A collectivité changed région: every record of it moves to the new SGAR scope at this revision, in
   * this transaction. Devices of the new région receive them whole (entered_rev), devices of the old one
   * are told they left (scope_exits). Its conflicts follow it.
   */
  private async moveScope(tx: Queryable, cid: string, from: string | null, to: string | null, rev: number) {
    await sql.moveScope(tx, cid, from, to, rev);
    this.marks?.touch(cid, to, rev, null);
    this.marks?.touch(cid, from, rev, null);
  }

  private async conflict(
    tx: Queryable,
    actor: Actor,
    changeId: string,
    rev: number,
    entity: EntityName,
    row: Row,
    kind: Conflict['kind'],
    field: string | null,
    serverValue: unknown,
    proposedValue: unknown,
  ): Promise<string> {
    const id = newId();
    const def = entityDef(entity);
    const cid = def.scope === 'national' ? null : entity === 'collectivite' ? row.id : row.collectiviteId;
    await sql.insertConflict(tx, {
      id,
      rev,
      entity,
      record: String(row.id),
      kind,
      field,
      serverValue,
      proposedValue,
      proposedBy: actor.label,
      serverBy: (row.updated_by as string | null | undefined) ?? null,
      changeId,
      collectiviteId: cid as string | null,
      scopeRegion: (row.scope_region as string | null | undefined) ?? null,
    });
    return id;
  }
}

function serverOnlyRejection(entity: EntityName, f: string): Rejection {
  const label = fieldInfo(entity, f)?.label ?? f;
  return new Rejection('READ_ONLY_FIELD', `Le champ « ${label} » est écrit par le serveur seul (import de l’Atlas).`);
}

/** A creation may not set a server-only field, except by the Atlas import (registry `serverOnlyFields`). */
function checkServerOnly(actor: Actor, entity: EntityName, rec: Record<string, unknown>): void {
  if (actor.atlasImport) return;
  for (const f of entityDef(entity).serverOnlyFields ?? [])
    if (rec[f] !== null && rec[f] !== undefined) throw serverOnlyRejection(entity, f);
}
