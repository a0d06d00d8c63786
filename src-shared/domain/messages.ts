// Turning validation issues into French messages keyed by field, for forms, sync results and API errors.
import type { z } from 'zod';

export interface FieldError {
  field: string;
  message: string;
}

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((i) => ({
    field: i.path.length ? String(i.path[0]) : '',
    message: i.message,
  }));
}

/** One sentence for a whole record: what a sync rejection or an API 400 carries. */
export function summarize(error: z.ZodError): string {
  const msgs = [...new Set(error.issues.map((i) => i.message))];
  return msgs.length === 1 ? msgs[0]! : `${msgs.length} problèmes : ${msgs.join(' ')}`;
}
