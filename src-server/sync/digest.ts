// The server's side of a device checking its copy (docs/architecture.md, "Checking a copy"): the digest
// of a scope's live records, bucket by bucket, cached until something is written in that scope, and the
// records of the buckets a device asks for again.
import { ENTITY_NAMES, entityDef, type EntityName } from '../../src-shared/registry';
import { bucketOfRecord, ScopeDigest } from '../../src-shared/sync/digest';
import type { PulledRecord } from '../../src-shared/sync/protocol';
import type { Queryable, Row } from '../db/driver';
import type { Actor } from './actor';
import { toPulled } from './pull';
import { TABLE_DEFS } from './tables';

interface Computed {
  /** Watermark when computed: valid while nothing was written in the scope above it. */
  at: number;
  digest: ScopeDigest;
  /** Ids per bucket and entity, to fetch a bucket again without a scan. */
  ids: Map<number, Map<EntityName, string[]>>;
}

function scopeKey(actor: Actor): string {
  return actor.role === 'daect' ? 'n' : actor.role === 'agent' ? `c:${actor.collectiviteId}` : `r:${actor.region}`;
}

function scopeCondition(actor: Actor, entity: EntityName): { cond: string; params: unknown[] } {
  if (entityDef(entity).scope !== 'collectivite' || actor.role === 'daect') return { cond: '', params: [] };
  if (actor.role === 'agent')
    return {
      cond: entity === 'collectivite' ? ' AND "id" = $1' : ' AND "collectiviteId" = $1',
      params: [actor.collectiviteId],
    };
  return { cond: ' AND scope_region = $1', params: [actor.region] };
}

/** A row's schema fields as the pull sends them (null where empty). */
function fieldsOf(entity: EntityName, row: Row): Record<string, unknown> {
  return Object.fromEntries(TABLE_DEFS[entity].fields.map((f) => [f, row[f] ?? null]));
}

export class DigestCache {
  private readonly cache = new Map<string, Computed>();
  /** Scopes kept at most (a national digest holds ~65,000 ids). */
  private readonly max = 64;

  /**
   * The scope's digest. `mark`: the last revision that may have touched the scope (null: unknown, e.g.
   * national), `watermark`: everything at or below it is committed.
   */
  async of(db: Queryable, actor: Actor, mark: number | null, watermark: number): Promise<Computed> {
    const key = scopeKey(actor);
    const hit = this.cache.get(key);
    if (hit && (mark === null ? hit.at >= watermark : hit.at >= mark)) return hit;
    const digest = new ScopeDigest();
    const ids = new Map<number, Map<EntityName, string[]>>();
    for (const e of ENTITY_NAMES) {
      const { cond, params } = scopeCondition(actor, e);
      const rows = await db.query<{ row: Row }>(
        `SELECT to_jsonb(t) AS row FROM ${TABLE_DEFS[e].table} t WHERE NOT deleted${cond}`,
        params,
      );
      for (const { row } of rows) {
        const rec = fieldsOf(e, row);
        digest.add(e, rec);
        const b = bucketOfRecord(e, rec);
        let byEntity = ids.get(b);
        if (!byEntity) ids.set(b, (byEntity = new Map()));
        const list = byEntity.get(e);
        if (list) list.push(String(row.id));
        else byEntity.set(e, [String(row.id)]);
      }
    }
    const computed = { at: watermark, digest, ids };
    if (this.cache.size >= this.max) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, computed);
    return computed;
  }

  /** Every live record of these buckets in the scope, whole (with each field's revision). */
  async bucketRecords(
    db: Queryable,
    actor: Actor,
    buckets: number[],
    mark: number | null,
    watermark: number,
  ): Promise<PulledRecord[]> {
    const { ids } = await this.of(db, actor, mark, watermark);
    const out: PulledRecord[] = [];
    const byEntity = new Map<EntityName, string[]>();
    for (const b of buckets)
      for (const [e, list] of ids.get(b) ?? []) byEntity.set(e, [...(byEntity.get(e) ?? []), ...list]);
    for (const [e, list] of byEntity) {
      const rows = await db.query<{ row: Row }>(
        `SELECT to_jsonb(t) AS row FROM ${TABLE_DEFS[e].table} t WHERE "id" = ANY($1::uuid[]) AND NOT deleted`,
        [list],
      );
      for (const { row } of rows) {
        const p = toPulled(e, row, -1);
        if (p) out.push(p);
      }
    }
    return out;
  }
}
