// Log lines never carry personal data: e-mail addresses, tokens, phone numbers and URL query
// strings are masked before anything reaches the rotating file (electron-log, main.ts).
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\b/g;
const BEARER = /\b(Bearer|token[=:]\s*)\s*[A-Za-z0-9._~+/=-]{8,}/gi;
const LONG_SECRET = /\b[A-Za-z0-9_+/=-]{40,}\b/g;
const PHONE = /(?:\+33\s?|\b0)[1-9](?:[\s.-]?\d{2}){4}\b/g;
const QUERY = /(https?:\/\/[^\s?#]+)\?[^\s#]*/g;

export function redact(text: string): string {
  return text
    .replace(QUERY, '$1?…')
    .replace(JWT, '[jeton]')
    .replace(BEARER, '$1 [jeton]')
    .replace(EMAIL, '[courriel]')
    .replace(PHONE, '[téléphone]')
    .replace(LONG_SECRET, '[secret]');
}

/** Rotation: one 1 MB file plus its previous generation (electron-log's archiveLogFn). */
export const LOG_MAX_BYTES = 1024 * 1024;
