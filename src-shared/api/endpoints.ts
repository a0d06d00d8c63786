// The HTTP contract of the CNCD server: every endpoint of the API, its method, path, request and
// response schemas and error codes (see ./endpoint.ts). The server registers its routes from this
// table (src-server/routes/) and /api/docs shows it; the app calls it through src-renderer/api/http.ts.
// Defined in modules (sign-in, accounts, sync, the public open-data API) so that the login screen loads only its own part;
// this table is the whole.
import { accountEndpoints } from './accounts';
import { authEndpoints } from './auth';
import { importAtlasEndpoints } from './importAtlas';
import { publicEndpoints } from './public';
import { syncEndpoints } from './sync';

export const endpoints = {
  ...authEndpoints,
  ...accountEndpoints,
  ...syncEndpoints,
  ...publicEndpoints,
  ...importAtlasEndpoints,
};
