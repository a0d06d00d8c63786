// The Content-Security-Policy of the app served to browsers (and of the server's own HTML pages).
import { DSFR_STYLE_HASHES, IMG_SRC } from '../src-shared/csp';

export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  `style-src 'self' ${DSFR_STYLE_HASHES.join(' ')}`,
  IMG_SRC,
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
