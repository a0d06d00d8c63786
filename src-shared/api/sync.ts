// The sync endpoint: one round trip per cycle, the protocol of ../sync/protocol.ts. Apart from the
// sign-in endpoints so that the login screen does not load the whole data model.
import { SESSION_ERRORS } from './auth';
import { endpoint, fileResponse } from './endpoint';
import { z } from 'zod';
import { deviceCertificate } from '../files/container';
import { FILE_ERROR_CODES } from '../files/errors';
import { PERIMETRE_PATTERN } from '../files/snapshot';
import { changeResult, syncRequest, syncResponse } from '../sync/protocol';

/** A packet file as base64 (JSON body): 8 MB of request at most, the server's body limit. */
export const packetImportRequest = z.object({
  fichier: z
    .string()
    .min(1)
    .max(8 * 1024 * 1024)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, { error: 'Le fichier doit être transmis en base64.' }),
});

/** What importing a packet did, change by change and counted, for the person who carried it. */
export const packetImportResponse = z.object({
  author: z.object({ nom: z.string(), email: z.string() }),
  device: z.object({ name: z.string() }),
  collectiviteId: z.uuid().nullable(),
  createdAt: z.string(),
  counts: z.object({
    applied: z.number().int(),
    merged: z.number().int(),
    conflicts: z.number().int(),
    rejected: z.number().int(),
    alreadyKnown: z.number().int(),
  }),
  results: z.array(changeResult),
});
export type PacketImportResponse = z.infer<typeof packetImportResponse>;

/** Which snapshot: `collectivite:<uuid>`, `region:<code>` or `national`. */
export const snapshotQuery = z.object({
  perimetre: z.string().max(100).regex(PERIMETRE_PATTERN, {
    error: 'Périmètre attendu : « collectivite:<identifiant> », « region:<code> » ou « national ».',
  }),
});

export const syncEndpoints = {
  sync: endpoint({
    method: 'POST',
    path: '/api/v1/sync',
    tag: 'synchronisation',
    summary: 'Un cycle de synchronisation : envoi des modifications et réception de celles du périmètre',
    auth: true,
    body: syncRequest,
    response: syncResponse,
    errors: { 400: ['PROTOCOL_VERSION'], 401: [...SESSION_ERRORS, 'DEVICE_UNKNOWN'] },
  }),
  importPacket: endpoint({
    method: 'POST',
    path: '/api/v1/paquets',
    tag: 'synchronisation',
    summary:
      'Importer un paquet de modifications (.atlas-modifs) : appliqué au nom de son auteur, comme sa propre synchronisation',
    auth: true,
    body: packetImportRequest,
    response: packetImportResponse,
    errors: { 400: [...FILE_ERROR_CODES], 401: SESSION_ERRORS, 403: ['FORBIDDEN'] },
  }),
  deviceCertificate: endpoint({
    method: 'GET',
    path: '/api/v1/appareils/certificat',
    tag: 'synchronisation',
    summary:
      'Le certificat de ce poste, signé par la clé du serveur : il permet à un SGAR ou à la DAECT de signer un instantané fait depuis sa copie',
    auth: true,
    response: deviceCertificate,
    errors: { 401: [...SESSION_ERRORS, 'DEVICE_UNKNOWN'], 403: ['ACCOUNT_DISABLED', 'ACCOUNT_PENDING'] },
  }),
  snapshot: endpoint({
    method: 'GET',
    path: '/api/v1/instantanes',
    tag: 'synchronisation',
    summary:
      'Un instantané signé (.atlas-instantane) d’une collectivité, d’une région ou de tout le pays, à l’état du serveur',
    auth: true,
    query: snapshotQuery,
    response: fileResponse,
    file: { contentType: 'application/octet-stream' },
    errors: { 401: SESSION_ERRORS, 403: ['FORBIDDEN'], 404: ['NOT_FOUND'] },
  }),
};
