// The shared core of every record form. An edit form remembers what it was opened on (each field's
// value and base, `EditBase`), follows the record live while open, and saves only the fields the person
// changed, each with the base it was opened on: a value pulled meanwhile is never written back over, and
// a field changed underneath one the person changed is shown next to it before they save. A new-record
// form gets its id when it opens, so a second submit or a restored draft updates that record instead
// of adding a copy.
import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { FieldValues, Path, PathValue, UseFormReturn } from 'react-hook-form';
import { entityDef, type EntityName } from '../../src-shared/registry';
import { sameValue } from '../../src-shared/sync/merge';
import { newId } from '../../src-shared/sync/ids';
import { repository, ValidationError, type EditBase } from '../core/data';
import {
  changedFields,
  changedUnderneath,
  followLive,
  isEditBase,
  restoreOnto,
  saveEdit,
  type DraftContext,
  type Rec,
} from './editSession';
import { userMessage } from './errors';
import type { FieldNotices } from './fieldNotices';
import { useFormSafety, type DraftOffer } from './useFormSafety';

export interface RecordEditOptions<V extends FieldValues> {
  form: UseFormReturn<V>;
  entity: EntityName;
  /** The record being edited as loaded, or undefined for a new one. */
  record: Rec | undefined;
  /** Record → form values (strings as inputs hold them). */
  toValues(record: Rec): V;
  /** Form values → the record the shared schema validates. */
  toRecord(values: V): Rec;
  /** Key of the form's draft. */
  draftKey: string;
}

export interface RecordEdit<V> {
  offer: DraftOffer<V> | null;
  /** Save the submitted values; the record id, or null when the save failed (errors set on the form). */
  save(values: V): Promise<string | null>;
  /** Drop the draft and release the leave guard (cancel, delete). */
  saved(): Promise<void>;
  /** After a form that stays open was reset for another new record: the next save creates a new one. */
  renew(): void;
  notices: FieldNotices;
}

const KEEP = {
  keepValues: true,
  keepDirty: true,
  keepErrors: true,
  keepIsSubmitted: true,
  keepSubmitCount: true,
  keepTouched: true,
  keepIsValid: true,
} as const;

function baseOf(record: Rec | undefined): EditBase {
  const { id: _id, ...values } = record ?? {};
  return { values, bases: {}, under: {} };
}

