// What a role may export in bulk (the « Exports » screen today, a server export tomorrow): written once here.
// Personal data (entities marked `personalData` in the registry: the élus et cadres) leave the app in a file
// only in the hands of the roles that manage them — the roles that may write them (`writeRoles`): the agent
// for its collectivité, the DAECT nationally. The SGAR reads them on screen in its région but does not
// manage them, so its exports hold none. Other entities are exported by every role, within its scope.
import type { Role } from './domain/roles';
import { ENTITY_ORDER, entityDef, type EntityName } from './registry';

/** Version of the JSON export's format (`formatVersion` in the file): raised when its shape changes. */
export const EXPORT_FORMAT_VERSION = 1;

/** Whether `role` may export the records of `entity` (within its scope). */
export function mayExport(role: Role, entity: EntityName): boolean {
  const def = entityDef(entity);
  return !def.personalData || def.writeRoles.includes(role);
}

/** Whether `role` may export personal data at all. */
export function mayExportPersonalData(role: Role): boolean {
  return ENTITY_ORDER.filter((e) => entityDef(e).personalData).every((e) => mayExport(role, e));
}

/** The entities `role` may export, parents before children. */
export function exportableEntities(role: Role): EntityName[] {
  return ENTITY_ORDER.filter((e) => mayExport(role, e));
}
