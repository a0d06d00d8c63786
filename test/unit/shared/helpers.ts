// Helpers for schema tests: parse and return the French messages keyed by field.
import type { z } from 'zod';
import { fieldErrors } from '../../../src-shared/domain/messages';

export function errorsOf(schema: z.ZodType, input: unknown): { field: string; message: string }[] {
  const r = schema.safeParse(input);
  return r.success ? [] : fieldErrors(r.error);
}

/** The messages for one field; fails loudly when the record unexpectedly passes. */
export function messagesFor(schema: z.ZodType, input: unknown, field: string): string[] {
  const r = schema.safeParse(input);
  if (r.success) throw new Error(`expected a rejection on « ${field} », the record passed`);
  return fieldErrors(r.error)
    .filter((e) => e.field === field)
    .map((e) => e.message);
}

export const ID = (n: number) => `0190a1b2-c3d4-7e5f-8a6b-${String(n).padStart(12, '0')}`;
