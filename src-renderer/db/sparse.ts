// Reading many rows of which few exist: meta rows and loose rows belong only to records that depart
// from their server version or their pack. With many ids, the entity's keys are listed in one request
// first, rather than asking for thousands of rows that are not there.
import type { Table } from 'dexie';

const LIST_ABOVE = 50;

/** Rows keyed `[entity, id]` for `ids` (undefined where none); `listKeys` lists the entity's keys. */
export async function bulkGetSparse<T, E extends string>(
  table: Table<T, [E, string]>,
  entity: E,
  ids: readonly string[],
  listKeys: () => Promise<[E, string][]>,
): Promise<(T | undefined)[]> {
  let want = ids;
  if (ids.length > LIST_ABOVE) {
    const have = new Set((await listKeys()).map((k) => k[1]));
    want = ids.filter((id) => have.has(id));
  }
  const rows = await table.bulkGet(want.map((id) => [entity, id] as [E, string]));
  const byId = new Map(want.map((id, i) => [id, rows[i]]));
  return ids.map((id) => byId.get(id));
}
