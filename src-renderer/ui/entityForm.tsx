// One record form: useEntityForm holds what every edit form repeated (the shared schema as resolver,
// when to check, the edit session, the form id, the failed-submit counter); the frame components draw
// its alerts and bind <Champ name="…" /> (champ.tsx) to it through context.
import { useRef, useState, type BaseSyntheticEvent, type FormHTMLAttributes, type ReactNode } from 'react';
import {
  useForm,
  type DefaultValues,
  type FieldErrors,
  type FieldValues,
  type Path,
  type UseFormReturn,
} from 'react-hook-form';
import { entityDef, writeRuleErrors, type EntityName, type EntityRecord } from '../../src-shared/registry';
import { href } from '../core/router';
import { ChampContext, type ChampScope } from './champ';
import { DraftBanner, RootError } from './crud';
import { changedFields, type Rec } from './editSession';
import { FieldNoticesContext } from './fieldNotices';
import { CHECK_MODE, ErrorSummary, flattenErrors, schemaResolver, useFormId, type FlatError } from './form';
import { useRecordEdit, type RecordEdit } from './useRecordEdit';

export interface EntityFormOptions<N extends EntityName, V extends FieldValues> {
  entity: N;
  /** Prefix of the form's id (and so of its fields' ids). */
  idPrefix: string;
  /** The record being edited as loaded, or undefined for a new one. */
  record: EntityRecord<N> | undefined;
  /** Record → form values (strings as inputs hold them). */
  toValues(record: EntityRecord<N> | undefined): V;
  /** Form values → the record the shared schema validates. */
  toRecord(values: V): Rec;
  /** Key of the form's draft. */
  draftKey: string;
  /** After a successful save, with the record's id. */
  onSaved(id: string, values: V): void | Promise<void>;
  /** Checks of the screen beyond the record (a duplicate among the device's records…), shown with the others. */
  check?(record: Rec, invalid: ReadonlySet<string>): FlatError[];
}

export interface EntityForm<V extends FieldValues> {
  entity: EntityName;
  formId: string;
  form: UseFormReturn<V>;
  edit: RecordEdit<V>;
  errors: FieldErrors<V>;
  /** Failed submits so far: the error summary takes focus after each. */
  submits: number;
  onSubmit: (e?: BaseSyntheticEvent) => Promise<void>;
  /** The form's fields by name, for <Champ>. */
  scope: ChampScope;
}

export function useEntityForm<N extends EntityName, V extends FieldValues>(o: EntityFormOptions<N, V>): EntityForm<V> {
  const formId = useFormId(o.idPrefix);
  const [submits, setSubmits] = useState(0);
  // The resolver reads the latest options (the screen's check follows the device's records).
  const latest = useRef(o);
  latest.current = o;
  const form = useForm<V, unknown, V>({
    // DeepPartial<V> holds every V, but TypeScript cannot see it for a type parameter.
    defaultValues: o.toValues(o.record) as DefaultValues<V>,
    resolver: schemaResolver(entityDef(o.entity).schema, o.toRecord, (rec, invalid) => [
      // The rules of a write run on the fields the person changed (all of them for a new record), as on
      // the server: an old record that breaks a newer rule can still be edited elsewhere.
      ...writeRuleErrors(o.entity, rec, o.record ? changedFields(rec, o.toRecord(o.toValues(o.record))) : 'all', {
        invalid,
      }),
      ...(latest.current.check?.(rec, invalid) ?? []),
    ]),
    ...CHECK_MODE,
    shouldFocusError: false,
  });
  const edit = useRecordEdit({
    form,
    entity: o.entity,
    record: o.record,
    // The edit session hands back records read from the local database: of this entity.
    toValues: (r) => o.toValues(r as EntityRecord<N>),
    toRecord: o.toRecord,
    draftKey: o.draftKey,
  });
  // Read here so the form re-renders when they change (react-hook-form subscribes on read).
  const errors = form.formState.errors;
  const onSubmit = form.handleSubmit(
    async (v) => {
      const id = await edit.save(v);
      if (id) await o.onSaved(id, v);
    },
    () => setSubmits((n) => n + 1),
  );
  const scope: ChampScope = {
    entity: o.entity,
    formId,
    // Champ names are form field names; react-hook-form types them per form, the context cannot.
    register: (name) => form.register(name as Path<V>),
    error: (name) => form.getFieldState(name as Path<V>, form.formState).error?.message,
  };
  return { entity: o.entity, formId, form, edit, errors, submits, onSubmit, scope };
}

/** Fields changed underneath and the catalogue binding, without drawing anything (forms laid out apart). */
export function FormScope<V extends FieldValues>({ form, children }: { form: EntityForm<V>; children: ReactNode }) {
  return (
    <FieldNoticesContext.Provider value={form.edit.notices}>
      <ChampContext.Provider value={form.scope}>{children}</ChampContext.Provider>
    </FieldNoticesContext.Provider>
  );
}

/** Draft offer, error summary and the save's own error, above a form's fields. */
export function FormAlerts<V extends FieldValues>({ form }: { form: EntityForm<V> }) {
  return (
    <>
      <DraftBanner offer={form.edit.offer} />
      <ErrorSummary formId={form.formId} errors={flattenErrors(form.errors)} focusKey={form.submits} />
      <RootError message={form.errors.root?.message} />
    </>
  );
}

/** The usual frame: alerts, then the <form> holding the fields. */
export function EntityFormFrame<V extends FieldValues>({
  form,
  children,
  ...rest
}: { form: EntityForm<V>; children: ReactNode } & Omit<FormHTMLAttributes<HTMLFormElement>, 'id' | 'onSubmit'>) {
  return (
    <>
      <FormAlerts form={form} />
      <FormScope form={form}>
        <form id={form.formId} onSubmit={form.onSubmit} noValidate {...rest}>
          {children}
        </form>
      </FormScope>
    </>
  );
}

/** Save, then cancel (a link back) under a form; `children` adds the others (delete…). Save waits for the one in progress. */
export function FormActions<V extends FieldValues>(p: {
  form: EntityForm<V>;
  save?: string;
  cancelTo?: string;
  className?: string;
  children?: ReactNode;
}) {
  return (
    <div className={p.className ? `atlas-actions ${p.className}` : 'atlas-actions'}>
      <button type="submit" className="fr-btn" disabled={p.form.form.formState.isSubmitting}>
        {p.save ?? 'Enregistrer'}
      </button>
      {p.cancelTo && (
        <a className="fr-btn fr-btn--secondary" href={href(p.cancelTo)}>
          Annuler
        </a>
      )}
      {p.children}
    </div>
  );
}

export { Champ } from './champ';
