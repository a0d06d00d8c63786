import { useLiveQuery } from 'dexie-react-hooks';
import type { EntityName, EntityRecord } from '../../src-shared/registry';
import { repository } from '../app/data';

/** Like useRecord, but tells "loading" (undefined) from "not there" (null). */
export function useRecordOrNull<N extends EntityName>(entity: N, id: string | null): EntityRecord<N> | null | undefined {
  return useLiveQuery(async () => (id ? ((await repository.get(entity, id)) ?? null) : null), [entity, id]);
}
