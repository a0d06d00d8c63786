// Never lose a keystroke: autosave a draft while typing (debounced), offer it when the form reopens,
// ask before leaving a dirty form (in-app navigation and window close).
import { useEffect, useRef, useState } from 'react';
import type { FieldValues, UseFormReturn } from 'react-hook-form';
import { clearDraft, saveDraft, useDraft } from '../app/data';
import { setNavigationGuard } from '../app/router';
import { setFormDirty } from './editState';

const DEBOUNCE_MS = 400;

export interface DraftOffer<V> {
  values: V;
  savedAt: string | null;
  restore(): void;
  discard(): void;
}

export function useFormSafety<V extends FieldValues>(key: string, form: UseFormReturn<V>): {
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
      if (!dirtyRef.current && !form.formState.isDirty) return;
      setFormDirty(key, true);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void saveDraft(key, values), DEBOUNCE_MS);
    });
    return () => {
      sub.unsubscribe();
      clearTimeout(timer.current);
    };
  }, [form, key]);

  // Flush the pending draft when the window goes away mid-typing.
  useEffect(() => {
    const flush = () => {
      if (dirtyRef.current) void saveDraft(key, form.getValues());
    };
    window.addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      document.removeEventListener('visibilitychange', flush);
    };
  }, [form, key]);

  const offer: DraftOffer<V> | null = !decided && draft && !isDirty
    ? {
        values: draft.value as V,
        savedAt: draft.savedAt ?? null,
        restore: () => {
          form.reset(form.formState.defaultValues as V, { keepDefaultValues: true });
          for (const [k, v] of Object.entries(draft.value as Record<string, unknown>)) {
            form.setValue(k as never, v as never, { shouldDirty: true });
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
      dirtyRef.current = false;
      setNavigationGuard(null);
      setFormDirty(key, false);
      await clearDraft(key);
    },
  };
}
