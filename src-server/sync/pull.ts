// The pull half of a sync cycle: records and conflicts of the device's scope with a revision above
// its cursor (and at or below the watermark), ordered by revision, paged.
import { ENTITY_NAMES, entityDef, isEntityName, type EntityName } from '../../src-shared/registry';
import type { Conflict, PulledRecord } from '../../src-shared/sync/protocol';
import type { Queryable, Row } from '../db/driver';
import type { Actor, Echo } from './actor';
import { TABLE_DEFS } from './tables';

type ScopeKind = 'agent' | 'sgar' | 'daect';

// Two stages: first the page's keys (revision order, a few integers per row), then `to_jsonb` only for
// the rows kept. Building the JSON inside each per-table branch made Postgres serialise up to
// `limit` rows per table, most of them dropped by the outer LIMIT (measured 2.5x slower on PGlite).
function buildSql(kind: ScopeKind): string {
  const keys = ENTITY_NAMES.map((e) => {
    const t = TABLE_DEFS[e].table;
    let cond = '';
    if (entityDef(e).scope === 'collectivite') {
      if (kind === 'agent') cond = e === 'collectivite' ? ' AND "id" = $4' : ' AND "collectiviteId" = $4';
      else if (kind === 'sgar') cond = ' AND scope_region = $4';
    }
    return `(SELECT '${e}' AS e, sync_rev AS rev, id FROM ${t} WHERE sync_rev > $1 AND sync_rev <= $2${cond} ORDER BY sync_rev LIMIT $3)`;
  });
  const ccond = kind === 'agent' ? ' AND collectivite_id = $4' : kind === 'sgar' ? ' AND scope_region = $4' : '';
  keys.push(
    `(SELECT 'conflict' AS e, rev, id FROM conflicts WHERE rev > $1 AND rev <= $2${ccond} ORDER BY rev LIMIT $3)`,
  );
  // Records that left a région (their collectivité moved): that région's devices drop them.
  if (kind === 'sgar')
    keys.push(
      `(SELECT 'exit:' || entity AS e, rev, record_id AS id FROM scope_exits WHERE rev > $1 AND rev <= $2 AND region = $4 ORDER BY rev LIMIT $3)`,
    );
  const rows = ENTITY_NAMES.map(
    (e) => `SELECT k.e, k.rev, to_jsonb(t) AS row FROM k JOIN ${TABLE_DEFS[e].table} t ON k.e = '${e}' AND t.id = k.id`,
  );
  // When the server value was written: the record's last audited write before the conflicting change
  // (audit entries keep their time even when a contact's contents are purged). Conflicts are few per page.
  rows.push(`SELECT k.e, k.rev, to_jsonb(c) || jsonb_build_object('server_at', (SELECT max(a.at) FROM audit_log a
    WHERE a.record_id = c.record_id AND a.change_id IS DISTINCT FROM c.change_id AND a.at <= c.proposed_at)) AS row
    FROM k JOIN conflicts c ON k.e = 'conflict' AND c.id = k.id`);
  if (kind === 'sgar')
    rows.push(`SELECT k.e, k.rev, jsonb_build_object('id', k.id) AS row FROM k WHERE k.e LIKE 'exit:%'`);
  return `WITH k AS MATERIALIZED (SELECT e, rev, id FROM (${keys.join('\nUNION ALL\n')}) u ORDER BY rev LIMIT $3)
SELECT e, rev, row FROM (${rows.join('\nUNION ALL\n')}) x ORDER BY rev`;
}

const SQL: Record<ScopeKind, string> = { agent: buildSql('agent'), sgar: buildSql('sgar'), daect: buildSql('daect') };

// Records of the scope with `$1 < sync_rev <= $2` ($3: the collectivité or the région), one index range per table.
function buildCountSql(kind: ScopeKind): string {
  const counts = ENTITY_NAMES.map((e) => {
    let cond = '';
    if (entityDef(e).scope === 'collectivite') {
      if (kind === 'agent') cond = e === 'collectivite' ? ' AND "id" = $3' : ' AND "collectiviteId" = $3';
      else if (kind === 'sgar') cond = ' AND scope_region = $3';
    }
    return `(SELECT count(*) FROM ${TABLE_DEFS[e].table} WHERE sync_rev > $1 AND sync_rev <= $2${cond})`;
  });
  return `SELECT ${counts.join(' + ')} AS n`;
}

const COUNT_SQL: Record<ScopeKind, string> = {
  agent: buildCountSql('agent'),
  sgar: buildCountSql('sgar'),
  daect: buildCountSql('daect'),
};

/**
 * How many records of the actor's scope have a revision in `(cursor, watermark]`: what a first pull still
 * has to send after a page (SyncResponse.remaining). A figure for people, not for the logic.
 */
export async function countRemaining(db: Queryable, actor: Actor, cursor: number, watermark: number): Promise<number> {
  const params: unknown[] = [cursor, watermark];
  if (actor.role !== 'daect') params.push(actor.role === 'agent' ? actor.collectiviteId : actor.region);
  const rows = await db.query<{ n: number | string }>(COUNT_SQL[actor.role], params);
  return Number(rows[0]?.n ?? 0);
}

export interface PullPage {
  changes: PulledRecord[];
  conflicts: Conflict[];
  cursor: number;
  more: boolean;
}

/** Extra rows fetched past the page so that rows sharing a revision are never split across pages. */
const SLACK = 20;

