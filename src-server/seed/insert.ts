// Bulk insert of validated records (seeds): multi-row INSERTs, one revision per record.
import { entityDef, type EntityName } from '../../src-shared/registry';
import type { Db } from '../db/driver';
import type { RevAllocator } from '../sync/revs';
import { q, toParam } from '../sync/statements';
import { TABLE_DEFS } from '../sync/tables';

const MAX_PARAMS = 30_000;

/**
 * Inserts records of one entity. `regionOf` gives the région of a collectivité id (SGAR scope).
 * Records are validated with the entity schema first: a seed bug fails loudly, never stores bad data.
 */
export async function insertRecords(
  db: Db,
  revs: RevAllocator,
  entity: EntityName,
  records: Record<string, unknown>[],
  regionOf: (collectiviteId: string) => string | null,
  by = 'Données de démonstration',
): Promise<void> {
  if (!records.length) return;
  const def = TABLE_DEFS[entity];
  const schema = entityDef(entity).schema;
  const parsed = records.map((r) => {
    const p = schema.safeParse(r);
    if (!p.success) throw new Error(`Seed: invalid ${entity} ${JSON.stringify(r)}: ${p.error.message}`);
    return p.data as Record<string, unknown>;
  });
  const all = await revs.reserve(parsed.length);
  const cols = [...def.fields.map(q), 'sync_rev', 'created_rev', 'scope_region', 'updated_by'];
  const per = Math.max(1, Math.floor(MAX_PARAMS / cols.length));
  for (let start = 0; start < parsed.length; start += per) {
    const chunk = parsed.slice(start, start + per);
    const params: unknown[] = [];
    const rows = chunk.map((rec, i) => {
      const rev = all[start + i]!;
      const cid = entity === 'collectivite' ? String(rec.id) : (rec.collectiviteId as string | undefined);
      const vals = [...def.fields.map((f) => toParam(def, f, rec[f])), rev, rev, cid ? regionOf(cid) : null, by];
      const base = params.length;
      params.push(...vals);
      return `(${vals.map((_, k) => `$${base + k + 1}`).join(', ')})`;
    });
    await db.query(`INSERT INTO ${def.table} (${cols.join(', ')}) VALUES ${rows.join(', ')}`, params);
  }
}
