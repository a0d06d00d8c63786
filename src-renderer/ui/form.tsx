// Form building blocks: react-hook-form driven by the src-shared zod schemas, with DSFR markup.
// Inputs hold strings (French decimal comma, empty = nothing); `toRecord` turns them into the record
// the shared schema validates, so the form, the local database and the server say the same thing.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import type { FieldErrors, FieldValues, Resolver, UseFormRegisterReturn } from 'react-hook-form';
import type { z } from 'zod';
import type { Warning } from '../../src-shared/domain/warnings';
import { useFieldNotice } from './fieldNotices';
import { formatDate } from './format';

export interface FlatError {
  field: string;
  message: string;
}

/** Dotted path (`cofinancements.0.montant`) → message, the first per field. */
export type ErrorMap = Record<string, string>;

export function zodIssuesToMap(error: z.ZodError): ErrorMap {
  const map: ErrorMap = {};
  for (const i of error.issues) {
    const k = i.path.length ? i.path.map(String).join('.') : '_';
    map[k] ??= i.message;
  }
  return map;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown) {
  const parts = path.split('.');
  let o = target;
  parts.forEach((p, idx) => {
    if (idx === parts.length - 1) o[p] = value;
    else o = (o[p] ??= {}) as Record<string, unknown>;
  });
}

/**
 * A resolver running the shared schema on the converted record, then `more` (the rules of a write, a
 * duplicate among the device's records…) with the fields the schema refused, so that one submit shows
 * every error at once.
 */
export function schemaResolver<V extends FieldValues>(
  schema: z.ZodType,
  toRecord: (values: V) => Record<string, unknown>,
  more?: (record: Record<string, unknown>, invalid: ReadonlySet<string>) => FlatError[],
): Resolver<V> {
  return async (values) => {
    const record = toRecord(values);
    const r = schema.safeParse(record);
    const map: ErrorMap = r.success ? {} : zodIssuesToMap(r.error);
    const invalid = new Set(r.success ? [] : r.error.issues.map((i) => String(i.path[0] ?? '')));
    for (const e of more?.(record, invalid) ?? []) map[e.field] ??= e.message;
    if (!Object.keys(map).length) return { values, errors: {} };
    const errors: Record<string, unknown> = {};
    for (const [k, message] of Object.entries(map)) setPath(errors, k, { type: 'schema', message });
    return { values: {}, errors: errors as FieldErrors<V> };
  };
}

/** RHF nested errors → flat list in the form's field order (for the summary). */
export function flattenErrors(errors: FieldErrors, prefix = ''): FlatError[] {
  const out: FlatError[] = [];
  for (const [k, v] of Object.entries(errors)) {
    if (!v || k === 'ref') continue;
    const path = prefix ? `${prefix}.${k}` : k;
    const e = v as { message?: unknown };
    if (typeof e.message === 'string') out.push({ field: path, message: e.message });
    else if (typeof v === 'object') out.push(...flattenErrors(v as FieldErrors, path));
  }
  return out;
}

export function fieldId(formId: string, name: string): string {
  return `${formId}-${name.replace(/\./g, '-')}`;
}

/**
 * When forms check their fields: at submit, then live as the person corrects them. Checking on leaving a
 * field made an error appear above the submit button while it was being clicked: the button moved
 * between press and release and the click was lost.
 */
export const CHECK_MODE = { mode: 'onSubmit', reValidateMode: 'onChange' } as const;

/** Errors in the order their fields appear on screen (the resolver reports them in the schema's order). */
function inFieldOrder(formId: string, errors: FlatError[]): FlatError[] {
  const el = (e: FlatError) => document.getElementById(fieldId(formId, e.field));
  return [...errors].sort((a, b) => {
    const x = el(a);
    const y = el(b);
    if (x && y) return x === y ? 0 : x.compareDocumentPosition(y) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
    return x ? -1 : y ? 1 : 0;
  });
}

