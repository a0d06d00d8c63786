// Record and change ids are made on the device (UUIDv7: time-ordered, no coordination).
// Records with a natural key get a deterministic UUIDv5 instead, so two offline creations of the same
// APD year (or attestation) carry the same id and meet on the server as one record.
import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';
import type { EntityName } from '../registry';

/** Namespace of Atlas natural-key ids (a fixed random UUID). */
export const ATLAS_NAMESPACE = '6f1d8d2e-3c55-4a43-9d4e-0f2a7d1b5c90';

export function newId(): string {
  return uuidv7();
}

export function naturalId(entity: EntityName, key: readonly (string | number)[]): string {
  return uuidv5(`${entity}:${key.join(':')}`, ATLAS_NAMESPACE);
}

/** Deterministic id of a collectivité from its official code (`commune:75056`, `epci:200054781`, …). */
export function collectiviteId(code: string): string {
  return naturalId('collectivite', [code]);
}
