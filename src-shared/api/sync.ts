// The sync endpoint: one round trip per cycle, the protocol of ../sync/protocol.ts. Apart from the
// sign-in endpoints so that the login screen does not load the whole data model.
import { SESSION_ERRORS } from './auth';
import { endpoint } from './endpoint';
import { syncRequest, syncResponse } from '../sync/protocol';

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
};
