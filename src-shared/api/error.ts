// The error body every API answer shares: its own module, so a client that only needs to read errors
// (the login screen) does not load the sync protocol and the whole data model with it.
import { z } from 'zod';
import { FILE_ERROR_CODES } from '../files/errors';

/**
 * Every code the server answers an HTTP error with. Clients read `code` as a plain string (a newer server
 * may add codes); the server writes only these, checked by the compiler.
 */
export const API_ERROR_CODES = [
  // Any endpoint
  'VALIDATION',
  'INVALID_JSON',
  'INVALID_VALUE',
  'INVALID_ENCODING',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'BAD_REQUEST',
  'NOT_FOUND',
  'RATE_LIMITED',
  'INTERNAL',
  // Sessions
  'UNAUTHENTICATED',
  'TOKEN_EXPIRED',
  'TOKEN_INVALID',
  'SESSION_INVALID',
  'SESSION_REVOKED',
  'SESSION_EXPIRED',
  'INVALID_CREDENTIALS',
  'ACCOUNT_DISABLED',
  'ACCOUNT_PENDING',
  'ACCOUNT_REFUSED',
  'EMAIL_NOT_VERIFIED',
  'DEVICE_UNKNOWN',
  // Accounts
  'UNKNOWN_COLLECTIVITE',
  'FORBIDDEN',
  'OWN_ACCOUNT',
  'ACCOUNT_APPROVED',
  // Sync
  'PROTOCOL_VERSION',
  // Files that carry sync (src-shared/files/errors.ts)
  ...FILE_ERROR_CODES,
  // Import of an existing Atlas (./importAtlas.ts)
  'SOURCE_TOO_LARGE',
  'SOURCE_UNREADABLE',
  'SOURCE_NO_SHEET',
  'SOURCE_EMPTY',
  'MAPPING_INVALID',
  'MAPPING_REQUIRED',
  'IMPORT_BATCH_REJECTED',
  'IMPORT_RUNNING',
  // Update feed
  'RANGE_NOT_SATISFIABLE',
  'RANGE_OVERLAPPING',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** Machine-readable error body of every 4xx/5xx of the API: a code for programs, French for people. */
export const apiError = z.object({
  code: z.string(),
  message: z.string(),
  details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
export type ApiError = z.infer<typeof apiError>;
