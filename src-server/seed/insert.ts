// Bulk insert of validated records (seeds): the write path's set-wise insert, one revision per record.
import { entityDef, type EntityName } from '../../src-shared/registry';
import type { Db } from '../db/driver';
import type { RevAllocator } from '../sync/revs';
import { insertRecords as insertRows } from '../sync/statements';
import { TABLE_DEFS } from '../sync/tables';

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
  await insertRows(
    db,
    def,
    parsed.map((rec, i) => {
      const cid = entity === 'collectivite' ? String(rec.id) : (rec.collectiviteId as string | undefined);
      return { values: rec, rev: all[i]!, region: cid ? regionOf(cid) : null };
    }),
    by,
  );
}
