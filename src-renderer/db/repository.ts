// The one write path of the app. Every create, edit or delete validates with the src-shared schema,
// then updates the local record and its outbox entry in a single Dexie transaction. Unsent edits of a
// record coalesce into one entry (one change per field); an entry frozen by a sync cycle is never
// touched again, later edits go into a new entry.
import type { Campagne } from '../../src-shared/domain/campagne';
import { jourEnFrance, refusAttestation } from '../../src-shared/domain/campagneEtat';
import { fieldErrors } from '../../src-shared/domain/messages';
import {
  ENTITY_NAMES,
  entityDef,
  scopeField,
  writeRuleErrors,
  type EntityName,
  type EntityRecord,
} from '../../src-shared/registry';
import { sameValue } from '../../src-shared/sync/merge';
import { naturalId, newId } from '../../src-shared/sync/ids';
import {
  embeddedMeta,
  fieldBase,
  fieldRev,
  readMeta,
  rebaseMany,
  recordBase,
  snapshotBase,
  stripRevs,
  withValues,
} from './base';
import { countByEntity } from './packs';
import {
  screensDb,
  notifyLocalWrite,
  OUTBOX_SCHEMA_VERSION,
  type AtlasDb,
  type FieldBase,
  type LocalRecord,
  type MetaRow,
  type OutboxDelete,
  type OutboxEntry,
  type TrashRow,
} from './database';
import { NotFoundError, ValidationError } from './errors';
import { bulkGetSparse } from './sparse';

export { ValidationError };

export type RecordFilter = Record<string, unknown> | ((r: LocalRecord) => boolean);

const nowIso = () => new Date().toISOString();

/** A record's revision in a server version: its newest field's (null when the device holds none). */
function revisionOf(meta: MetaRow | undefined): number | null {
  if (!meta || meta.deleted || meta.rev === 0) return null;
  let max = 0;
  for (const f of Object.keys(meta.fields ?? {})) max = Math.max(max, fieldRev(meta, f));
  return max || meta.rev;
}

function validate(entity: EntityName, candidate: Record<string, unknown>): LocalRecord {
  const res = entityDef(entity).schema.safeParse(candidate);
  if (!res.success) throw new ValidationError(fieldErrors(res.error));
  return res.data as LocalRecord;
}

/** The rules of a write (domain/writeRules.ts) on the fields it sets: refused here as on the server. */
function checkWrite(entity: EntityName, rec: Record<string, unknown>, written: readonly string[] | 'all') {
  const errors = writeRuleErrors(entity, rec, written);
  if (errors.length) throw new ValidationError(errors);
}

/** The registry's `unique` field: another live record of the collectivité holding the same value. */
async function checkUnique(d: AtlasDb, entity: EntityName, rec: Record<string, unknown>) {
  const u = entityDef(entity).unique;
  const value = u && rec[u.field];
  if (!u || typeof value !== 'string') return;
  const scope = scopeField(entity);
  const rows = scope ? await d.records(entity).whereEquals(scope, rec[scope]) : await d.records(entity).toArray();
  if (rows.some((r) => r.id !== rec.id && sameValue(r[u.field], value))) {
    // A code of a reference list is said by its label, as the device's copy of the list has it.
    const lf = entityDef(entity).lists?.find((l) => l.field === u.field);
    const entry = lf
      ? (await d.records('entreeReference').toArray()).find((e) => e.liste === lf.liste && e.code === value)
      : undefined;
    throw new ValidationError([
      { field: u.field, message: u.message(value, typeof entry?.libelle === 'string' ? entry.libelle : undefined) },
    ]);
  }
}

/**
 * An attestation while its campaign is closed (or not open yet) on this device's French day: refused here
 * with the server's own sentence (the server refuses it too, code CAMPAIGN_CLOSED), so attesting offline
 * after the closing says so at once instead of at the next sync.
 */
async function checkCampagneOuverte(d: AtlasDb, entity: EntityName, rec: Record<string, unknown>) {
  if (entity !== 'attestationCampagne') return;
  const c = (await d.records('campagne').get(rec.campagneId as string)) as Campagne | undefined;
  const refus = c && refusAttestation(c, jourEnFrance(new Date()));
  if (refus) throw new ValidationError([{ field: 'campagneId', message: refus }]);
}