/** Rows at one revision beyond which a page is not cut (a région move writes many rows at one revision). */
const ONE_REVISION_MAX = 1_000_000;

/**
 * `since`: the cursor from which the device's copy is complete (see SyncRequest.since); equal to `cursor`
 * except while the device pages through a long pull. Records are sent relative to it, pages follow `cursor`.
 */
export async function pull(
  db: Queryable,
  actor: Actor,
  cursor: number,
  limit: number,
  watermark: number,
  echoes: Map<string, Echo>,
  scopeMark: number | null = null,
  since: number = cursor,
): Promise<PullPage> {
  // Nothing committed above the cursor (watermark), or nothing written in this scope above it (scope mark).
  if (cursor >= watermark || (scopeMark !== null && cursor >= scopeMark)) {
    return { changes: [], conflicts: [], cursor: Math.max(cursor, watermark), more: false };
  }
  const scopeParam = actor.role === 'agent' ? actor.collectiviteId : actor.role === 'sgar' ? actor.region : null;
  const params: unknown[] = [cursor, watermark, limit + SLACK];
  if (actor.role !== 'daect') params.push(scopeParam);
  let rows = await db.query<{ e: string; rev: number; row: Row }>(SQL[actor.role], params);
  let page = rows;
  let more = false;
  let next = watermark;
  if (rows.length > limit) {
    more = true;
    const cut = Number(rows[limit]!.rev);
    page = rows.slice(0, limit).filter((r) => Number(r.rev) < cut);
    if (page.length === 0) {
      // Every row fetched shares the first revision: the page is that whole revision, however large.
      if (rows.length >= limit + SLACK) {
        params[1] = cut;
        params[2] = ONE_REVISION_MAX;
        rows = await db.query<{ e: string; rev: number; row: Row }>(SQL[actor.role], params);
      }
      page = rows.filter((r) => Number(r.rev) === cut);
      more = cut < watermark;
    }
    next = Number(page[page.length - 1]!.rev);
  }
  const changes: PulledRecord[] = [];
  const conflicts: Conflict[] = [];
  for (const r of page) {
    if (r.e === 'conflict') conflicts.push(toConflict(r.row));
    else if (r.e.startsWith('exit:')) {
      const entity = r.e.slice(5);
      if (isEntityName(entity))
        changes.push({ entity, id: String(r.row.id), rev: Number(r.rev), deleted: true, left: true });
    } else if (isEntityName(r.e)) {
      const rec = toPulled(r.e, r.row, since, echoes, cursor);
      if (rec) changes.push(rec);
    }
  }
  return { changes, conflicts, cursor: next, more };
}

/**
 * A record as the device needs it, given `since`, the cursor from which its copy is complete: whole when
 * the record was created or entered the scope after `since` (the device cannot hold it), else the fields
 * changed after `since`. Relative to the page cursor instead, a record created before a page's cursor
 * and edited after it would reach a device paging through its first sync with only its edited fields.
 */
export function toPulled(
  entity: EntityName,
  row: Row,
  since: number,
  echoes?: Map<string, Echo>,
  cursor = since,
): PulledRecord | null {
  const rev = Number(row.sync_rev);
  const id = String(row.id);
  const echo = echoes?.get(`${entity}:${id}`);
  // The device's own change, applied over nothing it had not seen: its result already carries the rev.
  // (`prevRev <= cursor`: the device received the record at prevRev, in this paged pull or before it.)
  if (echo && echo.rev === rev && echo.prevRev <= cursor && !echo.partial) return null;
  const own = echo && echo.rev === rev ? rev : -1;
  if (row.deleted === true) return { entity, id, rev, deleted: true };
  const def = TABLE_DEFS[entity];
  const created = Number(row.created_rev);
  const fr = (row.field_revs ?? {}) as Record<string, number>;
  const whole = created > since || Number(row.entered_rev ?? 0) > since;
  const fields: Record<string, unknown> = {};
  const fieldRevs: Record<string, number> = {};
  for (const f of def.dataFields) {
    const frev = fr[f] ?? created;
    if (!whole && (frev <= since || frev === own)) continue;
    fields[f] = row[f] ?? null;
    if (frev !== rev) fieldRevs[f] = frev;
  }
  if (own !== -1 && Object.keys(fields).length === 0) return null;
  const out: PulledRecord = { entity, id, rev, fields };
  if (Object.keys(fieldRevs).length) out.fieldRevs = fieldRevs;
  return out;
}

function iso(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  const d = new Date(String(v));
  return Number.isNaN(d.getTime()) ? String(v) : d.toISOString();
}

export function toConflict(row: Row): Conflict {
  return {
    id: String(row.id),
    rev: Number(row.rev),
    entity: row.entity as EntityName,
    record: String(row.record_id),
    kind: row.kind as Conflict['kind'],
    field: (row.field as string | null) ?? null,
    serverValue: row.server_value ?? null,
    proposedValue: row.proposed_value ?? null,
    proposedBy: String(row.proposed_by),
    proposedAt: iso(row.proposed_at),
    serverBy: (row.server_by as string | null) ?? null,
    ...(row.server_at !== undefined ? { serverAt: row.server_at === null ? null : iso(row.server_at) } : {}),
    resolved: row.resolved === true,
    resolvedBy: (row.resolved_by as string | null) ?? null,
  };
}
