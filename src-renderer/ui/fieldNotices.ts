// Fields changed underneath an open form, handed to the field components by name (context), so every
// edit form shows them through the shared fields without wiring each one.
import { createContext, useContext } from 'react';

export interface FieldNotices {
  /** Form field name → the value now on record (a form value: string, boolean, array…). */
  changed: Record<string, unknown>;
  /** Put that value in the form. */
  take(name: string): void;
}

export const FieldNoticesContext = createContext<FieldNotices | null>(null);

export function useFieldNotice(name: string): { value: unknown; take(): void } | null {
  const ctx = useContext(FieldNoticesContext);
  if (!ctx || !(name in ctx.changed)) return null;
  return { value: ctx.changed[name], take: () => ctx.take(name) };
}