function childrenDefs(entity: EntityName) {
  return ENTITY_NAMES.map((n) => entityDef(n)).filter((d) => d.parent?.entity === entity);
}

async function entriesOf(db: AtlasDb, entity: EntityName, id: string): Promise<OutboxEntry[]> {
  return db.outbox.where('[entity+record]').equals([entity, id]).sortBy('ord');
}

/**
 * What an edit form was opened on, per field: the base an edit made then would have carried
 * (`bases`), the value it showed (`values`), and for a field then in flight (base `null`) the revision
 * that in-flight change was itself based on (`under`). A save sends each changed field with this base,
 * never the record's current one, so a value pulled while the form was open is never written back over.
 */
export interface EditBase {
  values: Record<string, unknown>;
  bases: Record<string, FieldBase>;
  under: Record<string, number>;
}

/** The base of field `f` for a save from a form opened on `opened`, now that `meta`/`frozen` are what they are. */
function openedFieldBase(
  opened: EditBase,
  meta: MetaRow | undefined,
  frozen: OutboxEntry[],
  f: string,
): FieldBase | undefined {
  if (!(f in opened.bases)) return undefined;
  const b = opened.bases[f]!;
  if (b !== null) return b;
  // Opened while this device's own change of the field was in flight.
  if (fieldBase(meta, frozen, f) === null) return null; // still in flight: the result will give the base
  // That change has been answered since. Same value on the server as in the form: nothing moved
  // underneath; else someone else's value is there and the older base makes it a conflict.
  if (meta && !meta.deleted && sameValue(meta.fields?.[f], opened.values[f])) return fieldRev(meta, f);
  return opened.under[f] ?? 0;
}

