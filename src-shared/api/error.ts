// The error body every API answer shares: its own module, so a client that only needs to read errors
// (the login screen) does not load the sync protocol and the whole data model with it.
import { z } from 'zod';

/** Machine-readable error body of every 4xx/5xx of the API: a code for programs, French for people. */
export const apiError = z.object({
  code: z.string(),
  message: z.string(),
  details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
export type ApiError = z.infer<typeof apiError>;
