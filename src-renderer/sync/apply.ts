// Turning the outbox into protocol changes, and a sync response back into local state. Pure Dexie
// work, no network: the engine calls `freeze` before a request and `applyResponse` after it. How a
// server version moves and how local records are rebuilt from it is the rule of db/base.ts.
import {
  change as changeSchema,
  MAX_CHANGES_PER_REQUEST,
  type Change,
  type Conflict,
  type SyncResponse,
} from '../../src-shared/sync/protocol';
import { entityDef, type EntityName } from '../../src-shared/registry';
import {
  fieldBase,
  mergeDeleted,
  mergePulled,
  mergeWritten,
  readMeta,
  readMetas,
  rebaseMany,
  recordBase,
} from '../db/base';
import type { AtlasDb, FieldBase, MetaRow, OutboxEntry, RejectedRow } from '../db/database';

export const LOCAL_CORRUPT = 'LOCAL_CORRUPT';
/** syncState key: when the first pull of this copy ended (`more: false`); cleared with the copy at logout. */
export const FIRST_PULL_KEY = 'firstPullAt';
const CORRUPT_MESSAGE =
  'Une modification enregistrée sur ce poste est illisible (données endommagées). Elle a été mise de côté sans être envoyée ; vérifiez l’enregistrement et saisissez-la de nouveau.';

type Key = `${string}|${string}`;
const keyOf = (entity: string, id: string): Key => `${entity}|${id}`;

function eligible(e: OutboxEntry): boolean {
  if (e.op === 'create') return true;
  if (e.op === 'delete') return e.base !== null;
  return Object.values(e.fields).every((f) => f.base !== null);
}

/** A delete a person may still undo: held out of the sync until its `holdUntil`. */
function heldAt(e: OutboxEntry, now: number): number | null {
  if (e.op !== 'delete' || e.seq !== null || !e.holdUntil) return null;
  const until = Date.parse(e.holdUntil);
  return until > now ? until : null;
}

function toChange(e: OutboxEntry): Change | null {
  const common = { id: e.changeId, seq: e.seq!, entity: e.entity, record: e.record, at: e.createdAt };
  let c: unknown;
  if (e.op === 'create') {
    const check = entityDef(e.entity).schema.safeParse({ ...e.values, id: e.record });
    if (!check.success) return null;
    c = { ...common, op: 'create', fields: e.values };
  } else if (e.op === 'update') {
    const shape = entityDef(e.entity).schema.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
    for (const [f, v] of Object.entries(e.fields)) if (!shape[f] || !shape[f].safeParse(v.value).success) return null;
    c = { ...common, op: 'update', fields: e.fields, ...(e.resolves?.length ? { resolves: e.resolves } : {}) };
  } else {
    c = { ...common, op: 'delete', base: e.base, ...(e.resolves?.length ? { resolves: e.resolves } : {}) };
  }
  const parsed = changeSchema.safeParse(c);
  return parsed.success ? parsed.data : null;
}

export interface Frozen {
  changes: Change[];
  /** Entries set aside because they could not be read. */
  quarantined: number;
  /** When the first delete held for its undo may be sent (epoch ms), if one held the rest back. */
  heldUntil: number | null;
}

/**
 * Take the changes to send: entries already frozen (sent before, result unknown: same id and seq),
 * then the longest prefix of unfrozen entries that can be sent now, each given the next device seq.
 * Order is the outbox order, so parents are created before children and deleted after them.
 * A delete still held for its undo (`holdUntil`, set by the screens' delete) stops the prefix there.
 */