/** Summary at the top, announced and focused after a failed submit; each line links to its field. */
export function ErrorSummary(props: { formId: string; errors: FlatError[]; focusKey: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const focused = useRef(0);
  const has = props.errors.length > 0;
  // Once per failed submit, as soon as the summary is on screen (errors and the submit count may land in different renders).
  useEffect(() => {
    if (props.focusKey > focused.current && has && ref.current) {
      focused.current = props.focusKey;
      ref.current.focus();
    }
  }, [props.focusKey, has]);
  if (!props.errors.length) return null;
  return (
    <div
      ref={ref}
      tabIndex={-1}
      role="alert"
      className="fr-alert fr-alert--error fr-mb-3w"
      aria-labelledby={`${props.formId}-errsum`}
    >
      <h2 id={`${props.formId}-errsum`} className="fr-alert__title">
        {props.errors.length === 1
          ? 'Le formulaire contient 1 erreur'
          : `Le formulaire contient ${props.errors.length} erreurs`}
      </h2>
      <ul>
        {inFieldOrder(props.formId, props.errors).map((e) => (
          <li key={e.field}>
            <a
              href={`#${fieldId(props.formId, e.field)}`}
              onClick={(ev) => {
                ev.preventDefault();
                document.getElementById(fieldId(props.formId, e.field))?.focus();
              }}
            >
              {e.message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * Quality warnings: advice, never blocking, shown apart from errors. The live region stays mounted
 * (empty when there is nothing to say): a region inserted together with its text is often not announced.
 */
export function WarningNotice(props: { warnings: Warning[]; action?: ReactNode }) {
  const has = props.warnings.length > 0;
  return (
    <div className={has ? 'fr-alert fr-alert--warning fr-alert--sm fr-mt-1w' : undefined}>
      <div role="status">
        {props.warnings.map((w) => (
          <p key={w.code}>
            <strong>Conseil : </strong>
            {w.message}
          </p>
        ))}
      </div>
      {has && props.action}
    </div>
  );
}

interface FieldCommon {
  formId: string;
  name: string;
  label: string;
  required?: boolean;
  hint?: string;
  error?: string;
}

/** A field's label, with the required marks (seen and spoken) and its hint. */
export function Label(p: { htmlFor: string; label: string; required?: boolean; hint?: string }) {
  return (
    <label className="fr-label" htmlFor={p.htmlFor}>
      {p.label}
      {p.required && (
        <span aria-hidden="true" className="atlas-required">
          {' '}
          *
        </span>
      )}
      {p.required && <span className="fr-sr-only"> (obligatoire)</span>}
      {p.hint && <span className="fr-hint-text">{p.hint}</span>}
    </label>
  );
}

function ErrorText(p: { id: string; error?: string }) {
  return p.error ? (
    <p id={p.id} className="fr-error-text">
      {p.error}
    </p>
  ) : null;
}

const NBSP = '\u00a0';

/**
 * "Modifié entre-temps…": the field's value changed on record (pulled from another device) after the
 * person changed it here. The live region stays mounted (polite); the field points at it with
 * aria-describedby while it speaks, and a button takes the new value.
 */
function ChangedNote(p: {
  id: string;
  label: string;
  notice: { value: unknown; take(): void } | null;
  show(v: unknown): string;
}) {
  const text = p.notice ? p.show(p.notice.value) : '';
  return (
    <div className="atlas-entre-temps">
      <div id={p.id} aria-live="polite">
        {p.notice && (
          <p className="fr-message fr-message--info fr-mb-1v" data-testid="modifie-entre-temps">
            {text
              ? `Modifié entre-temps sur un autre poste${NBSP}: «${NBSP}${text}${NBSP}»`
              : `Modifié entre-temps sur un autre poste${NBSP}: valeur effacée`}
          </p>
        )}
      </div>
      {p.notice && (
        <button type="button" className="fr-btn fr-btn--sm fr-btn--secondary fr-mb-2w" onClick={p.notice.take}>
          Reprendre cette valeur
          <span className="fr-sr-only">
            {' '}
            pour «{NBSP}
            {p.label}
            {NBSP}»
          </span>
        </button>
      )}
    </div>
  );
}

/** aria-describedby of a field: its error and its "modifié entre-temps" note, when present. */
function describedBy(...ids: (string | false | null | undefined)[]): string | undefined {
  const list = ids.filter((x): x is string => !!x);
  return list.length ? list.join(' ') : undefined;
}

const showText = (v: unknown) => (typeof v === 'string' ? v.trim() : v === null || v === undefined ? '' : String(v));

export function TextField(
  p: FieldCommon & {
    reg: UseFormRegisterReturn;
    type?: string;
    autoComplete?: string;
    inputMode?: 'decimal' | 'numeric' | 'email' | 'tel' | 'url' | 'text';
    textarea?: boolean;
    rows?: number;
    after?: ReactNode;
  },
) {
  const id = fieldId(p.formId, p.name);
  const errId = `${id}-error`;
  const noteId = `${id}-entre-temps`;
  const notice = useFieldNotice(p.name);
  const common = {
    id,
    className: `fr-input${p.error ? ' fr-input--error' : ''}`,
    'aria-invalid': p.error ? true : undefined,
    'aria-describedby': describedBy(p.error && errId, notice && noteId),
    'aria-required': p.required || undefined,
    ...p.reg,
  };
  return (
    <div className={`fr-input-group${p.error ? ' fr-input-group--error' : ''}`}>
      <Label {...p} htmlFor={id} />
      {p.textarea ? (
        <textarea {...common} rows={p.rows ?? 4} />
      ) : (
        <input {...common} type={p.type ?? 'text'} autoComplete={p.autoComplete ?? 'off'} inputMode={p.inputMode} />
      )}
      <ErrorText id={errId} error={p.error} />
      <ChangedNote
        id={noteId}
        label={p.label}
        notice={notice}
        show={(v) => (p.type === 'date' && v ? formatDate(showText(v)) : showText(v))}
      />
      {p.after}
    </div>
  );
}

export function SelectField(
  p: FieldCommon & {
    reg: UseFormRegisterReturn;
    options: readonly { value: string; label: string }[];
    /** The empty entry's text; false: no empty entry (a field that always holds a value). */
    placeholder?: string | false;
    after?: ReactNode;
  },
) {
  const id = fieldId(p.formId, p.name);
  const errId = `${id}-error`;
  const noteId = `${id}-entre-temps`;
  const notice = useFieldNotice(p.name);
  return (
    <div className={`fr-select-group${p.error ? ' fr-select-group--error' : ''}`}>
      <Label {...p} htmlFor={id} />
      <select
        id={id}
        className={`fr-select${p.error ? ' fr-select--error' : ''}`}
        aria-invalid={p.error ? true : undefined}
        aria-describedby={describedBy(p.error && errId, notice && noteId)}
        aria-required={p.required || undefined}
        {...p.reg}
      >
        {p.placeholder !== false && <option value="">{p.placeholder ?? 'Sélectionnez une option'}</option>}
        {p.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <ErrorText id={errId} error={p.error} />
      <ChangedNote
        id={noteId}
        label={p.label}
        notice={notice}
        show={(v) => p.options.find((o) => o.value === v)?.label ?? showText(v)}
      />
      {p.after}
    </div>
  );
}

export function CheckboxField(p: {
  formId: string;
  name: string;
  label: string;
  hint?: string;
  reg: UseFormRegisterReturn;
}) {
  const id = fieldId(p.formId, p.name);
  const noteId = `${id}-entre-temps`;
  const notice = useFieldNotice(p.name);
  return (
    <>
      <div className="fr-checkbox-group fr-mb-2w">
        <input type="checkbox" id={id} aria-describedby={describedBy(notice && noteId)} {...p.reg} />
        <label className="fr-label" htmlFor={id}>
          {p.label}
          {p.hint && <span className="fr-hint-text">{p.hint}</span>}
        </label>
      </div>
      <ChangedNote id={noteId} label={p.label} notice={notice} show={(v) => (v ? 'coché' : 'non coché')} />
    </>
  );
}

/** A group of checkboxes bound to an array field (thématiques, ODD). */
export function CheckboxGroup(
  p: FieldCommon & {
    reg: UseFormRegisterReturn;
    options: readonly { value: string; label: string }[];
    columns?: boolean;
  },
) {
  const base = fieldId(p.formId, p.name);
  const errId = `${base}-error`;
  const noteId = `${base}-entre-temps`;
  const notice = useFieldNotice(p.name);
  const labelOf = (v: string) => p.options.find((o) => o.value === v)?.label ?? v;
  return (
    <fieldset
      className={`fr-fieldset${p.error ? ' fr-fieldset--error' : ''}`}
      aria-describedby={describedBy(p.error && errId, notice && noteId)}
      id={`${base}-fieldset`}
    >
      <legend className="fr-fieldset__legend fr-text--regular">
        {p.label}
        {p.required && (
          <span aria-hidden="true" className="atlas-required">
            {' '}
            *
          </span>
        )}
        {p.required && <span className="fr-sr-only"> (obligatoire)</span>}
        {p.hint && <span className="fr-hint-text">{p.hint}</span>}
      </legend>
      <div className={p.columns ? 'atlas-columns' : undefined}>
        {p.options.map((o, i) => {
          const id = i === 0 ? base : `${base}-${o.value}`;
          return (
            <div className="fr-fieldset__element" key={o.value}>
              <div className="fr-checkbox-group fr-checkbox-group--sm">
                <input type="checkbox" id={id} value={o.value} {...p.reg} />
                <label className="fr-label" htmlFor={id}>
                  {o.label}
                </label>
              </div>
            </div>
          );
        })}
      </div>
      {p.error && (
        <div className="fr-messages-group">
          <p id={errId} className="fr-message fr-message--error">
            {p.error}
          </p>
        </div>
      )}
      <ChangedNote
        id={noteId}
        label={p.label}
        notice={notice}
        show={(v) => (Array.isArray(v) ? v.map((x) => labelOf(String(x))).join(', ') : showText(v))}
      />
    </fieldset>
  );
}

export function useFormId(prefix: string): string {
  return `${prefix}${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
}

/** Boolean-ish value → trimmed string or null. */
export function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

/** The "modifié entre-temps" note for a field the screen draws itself (a table of lines…). */
export function FieldChangedNote(p: { formId: string; name: string; label: string; show(v: unknown): string }) {
  const notice = useFieldNotice(p.name);
  return <ChangedNote id={`${fieldId(p.formId, p.name)}-entre-temps`} label={p.label} notice={notice} show={p.show} />;
}
