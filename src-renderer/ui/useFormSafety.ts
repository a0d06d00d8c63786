// Never lose a keystroke: autosave a draft while typing (debounced), offer it when the form reopens,
// ask before leaving a dirty form (in-app navigation and window close).
import { useEffect, useRef, useState } from 'react';
import type { FieldValues, UseFormReturn } from 'react-hook-form';
import { clearDraft, saveDraft, useDraft } from '../core/data';
import { setNavigationGuard } from '../core/router';
import { setFormDirty } from './editState';

const DEBOUNCE_MS = 400;

export interface DraftOffer<V> {
  values: V;
  savedAt: string | null;
  restore(): void;
  discard(): void;
}

/** A draft written with a context (what the form was based on) is stored wrapped. */
const WRAPPED = '$formDraft';

function unwrap(value: unknown): { values: unknown; context: unknown } {
  if (value && typeof value === 'object' && WRAPPED in value) {
    const w = value as { values?: unknown; context?: unknown };
    return { values: w.values, context: w.context };
  }
  return { values: value, context: undefined };
}

export interface SafetyOptions<V> {
  /** Saved with each draft (an edit form's base), handed back to `restore`. */
  context?: () => unknown;
  /** Restore a draft in place of the default (every saved value set on the form). */
  restore?: (values: V, context: unknown) => void;
}

export function useFormSafety<V extends FieldValues>(
  key: string,
  form: UseFormReturn<V>,
  opts: SafetyOptions<V> = {},
): {
  offer: DraftOffer<V> | null;
  /** Call after a successful save: the draft is dropped and the guard released. */
  saved(): Promise<void>;
} {
  const draft = useDraft(key);
  const [decided, setDecided] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const { isDirty } = form.formState;
  const dirtyRef = useRef(false);
  dirtyRef.current = isDirty;
  // Once saved, nothing of this form may be written as a draft again (a late flush would bring it back as "unsaved").
  const done = useRef(false);
  if (done.current) dirtyRef.current = false;
  const optsRef = useRef(opts);
  optsRef.current = opts;
  const write = (values: unknown) => {
    if (done.current) return Promise.resolve();
    const ctx = optsRef.current.context;
    return saveDraft(key, ctx ? { [WRAPPED]: 1, values, context: ctx() } : values).catch((e: unknown) =>
      console.warn('Brouillon non enregistré', e),
    );
  };

  useEffect(() => {
    setNavigationGuard(() => dirtyRef.current);
    return () => setNavigationGuard(null);
  }, []);

  // Tell the app (and through it the host's updater) whether this form holds unsaved edits.
  useEffect(() => {
    setFormDirty(key, isDirty);
  }, [key, isDirty]);
  useEffect(() => () => setFormDirty(key, false), [key]);

  useEffect(() => {
    const sub = form.watch((values) => {
      if (done.current) {
        // Reset to clean after a save (a form that stays open for the next entry): drafts resume.
        if (!form.formState.isDirty) done.current = false;
        return;
      }
      if (!dirtyRef.current && !form.formState.isDirty) return;
      setFormDirty(key, true);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void write(values), DEBOUNCE_MS);
    });
    return () => {
      sub.unsubscribe();
      clearTimeout(timer.current);
    };
  }, [form, key]);

  // Flush the pending draft when the window goes away mid-typing.
  useEffect(() => {
    const flush = () => {
      if (dirtyRef.current) void write(form.getValues());
    };
    window.addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      document.removeEventListener('visibilitychange', flush);
    };
  }, [form, key]);

  const saved = draft ? unwrap(draft.value) : null;
  const offer: DraftOffer<V> | null =
    !decided && draft && saved && !isDirty
      ? {
          values: saved.values as V,
          savedAt: draft.savedAt ?? null,
          restore: () => {
            const custom = optsRef.current.restore;
            if (custom) custom(saved.values as V, saved.context);
            else {
              form.reset(form.formState.defaultValues as V, { keepDefaultValues: true });
              for (const [k, v] of Object.entries(saved.values as Record<string, unknown>)) {
                form.setValue(k as never, v as never, { shouldDirty: true });
              }
            }
            setDecided(true);
          },
          discard: () => {
            void clearDraft(key);
            setDecided(true);
          },
        }
      : null;

  return {
    offer,
    saved: async () => {
      clearTimeout(timer.current);
      done.current = true;
      dirtyRef.current = false;
      setNavigationGuard(null);
      setFormDirty(key, false);
      await clearDraft(key);
    },
  };
}