export async function freeze(
  db: AtlasDb,
  max = MAX_CHANGES_PER_REQUEST,
  now = Date.now(),
  /**
   * Read only: the changes the next freeze would give, the unfrozen ones with the seqs they would take,
   * and nothing written (no seq kept, no undo dropped, an unreadable entry left where it is). For the
   * backup of pending changes (./backup.ts), which must neither stop edits coalescing nor end an undo.
   */
  dryRun = false,
): Promise<Frozen> {
  return db.transaction(dryRun ? 'r' : 'rw', dryRun ? [db.outbox, db.syncState] : db.writeTables(), async () => {
    const byOrd = await db.outbox.orderBy('ord').toArray();
    // Already-frozen entries first, in their seq order (the server applies a device's changes by seq).
    const all = [
      ...byOrd.filter((e) => e.seq !== null).sort((a, b) => a.seq! - b.seq!),
      ...byOrd.filter((e) => e.seq === null),
    ];
    const changes: Change[] = [];
    let quarantined = 0;
    let seq = Number((await db.syncState.get('deviceSeq'))?.value ?? 0);
    for (const e of all) if (e.seq !== null && e.seq > seq) seq = e.seq;
    let blocked = false;
    let heldUntil: number | null = null;
    for (const e of all) {
      if (changes.length >= max) break;
      if (e.seq === null) {
        const held = blocked ? null : heldAt(e, now);
        if (held !== null) heldUntil = held;
        if (blocked || held !== null || !eligible(e)) {
          blocked = true;
          continue;
        }
        e.seq = ++seq;
        if (dryRun) {
          const c = toChange(e);
          if (c) changes.push(c);
          else quarantined++;
          continue;
        }
        await db.outbox.put(e);
        // A sent delete can no longer be undone.
        if (e.op === 'delete') await db.trash.delete([e.entity, e.record]);
      }
      const c = toChange(e);
      if (!c) {
        quarantined++;
        if (!dryRun) await quarantine(db, e);
        continue;
      }
      changes.push(c);
    }
    if (dryRun) return { changes, quarantined, heldUntil };
    await db.syncState.put({ key: 'deviceSeq', value: seq });
    // Undo of deletes that never had to be sent (created and deleted here) is offered for a day.
    const dayAgo = new Date(Date.now() - 86_400_000).toISOString();
    await db.trash.filter((t) => t.at < dayAgo).delete();
    return { changes, quarantined, heldUntil };
  });
}

async function quarantine(db: AtlasDb, e: OutboxEntry) {
  await db.outbox.delete(e.ord!);
  const row: RejectedRow = {
    changeId: e.changeId,
    entity: e.entity,
    record: e.record,
    op: e.op,
    proposed: proposedOf(e),
    code: LOCAL_CORRUPT,
    message: CORRUPT_MESSAGE,
    at: new Date().toISOString(),
  };
  await db.rejected.put(row);
  await rebaseMany(db, [[e.entity, e.record]]);
}

function proposedOf(e: OutboxEntry): Record<string, unknown> | null {
  if (e.op === 'create') return { ...e.values };
  if (e.op === 'update') return Object.fromEntries(Object.entries(e.fields).map(([f, v]) => [f, v.value]));
  return null;
}

export interface ApplyReport {
  acknowledged: number;
  conflicts: number;
  rejected: number;
  pulled: number;
}

/**
 * During a first import into an empty copy, most pulled records cannot have a server version yet: the
 * engine tracks the keys it wrote in this cycle and the others are not looked up (two reads less per record).
 */
export interface ImportTracker {
  written: Set<string>;
}

/**
 * Apply one response in one transaction: per-change results (acknowledged changes leave the outbox,
 * conflicts and rejections are kept), the scope's conflicts, the pulled page, then the cursor.
 * Local records are then recomputed from the server base and what is still pending (`rebaseMany`,
 * db/base.ts), so a pending local edit is never overwritten.
 */
