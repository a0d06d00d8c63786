// The sync endpoints: one cycle (push then pull) for the caller's scope, and the import of a packet of
// changes carried by file (applied as its author).
import type { FastifyInstance } from 'fastify';
import { syncEndpoints as e } from '../../src-shared/api/sync';
import { SUPPORTED_PROTOCOL_VERSIONS } from '../../src-shared/sync/protocol';
import { HttpError } from '../httpError';
import type { Actor } from '../sync/actor';
import type { Db } from '../db/driver';
import { importPacket } from '../sync/packets';
import { issueCertificate, type ServerSigningKey } from '../sync/serverKey';
import { buildSnapshot, resolveScope, snapshotFileName } from '../sync/snapshots';
import { parsePerimetre } from '../../src-shared/files/snapshot';
import type { SyncService } from '../sync/service';
import { route, type Claims, type RouteDeps } from './contract';

const actorOf = (c: Claims): Actor => ({
  userId: c.sub,
  role: c.role,
  collectiviteId: c.cid,
  region: c.reg,
  deviceId: c.dev,
  label: c.lbl ?? c.sub,
});

export function syncRoutes(
  app: FastifyInstance,
  deps: RouteDeps,
  sync: SyncService,
  db: Db,
  key: ServerSigningKey,
): void {
  route(app, deps, e.sync, ({ body, claims }) => {
    if (!SUPPORTED_PROTOCOL_VERSIONS.includes(body.v)) {
      throw new HttpError(
        400,
        'PROTOCOL_VERSION',
        `Version du protocole de synchronisation non prise en charge (${body.v}) : mettez à jour l’application.`,
      );
    }
    return sync.sync(actorOf(claims), body);
  });
  route(app, deps, e.importPacket, ({ body, claims }) =>
    importPacket(
      db,
      sync,
      { userId: claims.sub, role: claims.role, collectiviteId: claims.cid, region: claims.reg },
      new Uint8Array(Buffer.from(body.fichier, 'base64')),
    ),
  );
  let building: Promise<void> = Promise.resolve();
  route(app, deps, e.deviceCertificate, ({ claims }) =>
    issueCertificate(db, key, { userId: claims.sub, deviceId: claims.dev }),
  );
  route(app, deps, e.snapshot, async ({ query, claims, reply }) => {
    const scope = parsePerimetre(query.perimetre);
    if (!scope) throw new HttpError(400, 'VALIDATION', 'Périmètre d’instantané invalide.');
    const resolved = await resolveScope(
      db,
      { role: claims.role, collectiviteId: claims.cid, region: claims.reg },
      scope,
    );
    const now = new Date();
    // One build at a time: a national snapshot holds a transaction and tens of MB while it is written.
    const run = building.then(() => buildSnapshot(db, sync, key, resolved, now));
    building = run.then(
      () => undefined,
      () => undefined,
    );
    const built = await run;
    return reply
      .header('Content-Type', e.snapshot.file.contentType)
      .header('Content-Disposition', `attachment; filename="${snapshotFileName(resolved, now)}"`)
      .header('Cache-Control', 'no-store')
      .send(Buffer.from(built.bytes.buffer, built.bytes.byteOffset, built.bytes.byteLength));
  });
}
