import { useLiveQuery } from 'dexie-react-hooks';
import type { EntityName, EntityRecord } from '../../src-shared/registry';
import { repository } from '../core/data';

/**
 * Like useRecord, but tells "loading" (undefined) from "not there" (null). When the id changes, a live
 * query still returns the previous record until the new one is read: that answer is "loading", never
 * the previous record (an edit form opened with another record's values saved them into this one).
 */
export function useRecordOrNull<N extends EntityName>(
  entity: N,
  id: string | null,
): EntityRecord<N> | null | undefined {
  const got = useLiveQuery(
    async () => ({ entity, id, rec: id ? ((await repository.get(entity, id)) ?? null) : null }),
    [entity, id],
  );
  return got && got.entity === entity && got.id === id ? got.rec : undefined;
}
