// The update feed URL a build may carry. Kept free of bundler-only imports: electron.vite.config.ts
// checks ATLAS_UPDATES_URL with it at build time.

/** The national server's releases folder; what a build without ATLAS_UPDATES_URL uses. */
export const DEFAULT_UPDATES_FEED_URL = 'https://atlas-cncd.diplomatie.gouv.fr/updates/';

/**
 * https, or http on this computer only (local release rehearsals); no credentials, query or fragment.
 * Returns the URL with a trailing slash, or throws with the reason.
 */
export function parseUpdatesFeedUrl(raw: string): string {
  const u = new URL(raw);
  const local = u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]';
  if (!(u.protocol === 'https:' || (u.protocol === 'http:' && local)))
    throw new Error(`ATLAS_UPDATES_URL must be https:// (got ${u.protocol})`);
  if (u.username || u.password || u.search || u.hash)
    throw new Error('ATLAS_UPDATES_URL must not carry credentials, a query or a fragment');
  return u.href.endsWith('/') ? u.href : `${u.href}/`;
}
