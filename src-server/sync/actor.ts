// Who syncs and what they just wrote: the types shared by applying a change (apply.ts) and pulling a
// page (pull.ts), kept here so that neither imports the other.
import type { Role } from '../../src-shared/domain/roles';
import type { EntityName } from '../../src-shared/registry';

export interface Actor {
  userId: string;
  role: Role;
  collectiviteId: string | null;
  region: string | null;
  deviceId: string;
  /** "Nom (poste)": who proposed a value, shown in conflicts. */
  label: string;
  /** An Atlas import run (src-server/import-atlas): it alone writes the server-only field `reprisLe`. */
  atlasImport?: boolean;
}

/**
 * A record this device just wrote in this cycle, holding exactly what it sent. Skipped in the pull when
 * nothing else changed since the device's cursor; with `partial`, only the fields it wrote are left out.
 */
export interface Echo {
  entity: EntityName;
  id: string;
  rev: number;
  prevRev: number;
  partial?: boolean;
  /** Highest revision of the record's creation and of the fields it did not write (updates only). */
  others?: number;
}