export async function applyResponse(db: AtlasDb, res: SyncResponse, fresh?: ImportTracker): Promise<ApplyReport> {
  return db.transaction('rw', db.writeTables(), async () => {
    const report: ApplyReport = { acknowledged: 0, conflicts: 0, rejected: 0, pulled: res.changes.length };
    const touched = new Map<Key, [EntityName, string]>();
    const touch = (entity: EntityName, id: string) => touched.set(keyOf(entity, id), [entity, id]);
    const conflictsById = new Map<string, Conflict>(res.conflicts.map((c) => [c.id, c]));
    const entries = await db.outbox
      .where('changeId')
      .anyOf(res.results.map((r) => r.id))
      .toArray();
    const byChange = new Map(entries.map((e) => [e.changeId, e]));
    // Server versions read or changed in this response (always with their values), and which have a meta row.
    const metaCache = new Map<Key, MetaRow | undefined>();
    const metaRows = new Set<string>();
    const getMeta = async (entity: EntityName, id: string) => {
      const k = keyOf(entity, id);
      if (!metaCache.has(k)) {
        const { meta, row } = await readMeta(db, entity, id);
        if (row) metaRows.add(k);
        metaCache.set(k, meta);
      }
      return metaCache.get(k);
    };
    const setMeta = (m: MetaRow) => metaCache.set(keyOf(m.entity, m.id), m);

    for (const r of res.results) {
      const e = byChange.get(r.id);
      if (!e) continue; // already handled (a duplicate answer) or discarded locally
      touch(e.entity, e.record);
      await db.outbox.delete(e.ord!);
      let later = (await db.outbox.where('[entity+record]').equals([e.entity, e.record]).sortBy('ord')).filter(
        (x) => x.ord! > e.ord!,
      );
      const conflictFields = new Set<string>();
      for (const cid of r.conflicts ?? []) {
        const c = conflictsById.get(cid);
        if (c?.field) conflictFields.add(c.field);
      }
      const sentFields: Record<string, { value: unknown; base: FieldBase }> =
        e.op === 'create'
          ? Object.fromEntries(Object.entries(e.values).map(([f, v]) => [f, { value: v, base: 0 }]))
          : e.op === 'update'
            ? e.fields
            : {};
      const written =
        r.status === 'applied' || r.status === 'merged' || (r.status === 'conflict' && conflictFields.size > 0);
      const appliedFields = written ? Object.keys(sentFields).filter((f) => !conflictFields.has(f)) : [];

      if (r.status === 'rejected') {
        report.rejected++;
        let proposed = proposedOf(e);
        if (e.op === 'create') {
          // The record never reached the server: later edits fold into what the person must fix.
          for (const x of later) {
            await db.outbox.delete(x.ord!);
            if (x.op === 'update' && proposed) for (const [f, v] of Object.entries(x.fields)) proposed[f] = v.value;
            if (x.op === 'delete') proposed = null;
          }
          later = [];
        }
        if (e.op === 'create' && proposed === null) {
          /* created then deleted here: nothing to fix */
        } else {
          await db.rejected.put({
            changeId: e.changeId,
            entity: e.entity,
            record: e.record,
            op: e.op,
            proposed,
            code: r.code ?? 'REJECTED',
            message: r.message ?? 'Modification refusée par le serveur.',
            at: new Date().toISOString(),
          });
        }
      } else {
        if (r.status === 'conflict') report.conflicts++;
        else report.acknowledged++;
        if (r.rev !== undefined) {
          let m = await getMeta(e.entity, e.record);
          if (e.op === 'delete' && r.status !== 'conflict') m = mergeDeleted(m, e.entity, e.record, r.rev);
          else if (appliedFields.length || (e.op === 'create' && written)) {
            m = mergeWritten(
              m,
              e.entity,
              e.record,
              r.rev,
              Object.fromEntries(appliedFields.map((f) => [f, sentFields[f]!.value])),
            );
          }
          if (m) setMeta(m);
        }
        if (r.status !== 'conflict') {
          for (const cid of e.resolves ?? []) await db.conflicts.delete(cid);
          // A later accepted change that covers a rejected one settles it.
          for (const rj of await db.rejected.where('[entity+record]').equals([e.entity, e.record]).toArray()) {
            const covered =
              e.op === 'create' ||
              (rj.op === 'update' && rj.proposed && Object.keys(rj.proposed).every((f) => f in sentFields));
            if (covered) await db.rejected.delete(rj.changeId);
          }
        }
      }
      // Later entries based on this change get real bases now.
      const meta = await getMeta(e.entity, e.record);
      for (const x of later) {
        let dirty = false;
        if (x.op === 'update') {
          for (const [f, v] of Object.entries(x.fields)) {
            if (v.base !== null) continue;
            if (r.rev !== undefined && appliedFields.includes(f)) v.base = r.rev;
            else if (f in sentFields && sentFields[f]!.base !== null) v.base = sentFields[f]!.base;
            else v.base = fieldBase(meta, [], f); // nothing of the record in flight any more
            dirty = true;
          }
        } else if (x.op === 'delete' && x.base === null) {
          x.base = r.rev !== undefined && written ? r.rev : recordBase(meta, []);
          dirty = true;
        }
        if (dirty) await db.outbox.put(x);
      }
    }

    for (const c of res.conflicts) {
      touch(c.entity, c.record);
      if (c.resolved) await db.conflicts.delete(c.id);
      else {
        const prev = await db.conflicts.get(c.id);
        await db.conflicts.put({ ...c, resolvingChangeId: prev?.resolvingChangeId ?? null });
      }
    }

    if (res.changes.length) {
      const keys = res.changes.map((p) => keyOf(p.entity, p.id));
      const missing = [...new Set(keys.filter((k) => !metaCache.has(k)))];
      const toRead = fresh ? missing.filter((k) => fresh.written.has(k)) : missing;
      const byEnt = new Map<EntityName, string[]>();
      for (const k of toRead) {
        const [e, id] = k.split('|') as [EntityName, string];
        const ids = byEnt.get(e);
        if (ids) ids.push(id);
        else byEnt.set(e, [id]);
      }
      for (const k of missing) metaCache.set(k, undefined);
      for (const [e, ids] of byEnt)
        (await readMetas(db, e, ids, metaRows)).forEach((m, i) => metaCache.set(keyOf(e, ids[i]!), m));
      for (const p of res.changes) {
        setMeta(mergePulled(metaCache.get(keyOf(p.entity, p.id)), p));
        touch(p.entity, p.id);
      }
    }
    for (const m of metaCache.values()) if (m) touch(m.entity, m.id);
    // In a first import, a pulled record this import has not written yet is stored nowhere, unless a
    // person wrote it here meanwhile (results, and pending or rejected changes: see rebaseMany).
    let absent: Set<string> | undefined;
    if (fresh) {
      const answered = new Set(entries.map((e) => keyOf(e.entity, e.record)));
      absent = new Set(
        res.changes.map((p) => keyOf(p.entity, p.id)).filter((k) => !fresh.written.has(k) && !answered.has(k)),
      );
      for (const k of touched.keys()) fresh.written.add(k);
    }
    await rebaseMany(db, touched.values(), metaCache, metaRows, absent);
    const before = Number((await db.syncState.get('cursor'))?.value ?? 0);
    await db.syncState.put({ key: 'cursor', value: res.cursor });
    // The copy is complete up to the cursor only once a pull has paged to its end with nothing of the
    // scope written above it: the server says so in `since` (SyncResponse.since). A cursor that went
    // back means the server started this device over (its database was restored): nothing is known
    // complete until that pull ends.
    if (res.since !== undefined && (!res.more || res.since === '0'))
      await db.syncState.put({ key: 'since', value: res.since });
    else if (!res.more) await db.syncState.put({ key: 'since', value: res.cursor });
    else if (Number(res.cursor) < before) await db.syncState.put({ key: 'since', value: '0' });
    // The first pull of this copy has paged to its end: the screens stop waiting (useFirstSync).
    if (!res.more && !(await db.syncState.get(FIRST_PULL_KEY)))
      await db.syncState.put({ key: FIRST_PULL_KEY, value: new Date().toISOString() });
    return report;
  });
}

/** Anything sendable now (used to decide whether another request is needed in this cycle). */
export async function hasSendable(db: AtlasDb, now = Date.now()): Promise<boolean> {
  for (const e of await db.outbox.orderBy('ord').toArray()) {
    if (e.seq !== null) return true;
    return eligible(e) && heldAt(e, now) === null;
  }
  return false;
}

/** A person asked to synchronise now: deletes held for their undo go with this cycle. */
export async function releaseHolds(db: AtlasDb): Promise<void> {
  await db.transaction('rw', db.outbox, async () => {
    await db.outbox.toCollection().modify((e) => {
      if (e.op === 'delete' && e.holdUntil) delete e.holdUntil;
    });
  });
}

/** When the first unsent delete held for its undo may be sent (epoch ms), or null: the engine's next cycle. */
export async function nextHoldEnd(db: AtlasDb, now = Date.now()): Promise<number | null> {
  let first: number | null = null;
  await db.outbox.each((e) => {
    const h = heldAt(e, now);
    if (h !== null && (first === null || h < first)) first = h;
  });
  return first;
}