export function createRepository(dbArg?: AtlasDb) {
  const db = () => dbArg ?? screensDb();

  async function create<N extends EntityName>(entity: N, fields: Record<string, unknown>): Promise<EntityRecord<N>> {
    const def = entityDef(entity);
    const given = typeof fields.id === 'string' ? fields.id : undefined;
    let rec = validate(entity, { ...fields, id: given ?? newId() });
    checkWrite(entity, rec, 'all');
    if (def.naturalKey) {
      const nid = naturalId(
        entity,
        def.naturalKey.map((k) => rec[k] as string | number),
      );
      if (given && given !== nid)
        throw new ValidationError([
          { field: 'id', message: 'Identifiant incompatible avec la clé de cet enregistrement.' },
        ]);
      rec = { ...rec, id: nid };
    }
    const d = db();
    await d.transaction('rw', d.writeTables(), async () => {
      const existing = await d.records(entity).get(rec.id);
      if (!existing) await checkUnique(d, entity, rec);
      if (existing) {
        throw new ValidationError([
          {
            field: def.naturalKey?.[def.naturalKey.length - 1] ?? 'id',
            message: `Cet enregistrement (${def.label}) existe déjà.`,
          },
        ]);
      }
      if (def.parent) {
        const parent = await d.records(def.parent.entity).get(rec[def.parent.field] as string);
        if (!parent) {
          throw new ValidationError([
            {
              field: def.parent.field,
              message: `L’enregistrement parent (${entityDef(def.parent.entity).label}) n’existe pas ou a été supprimé.`,
            },
          ]);
        }
      }
      await checkCampagneOuverte(d, entity, rec);
      const entries = await entriesOf(d, entity, rec.id);
      const meta = await d.meta.get([entity, rec.id]);
      const { id: _id, ...values } = rec;
      const now = nowIso();
      if (meta && !meta.deleted && !entries.length) {
        // Natural key already known from the server but absent locally cannot happen; treat as an edit.
        throw new ValidationError([{ field: 'id', message: `Cet enregistrement (${def.label}) existe déjà.` }]);
      }
      await d.outbox.add({
        op: 'create',
        changeId: newId(),
        entity,
        record: rec.id,
        values,
        seq: null,
        createdAt: now,
        updatedAt: now,
        schemaVersion: OUTBOX_SCHEMA_VERSION,
      });
      await d.trash.delete([entity, rec.id]);
      await d.records(entity).put(rec);
    });
    notifyLocalWrite();
    return rec as EntityRecord<N>;
  }

  /**
   * A record as an edit form opens it, with the base of each field (see `EditBase`); null when the
   * record is not there. Read-only: forms watch it live while open.
   */
  async function editBase<N extends EntityName>(
    entity: N,
    id: string,
  ): Promise<{ record: EntityRecord<N>; base: EditBase } | null> {
    const d = db();
    // Plain reads (no transaction): a live query runs it again whenever one of them changes.
    const record = stripRevs(await d.records(entity).get(id));
    if (!record) return null;
    const { meta } = await readMeta(d, entity, id);
    const entries = await entriesOf(d, entity, id);
    const frozen = entries.filter((e) => e.seq !== null);
    const open = entries.find((e) => e.seq === null);
    const { id: _id, ...values } = record;
    const bases: Record<string, FieldBase> = {};
    const under: Record<string, number> = {};
    for (const f of Object.keys(values)) {
      if (open?.op === 'create') bases[f] = 0;
      else if (open?.op === 'update' && f in open.fields) bases[f] = open.fields[f]!.base;
      else bases[f] = fieldBase(meta, frozen, f);
      if (bases[f] === null) {
        // The base the in-flight change of this field was sent with (a creation: 0).
        const sent = [...frozen].reverse().find((e) => e.op === 'create' || (e.op === 'update' && f in e.fields));
        under[f] = sent?.op === 'update' ? (sent.fields[f]!.base ?? 0) : 0;
      }
    }
    return { record: record as EntityRecord<N>, base: { values, bases, under } };
  }

  /**
   * The version of a record as the server last gave it to this device: the highest revision of its fields
   * (not the record's own revision, which a région move raises without changing anything in it). Null while
   * the device holds no server version (a record created here and not yet sent). Its own pending changes
   * do not count: they have no revision until the server answers.
   */
  async function serverRevision(entity: EntityName, id: string): Promise<number | null> {
    const { meta } = await readMeta(db(), entity, id);
    return revisionOf(meta);
  }

  /**
   * `serverRevision` of many records of `entity` (null for one the device holds no server version of, or does
   * not hold), in one read of the records and one of their meta rows: what a list of fiches « changed since
   * their avis » needs at once.
   */
  async function serverRevisions(entity: EntityName, ids: readonly string[]): Promise<Map<string, number | null>> {
    const d = db();
    const rows = await d.records(entity).bulkGet(ids);
    const metas = await bulkGetSparse(d.meta, entity, ids, () => d.meta.where('entity').equals(entity).primaryKeys());
    const out = new Map<string, number | null>();
    ids.forEach((id, i) => {
      const m = metas[i];
      const row = rows[i];
      out.set(id, revisionOf(m ? (m.fields ? m : withValues(m, row)) : embeddedMeta(entity, row)));
    });
    return out;
  }

  /**
   * Save an edit. With `opened` (what the form was opened on), each field of `patch` that the local
   * record does not already hold is sent with the base the form was opened on: a field changed
   * elsewhere meanwhile becomes a conflict on the server instead of being overwritten.
   */
  async function update<N extends EntityName>(
    entity: N,
    id: string,
    patch: Record<string, unknown>,
    opts?: { opened?: EditBase },
  ): Promise<EntityRecord<N>> {
    const def = entityDef(entity);
    const d = db();
    let result: LocalRecord | undefined;
    await d.transaction('rw', d.writeTables(), async () => {
      const current = stripRevs(await d.records(entity).get(id));
      if (!current) throw new NotFoundError(entityDef(entity).label);
      const next = validate(entity, { ...current, ...patch, id });
      for (const k of def.naturalKey ?? []) {
        if (!sameValue(next[k], current[k])) {
          throw new ValidationError([
            {
              field: k,
              message:
                'Ce champ identifie l’enregistrement et ne peut pas être modifié : supprimez-le et créez-en un autre.',
            },
          ]);
        }
      }
      // The collectivité a record belongs to never changes (the server refuses it too; packs.ts relies on it).
      const scope = scopeField(entity);
      if (scope && scope !== 'id' && !sameValue(next[scope], current[scope])) {
        throw new ValidationError([
          {
            field: scope,
            message:
              'Un enregistrement ne peut pas changer de collectivité : supprimez-le et créez-le dans l’autre collectivité.',
          },
        ]);
      }
      const changed = Object.keys(next).filter((k) => k !== 'id' && !sameValue(next[k], current[k]));
      result = next;
      if (!changed.length) return;
      checkWrite(entity, next, changed);
      if (changed.includes(def.unique?.field ?? '')) await checkUnique(d, entity, next);
      await checkCampagneOuverte(d, entity, next);
      await writeUpdate(d, entity, id, next, changed, undefined, opts?.opened);
    });
    notifyLocalWrite();
    return result as EntityRecord<N>;
  }

  async function writeUpdate(
    d: AtlasDb,
    entity: EntityName,
    id: string,
    next: LocalRecord,
    changed: string[],
    resolves?: string[],
    opened?: EditBase,
  ) {
    const entries = await entriesOf(d, entity, id);
    const meta = await snapshotBase(d, entity, id);
    const frozen = entries.filter((e) => e.seq !== null);
    const given = (f: string) => (opened ? openedFieldBase(opened, meta, frozen, f) : undefined);
    const open = entries.find((e) => e.seq === null);
    const now = nowIso();
    if (open?.op === 'create') {
      const { id: _id, ...values } = next;
      await d.outbox.put({
        ...open,
        values,
        updatedAt: now,
        ...(resolves ? { resolves: [...(open.resolves ?? []), ...resolves] } : {}),
      });
    } else if (open?.op === 'update') {
      const fields = { ...open.fields };
      for (const f of changed) {
        const g = given(f);
        const base = g !== undefined ? g : f in fields ? fields[f]!.base : fieldBase(meta, frozen, f);
        // Back to the server value it was based on: nothing left to send for that field.
        if (
          meta &&
          !meta.deleted &&
          base !== null &&
          base === fieldRev(meta, f) &&
          sameValue(next[f], meta.fields?.[f]) &&
          !resolves
        )
          delete fields[f];
        else fields[f] = { value: next[f], base };
      }
      const res = resolves ? [...(open.resolves ?? []), ...resolves] : open.resolves;
      if (!Object.keys(fields).length && !res?.length) await d.outbox.delete(open.ord!);
      else await d.outbox.put({ ...open, fields, updatedAt: now, ...(res ? { resolves: res } : {}) });
    } else if (!meta && !frozen.length) {
      // Never reached the server (e.g. its creation was rejected): send it again as a creation.
      const { id: _id, ...values } = next;
      await d.outbox.add({
        op: 'create',
        changeId: newId(),
        entity,
        record: id,
        values,
        seq: null,
        createdAt: now,
        updatedAt: now,
        schemaVersion: OUTBOX_SCHEMA_VERSION,
        ...(resolves ? { resolves } : {}),
      });
    } else {
      const fields: Record<string, { value: unknown; base: FieldBase }> = {};
      for (const f of changed) {
        const g = given(f);
        fields[f] = { value: next[f], base: g !== undefined ? g : fieldBase(meta, frozen, f) };
      }
      await d.outbox.add({
        op: 'update',
        changeId: newId(),
        entity,
        record: id,
        fields,
        seq: null,
        createdAt: now,
        updatedAt: now,
        schemaVersion: OUTBOX_SCHEMA_VERSION,
        ...(resolves ? { resolves } : {}),
      });
    }
    await d.records(entity).put(next);
  }

  /** Remove one record, its children first, with their undo rows under `group`. Runs inside the caller's transaction. */
  async function removeOne(
    d: AtlasDb,
    entity: EntityName,
    id: string,
    group: string,
    resolves?: string[],
    holdUntil?: string,
  ): Promise<void> {
    for (const cd of childrenDefs(entity)) {
      const kids = await d.records(cd.name).whereEquals(cd.parent!.field, id);
      for (const k of kids) await removeOne(d, cd.name, k.id, group, undefined, holdUntil);
    }
    const snapshot = stripRevs(await d.records(entity).get(id));
    if (!snapshot) return;
    const entries = await entriesOf(d, entity, id);
    const meta = await snapshotBase(d, entity, id);
    const frozen = entries.filter((e) => e.seq !== null);
    const open = entries.filter((e) => e.seq === null);
    for (const e of open) await d.outbox.delete(e.ord!);
    const now = nowIso();
    const trash: TrashRow = { entity, id, group, snapshot, entries: open, at: now };
    await d.trash.put(trash);
    const onServer = (meta && !meta.deleted) || frozen.length > 0;
    if (onServer) {
      const del: OutboxDelete = {
        op: 'delete',
        changeId: newId(),
        entity,
        record: id,
        base: recordBase(meta, frozen),
        seq: null,
        createdAt: open[0]?.createdAt ?? now,
        updatedAt: now,
        schemaVersion: OUTBOX_SCHEMA_VERSION,
        ...(resolves ? { resolves } : {}),
        ...(holdUntil ? { holdUntil } : {}),
      };
      await d.outbox.add(del);
    }
    // A rejected creation that the user deletes is settled: nothing of it remains to fix.
    if (!meta)
      for (const r of await d.rejected.where('[entity+record]').equals([entity, id]).toArray())
        await d.rejected.delete(r.changeId);
    await d.records(entity).delete(id);
  }

  /** `holdMs`: keep the delete (and its children's) out of the sync that long, so its undo stays possible online. */
  async function remove(
    entity: EntityName,
    id: string,
    opts?: { resolves?: string[]; holdMs?: number },
  ): Promise<void> {
    const def = entityDef(entity);
    if (!def.deletable)
      throw new ValidationError([{ field: '', message: `Une ${def.label} ne peut pas être supprimée.` }]);
    const d = db();
    await d.transaction('rw', d.writeTables(), async () => {
      if (!(await d.records(entity).get(id))) throw new NotFoundError(entityDef(entity).label);
      await d.trash.where('group').equals(`${entity}:${id}`).delete();
      const holdUntil = opts?.holdMs ? new Date(Date.now() + opts.holdMs).toISOString() : undefined;
      await removeOne(d, entity, id, `${entity}:${id}`, opts?.resolves, holdUntil);
    });
    notifyLocalWrite();
  }

  /** The person let the undo go (closed its toast): the delete, and its children's, need no longer wait. */
  async function releaseHold(entity: EntityName, id: string): Promise<void> {
    const d = db();
    const released = await d.transaction('rw', d.writeTables(), async () => {
      let n = 0;
      for (const r of await d.trash.where('group').equals(`${entity}:${id}`).toArray())
        for (const e of await entriesOf(d, r.entity, r.id))
          if (e.op === 'delete' && e.seq === null && e.holdUntil) {
            const { holdUntil: _held, ...rest } = e;
            await d.outbox.put(rest);
            n++;
          }
      return n;
    });
    if (released) notifyLocalWrite();
  }

  /** Bring back a record (and the children removed with it) while its delete has not been sent. */
  async function undoRemove(entity: EntityName, id: string): Promise<boolean> {
    const d = db();
    const ok = await d.transaction('rw', d.writeTables(), async () => {
      const rows = await d.trash.where('group').equals(`${entity}:${id}`).toArray();
      // The record itself must still be undoable (its delete not sent), not only its children.
      if (!rows.some((r) => r.entity === entity && r.id === id)) return false;
      for (const r of rows) {
        const entries = await entriesOf(d, r.entity, r.id);
        if (entries.some((e) => e.op === 'delete' && e.seq !== null)) return false;
      }
      for (const r of rows) {
        const entries = await entriesOf(d, r.entity, r.id);
        for (const e of entries) if (e.op === 'delete' && e.seq === null) await d.outbox.delete(e.ord!);
        for (const e of r.entries) {
          const { ord: _ord, ...rest } = e;
          await d.outbox.add(rest as OutboxEntry);
        }
        await d.records(r.entity).put(r.snapshot);
        await d.trash.delete([r.entity, r.id]);
      }
      return true;
    });
    if (ok) notifyLocalWrite();
    return ok;
  }

  async function get<N extends EntityName>(entity: N, id: string): Promise<EntityRecord<N> | undefined> {
    return stripRevs(await db().records(entity).get(id)) as EntityRecord<N> | undefined;
  }

  async function list<N extends EntityName>(entity: N, filter?: RecordFilter): Promise<EntityRecord<N>[]> {
    const store = db().records(entity);
    let rows: LocalRecord[];
    if (!filter) rows = await store.toArray();
    else if (typeof filter === 'function') rows = (await store.toArray()).filter(filter);
    else {
      const keys = Object.keys(filter);
      // The scope first (one pack), then a parent or reference (the pack of the record it points to).
      const scope = scopeField(entity);
      const first =
        keys.find((k) => k === scope && typeof filter[k] === 'string') ??
        keys.find((k) => k !== 'id' && typeof filter[k] === 'string');
      const base = first ? await store.whereEquals(first, filter[first]) : await store.toArray();
      rows = base.filter((r) => keys.every((k) => sameValue(r[k], filter[k])));
    }
    return rows.map((r) => stripRevs(r)) as EntityRecord<N>[];
  }

  /** Every record of an entity, page by page (an export reads a national copy in chunks). */
  async function* pages<N extends EntityName>(entity: N): AsyncGenerator<EntityRecord<N>[]> {
    for await (const page of db().records(entity).pages()) yield page.map((r) => stripRevs(r)) as EntityRecord<N>[];
  }

  /** How many records of an entity the copy holds, read from keys only (a progress bar's total). */
  function count(entity: EntityName): Promise<number> {
    return db().records(entity).countKeys();
  }

  /** How many records of each entity the copy holds, in one pass over the keys. */
  async function counts(): Promise<Partial<Record<EntityName, number>>> {
    return Object.fromEntries(await countByEntity(db().packs, db().loose));
  }

  /**
   * Settle a conflict with the value a person chose: for a field conflict the field's value, for an
   * edit/delete conflict the whole record or null (delete). Sent like any change, with `resolves`.
   */
  async function resolveConflict(conflictId: string, value: unknown): Promise<void> {
    const d = db();
    await d.transaction('rw', d.writeTables(), async () => {
      const c = await d.conflicts.get(conflictId);
      if (!c)
        throw new ValidationError([
          { field: '', message: 'Ce conflit n’existe plus (il a peut-être été résolu sur un autre poste).' },
        ]);
      const entity = c.entity;
      const current = stripRevs(await d.records(entity).get(c.record));
      const meta = await snapshotBase(d, entity, c.record);
      if (c.field !== null) {
        const base = current ?? (meta && !meta.deleted ? { ...meta.fields, id: c.record } : null);
        if (!base) throw new NotFoundError(entityDef(entity).label);
        const next = validate(entity, { ...base, [c.field]: value });
        await writeUpdate(d, entity, c.record, next, [c.field], [conflictId]);
      } else if (value === null) {
        if (current) await removeOne(d, entity, c.record, `${entity}:${c.record}`, [conflictId]);
        else {
          await d.outbox.add({
            op: 'delete',
            changeId: newId(),
            entity,
            record: c.record,
            base: meta?.rev ?? 0,
            seq: null,
            createdAt: nowIso(),
            updatedAt: nowIso(),
            schemaVersion: OUTBOX_SCHEMA_VERSION,
            resolves: [conflictId],
          });
        }
      } else {
        const next = validate(entity, { ...(value as Record<string, unknown>), id: c.record });
        const prev = current ?? (meta ? { ...meta.fields, id: c.record } : {});
        const changed = Object.keys(next).filter(
          (k) => k !== 'id' && !sameValue(next[k], (prev as Record<string, unknown>)[k]),
        );
        await writeUpdate(
          d,
          entity,
          c.record,
          next,
          changed.length ? changed : Object.keys(next).filter((k) => k !== 'id'),
          [conflictId],
        );
      }
      const last = await d.outbox.where('[entity+record]').equals([entity, c.record]).last();
      await d.conflicts.update(conflictId, { resolvingChangeId: last?.changeId ?? null });
      await rebaseMany(d, [[entity, c.record]]);
    });
    notifyLocalWrite();
  }

  /** Drop a rejected change: the record goes back to the server's version (plus other pending edits). */
  async function discardRejected(changeId: string): Promise<void> {
    const d = db();
    await d.transaction('rw', d.writeTables(), async () => {
      const r = await d.rejected.get(changeId);
      if (!r) return;
      await d.rejected.delete(changeId);
      await rebaseMany(d, [[r.entity, r.record]]);
    });
  }

  return {
    create,
    update,
    editBase,
    serverRevision,
    serverRevisions,
    remove,
    releaseHold,
    undoRemove,
    get,
    list,
    pages,
    count,
    counts,
    resolveConflict,
    discardRejected,
  };
}

export type Repository = ReturnType<typeof createRepository>;

/** The app's repository, on the app's database. */
export const repository: Repository = createRepository();
export const resolveConflict = (conflictId: string, value: unknown) => repository.resolveConflict(conflictId, value);
