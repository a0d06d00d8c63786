// Revalidation of what is derived from the public data: the Atlas's pages and the open-data API's answers carry
// an ETag made of the data version and the answer's key (path and normalised query), so a client that holds the
// current one gets a 304 without anything being built or read.
import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

// Ten seconds in a browser or a proxy, then a revalidation by ETag (a 304 costs nothing): with the data's refresh
// (donnees.ts, at most every 10 s) an edit synced shows within about half a minute even on a loaded server.
export const PAGE_CACHE_CONTROL = 'public, max-age=10, must-revalidate';

export const hash = (s: string) => crypto.createHash('sha1').update(s).digest('base64url').slice(0, 16);

export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === bare);
}

/** The ETag of one answer (`key`) for one version of the public data. */
export const versionEtag = (version: number, key: string) => `W/"${version}-${hash(key)}"`;

/** Sets the ETag and the pages' Cache-Control on the reply. */
export function setPageCache(reply: FastifyReply, etag: string): void {
  reply.header('Cache-Control', PAGE_CACHE_CONTROL).header('ETag', etag);
}

/** Whether the request already holds this ETag (answer 304). */
export const holds = (req: FastifyRequest, etag: string) => etagMatches(req.headers['if-none-match'], etag);
