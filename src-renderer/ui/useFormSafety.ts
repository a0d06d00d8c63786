// Never lose a keystroke: autosave a draft while typing (debounced), offer it when the form reopens,
// ask before leaving a dirty form (in-app navigation and window close).
import { useEffect, useRef, useState } from 'react';
import type { FieldValues, UseFormReturn } from 'react-hook-form';
import { sameValue } from '../../src-shared/sync/merge';
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

/**
 * Whether values are worth a draft: they differ from the form's defaults (what it opened or was reset
 * on) and from what its last save wrote. Decided on the values themselves, not on react-hook-form's
 * `isDirty`, which a watch callback reads as of the last render (before, a save followed by a reset
 * could leave the form "saved" for its next entry, so that entry kept no draft, and a form still holding
 * the values it saved could write them back as an "unsaved" draft after the save had cleared it).
 */
export function draftWorthKeeping(values: unknown, defaults: unknown, lastSaved: unknown): boolean {
  return !sameValue(values, defaults) && (lastSaved === undefined || !sameValue(values, lastSaved));
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
  // What the last save wrote: the same values are never written back as an "unsaved" draft.
  const lastSaved = useRef<unknown>(undefined);
  const worth = (values: unknown) => draftWorthKeeping(values, form.control._defaultValues, lastSaved.current);
  const dirtyRef = useRef(false);
  dirtyRef.current = isDirty && worth(form.getValues());
  // Each save starts a new generation: a write scheduled or started before it never lands after it.
  const generation = useRef(0);
  const inflight = useRef<Promise<void>>(Promise.resolve());
  const optsRef = useRef(opts);
  optsRef.current = opts;
  const write = (values: unknown, gen = generation.current) => {
    if (gen !== generation.current || !worth(values)) return inflight.current;
    const ctx = optsRef.current.context;
    const run = inflight.current
      .then(() =>
        gen === generation.current
          ? saveDraft(key, ctx ? { [WRAPPED]: 1, values, context: ctx() } : values)
          : undefined,
      )
      .catch((e: unknown) => console.warn('Brouillon non enregistré', e));
    inflight.current = run;
    return run;
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
      clearTimeout(timer.current);
      // Back to the defaults (a reset for the next entry) or to what was just saved: nothing to keep.
      if (!worth(values)) return;
      setFormDirty(key, true);
      const gen = generation.current;
      const snapshot = structuredClone(values);
      timer.current = setTimeout(() => void write(snapshot, gen), DEBOUNCE_MS);
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
      generation.current++;
      lastSaved.current = structuredClone(form.getValues());
      dirtyRef.current = false;
      setNavigationGuard(() => dirtyRef.current);
      setFormDirty(key, false);
      // A draft write already under way finishes first, then the draft goes.
      await inflight.current;
      await clearDraft(key);
    },
  };
}
