// <Champ name="…" />: a field of the enclosing entity form (see entityForm.tsx), drawn from the field
// catalogue: label, required-ness, kind and choices. Props override what a screen words or draws otherwise.
import { createContext, useContext, type ReactNode } from 'react';
import type { UseFormRegisterReturn } from 'react-hook-form';
import { labelWithUnit, type FieldType } from '../../src-shared/domain/fields';
import { fieldInfo, type EntityName } from '../../src-shared/registry';
import { CheckboxField, CheckboxGroup, SelectField, TextField } from './form';

/** What <Champ> reads from its form. */
export interface ChampScope {
  entity: EntityName;
  formId: string;
  register(name: string): UseFormRegisterReturn;
  error(name: string): string | undefined;
}

/** Exported for tests, which draw fields without an edit session. */
export const ChampContext = createContext<ChampScope | null>(null);

export interface ChampProps {
  name: string;
  label?: string;
  required?: boolean;
  hint?: string;
  /** Input type; a date field is `date`, an e-mail `email`… by default. */
  type?: string;
  autoComplete?: string;
  inputMode?: 'decimal' | 'numeric' | 'email' | 'tel' | 'url' | 'text';
  rows?: number;
  /** Choices of a select or a checkbox group; the catalogue's by default. */
  options?: readonly { value: string; label: string }[];
  placeholder?: string;
  /** Checkbox group in columns. */
  columns?: boolean;
  after?: ReactNode;
}

const INPUTS: Partial<Record<FieldType, Pick<ChampProps, 'type' | 'inputMode'>>> = {
  email: { type: 'email', inputMode: 'email' },
  phone: { type: 'tel', inputMode: 'tel' },
  url: { type: 'url', inputMode: 'url' },
  date: { type: 'date' },
  amount: { inputMode: 'decimal' },
  coordinate: { inputMode: 'decimal' },
  integer: { inputMode: 'numeric' },
  year: { inputMode: 'numeric' },
  postalCode: { inputMode: 'numeric' },
};

/** One field of the enclosing entity form, drawn from the catalogue. */
export function Champ(p: ChampProps) {
  const scope = useContext(ChampContext);
  if (!scope) throw new Error(`<Champ name="${p.name}"> outside an entity form`);
  const info = fieldInfo(scope.entity, p.name);
  if (!info) throw new Error(`${scope.entity}.${p.name} is not in the field catalogue`);
  const common = {
    formId: scope.formId,
    name: p.name,
    label: p.label ?? labelWithUnit(info),
    required: p.required ?? info.required,
    hint: p.hint,
    reg: scope.register(p.name),
    error: scope.error(p.name),
  };
  const options = p.options ?? info.choices ?? [];
  switch (info.type) {
    case 'boolean':
      return <CheckboxField formId={common.formId} name={p.name} label={common.label} hint={p.hint} reg={common.reg} />;
    case 'choices':
      return <CheckboxGroup {...common} options={options} columns={p.columns} />;
    case 'choice':
    case 'country':
    case 'reference':
      // A choice the schema fills by default always holds a value: no empty entry (before, « Aucun » twice).
      return (
        <SelectField
          {...common}
          options={options}
          placeholder={info.defaultValue !== undefined ? false : p.placeholder}
          after={p.after}
        />
      );
    default: {
      const input = INPUTS[info.type] ?? {};
      return (
        <TextField
          {...common}
          type={p.type ?? input.type}
          inputMode={p.inputMode ?? input.inputMode}
          autoComplete={p.autoComplete}
          textarea={info.type === 'longText'}
          rows={p.rows}
          after={p.after}
        />
      );
    }
  }
}
