// Characters no text of the Atlas may hold: NUL and the other C0 controls (tab and line breaks
// excepted) and DEL. PostgreSQL cannot store NUL at all, and the others only hide text from people.
// One rule, used by the entity field builders and by the HTTP schemas (e-mails, names, device names).
import { z } from 'zod';

const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
/** Half of a surrogate pair alone: not text in UTF-8 (PostgreSQL's json refuses it). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function hasControlChars(s: string): boolean {
  return CONTROL_CHARS.test(s) || LONE_SURROGATE.test(s);
}

/** French message of the rule, naming the field as its form labels it. */
export const controlCharsMessage = (label: string) => `« ${label} » contient des caractères de contrôle non autorisés.`;

/** A string without control characters (checked first: nothing else runs on such a value). */
export function safeString(label: string, typeMessage?: string) {
  return z
    .string(typeMessage ? { error: typeMessage } : undefined)
    .refine((s) => !hasControlChars(s), { error: controlCharsMessage(label), abort: true });
}
