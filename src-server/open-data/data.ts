// Reading the public data from the database: only the columns of PUBLIC_FIELDS, never a deleted record,
// never a record whose parent is not public, every row through publicRecord (src-shared/public/fields.ts).
// The APD is read as its lines' amounts and published as totals per declaration (publicApdTotal).
import { PUBLIC_FIELDS, publicApdTotal, publicRecord, type PublicEntity } from '../../src-shared/public/fields';
import type { Queryable } from '../db/driver';
import { q } from '../sync/statements';
import { TABLE_DEFS } from '../sync/tables';

export type PublicRow = Record<string, unknown>;

/** Tables whose changes change the public data (the APD lines make its totals). */
const VERSION_TABLES = [
  'collectivite',
  'adhesion',
  'partenariat',
  'ficheProjet',
  'declarationApd',
  'ligneApd',
  'entreeReference',
] as const;

const VERSION_SQL = `SELECT GREATEST(${VERSION_TABLES.map((e) => `(SELECT max(sync_rev) FROM ${TABLE_DEFS[e].table} WHERE sync_rev <= $1)`).join(', ')}) AS v`;

/**
 * The version of the public data: the highest revision of a public table at or below the sync watermark
 * (src-server/sync/revs.ts: every revision at or below it is committed). An edit, a creation or a delete
 * raises it — even one whose revision is lower than another's committed first: counted once the watermark
 * passes it, never lost behind a higher number. Read through each table's revision index: cheap enough to
 * ask on every request.
 */
export async function dataVersion(db: Queryable, watermark: number): Promise<number> {
  const rows = await db.query<{ v: number | string | null }>(VERSION_SQL, [watermark]);
  return Number(rows[0]?.v ?? 0);
}

/** When the public data last changed (the newest write of a public table), for Last-Modified. */
export async function lastModified(db: Queryable): Promise<Date> {
  const rows = await db.query<{ t: string | Date | null }>(
    `SELECT GREATEST(${VERSION_TABLES.map((e) => `(SELECT max(updated_at) FROM ${TABLE_DEFS[e].table})`).join(', ')}) AS t`,
  );
  const t = rows[0]?.t;
  return t ? new Date(t) : new Date(0);
}

/** The SELECT list of an entity's public columns. */
export function publicColumns(entity: PublicEntity, alias = 't'): string {
  return PUBLIC_FIELDS[entity].map((f) => `${alias}.${q(f)}`).join(', ');
}

const PAGE = 5_000;

/**
 * Every live record of a public entity, by identifier, a page at a time, as its public view. `keep` drops
 * records whose parent is not public (a child is never published under a deleted or unknown parent).
 */
export async function* publicRows(
  db: Queryable,
  entity: Exclude<PublicEntity, 'declarationApd'>,
  keep: (r: PublicRow) => boolean = () => true,
): AsyncGenerator<PublicRow[]> {
  const sql = `SELECT ${publicColumns(entity)}, t.deleted FROM ${TABLE_DEFS[entity].table} t
    WHERE NOT t.deleted AND t.id > $1 ORDER BY t.id LIMIT ${PAGE}`;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await db.query<PublicRow>(sql, [after]);
    if (!rows.length) return;
    after = String(rows[rows.length - 1]!.id);
    const out: PublicRow[] = [];
    for (const r of rows) {
      const p = publicRecord(entity, r);
      if (p && keep(p)) out.push(p);
    }
    yield out;
    if (rows.length < PAGE) return;
  }
}

/** The APD totals of the given live declarations (rows with id, collectiviteId, annee), in their order. */
export async function withApdTotals(db: Queryable, declarations: readonly PublicRow[]): Promise<PublicRow[]> {
  if (!declarations.length) return [];
  const lines = await db.query<{ d: string; montant: number | string }>(
    `SELECT "declarationApdId" AS d, montant FROM ligne_apd WHERE NOT deleted AND "declarationApdId" = ANY($1::uuid[])`,
    [declarations.map((d) => String(d.id))],
  );
  const byDecl = new Map<string, { montant: number }[]>();
  for (const l of lines) {
    let list = byDecl.get(l.d);
    if (!list) byDecl.set(l.d, (list = []));
    list.push({ montant: Number(l.montant) });
  }
  return declarations.map((d) => ({ ...d, montantTotal: publicApdTotal(byDecl.get(String(d.id)) ?? []) }));
}

/** Every live APD declaration with its total, by identifier, a page at a time. */
export async function* publicApdRows(db: Queryable, keep: (r: PublicRow) => boolean): AsyncGenerator<PublicRow[]> {
  const sql = `SELECT ${publicColumns('declarationApd')}, t.deleted FROM declaration_apd t
    WHERE NOT t.deleted AND t.id > $1 ORDER BY t.id LIMIT ${PAGE}`;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await db.query<PublicRow>(sql, [after]);
    if (!rows.length) return;
    after = String(rows[rows.length - 1]!.id);
    const decls = rows.map((r) => publicRecord('declarationApd', r)).filter((r): r is PublicRow => !!r && keep(r));
    yield await withApdTotals(db, decls);
    if (rows.length < PAGE) return;
  }
}