export function useRecordEdit<V extends FieldValues>(o: RecordEditOptions<V>): RecordEdit<V> {
  const { form, entity } = o;
  const id = typeof o.record?.id === 'string' ? o.record.id : null;
  const opts = useRef(o);
  opts.current = o;
  const base = useRef<EditBase>(baseOf(o.record));
  const liveRef = useRef<EditBase | null>(null);
  const newIdRef = useRef<string>(newId());
  const [changed, setChanged] = useState<Record<string, unknown>>({});

  const valuesOf = useCallback((values: Rec): Rec => opts.current.toValues({ ...values, id }) as Rec, [id]);
  const normOf = useCallback((values: Rec): Rec => opts.current.toRecord(valuesOf(values) as V), [valuesOf]);

  const refreshNotices = useCallback(() => {
    const live = liveRef.current;
    const next = live
      ? changedUnderneath(form.getValues() as Rec, valuesOf(base.current.values), valuesOf(live.values))
      : {};
    setChanged((prev) => (sameValue(prev, next) ? prev : next));
  }, [form, valuesOf]);

  /** Move the form's defaults to the base's values; fields the person has not changed follow. */
  const applyBase = useCallback(
    (prev: EditBase, next: EditBase) => {
      const before = valuesOf(prev.values);
      const after = valuesOf(next.values);
      const keys = Object.keys(after).filter((k) => !sameValue(after[k], before[k]));
      if (!keys.length) return;
      const current = form.getValues() as Rec;
      form.reset(after as V, KEEP);
      for (const k of keys) {
        const untouched = sameValue(current[k], before[k]);
        form.setValue(k as Path<V>, (untouched ? after[k] : current[k]) as PathValue<V, Path<V>>, {
          shouldDirty: true,
        });
      }
    },
    [form, valuesOf],
  );

  const follow = useCallback(
    (live: EditBase) => {
      liveRef.current = live;
      const prev = base.current;
      const current = opts.current.toRecord(form.getValues());
      base.current = followLive(prev, live, current, normOf(prev.values), normOf(live.values));
      applyBase(prev, base.current);
      refreshNotices();
    },
    [form, normOf, applyBase, refreshNotices],
  );

  // Following the record is a help: if reading it fails, the form stays usable (and the save reads it again).
  const live = useLiveQuery(
    () =>
      id
        ? repository.editBase(entity, id).catch((e: unknown) => {
            console.warn('Suivi de l’enregistrement impossible', e);
            return null;
          })
        : null,
    [entity, id],
  );
  useEffect(() => {
    if (live) follow(live.base);
  }, [live, follow]);

  useEffect(() => {
    const sub = form.watch(() => refreshNotices());
    return () => sub.unsubscribe();
  }, [form, refreshNotices]);

  const setAll = (values: V) => {
    form.reset(form.formState.defaultValues as V, { keepDefaultValues: true });
    for (const [k, v] of Object.entries(values as Rec))
      form.setValue(k as Path<V>, v as PathValue<V, Path<V>>, { shouldDirty: true });
  };

  const safety = useFormSafety(o.draftKey, form, {
    context: (): DraftContext => (id ? { base: base.current } : { id: newIdRef.current }),
    restore: (values, ctx) => {
      const c = (ctx ?? {}) as DraftContext;
      if (!id) {
        if (typeof c.id === 'string') newIdRef.current = c.id;
        setAll(values);
        return;
      }
      // A draft from before drafts carried their base: as before, every value comes back.
      if (!isEditBase(c.base)) {
        setAll(values);
        return;
      }
      const draftOpened = valuesOf(c.base.values);
      const keys = Object.keys(values).filter((k) => !sameValue((values as Rec)[k], draftOpened[k]));
      const touched = changedFields(opts.current.toRecord(values), opts.current.toRecord(draftOpened as V));
      base.current = restoreOnto(base.current, c.base, touched);
      form.reset(valuesOf(base.current.values) as V);
      for (const k of keys)
        form.setValue(k as Path<V>, (values as Rec)[k] as PathValue<V, Path<V>>, { shouldDirty: true });
      if (liveRef.current) follow(liveRef.current);
    },
  });

  // Saves of one form run one after the other: a double submit finds the record the first one created.
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const save = (values: V): Promise<string | null> => {
    const run = queue.current.then(() => saveNow(values));
    queue.current = run.catch(() => undefined);
    return run;
  };

  const saveNow = async (values: V): Promise<string | null> => {
    const { toRecord } = opts.current;
    try {
      let savedId: string;
      if (!id) {
        const { id: _placeholder, ...fields } = toRecord(values);
        const rid = newIdRef.current;
        const natural = !!entityDef(entity).naturalKey;
        // Already saved from this form (a second submit, a draft restored after the save): update it.
        const existing = natural ? undefined : await repository.get(entity, rid);
        const rec = existing
          ? await repository.update(entity, rid, fields)
          : await repository.create(entity, natural ? fields : { ...fields, id: rid });
        savedId = (rec as { id: string }).id;
      } else {
        // The base must have seen the record as it is now (a save can come before the first live answer).
        const now = await repository.editBase(entity, id);
        if (now) follow(now.base);
        await saveEdit(repository, entity, id, toRecord(form.getValues()), normOf(base.current.values), base.current);
        savedId = id;
      }
      await safety.saved();
      return savedId;
    } catch (e) {
      if (e instanceof ValidationError) {
        for (const fe of e.errors)
          form.setError((fe.field || 'root') as Path<V>, { type: 'server', message: fe.message });
        return null;
      }
      form.setError('root' as Path<V>, { type: 'server', message: userMessage(e, 'L’enregistrement a échoué.') });
      return null;
    }
  };

  const take = useCallback(
    (name: string) => {
      const live = liveRef.current;
      if (!live) return;
      const value = valuesOf(live.values)[name];
      form.setValue(name as Path<V>, value as PathValue<V, Path<V>>, {
        shouldDirty: true,
        shouldValidate: form.formState.isSubmitted,
      });
      follow(live);
    },
    [form, valuesOf, follow],
  );

  const notices = useMemo<FieldNotices>(() => ({ changed, take }), [changed, take]);
  return {
    offer: safety.offer,
    save,
    saved: safety.saved,
    renew: () => {
      newIdRef.current = newId();
    },
    notices,
  };
}
