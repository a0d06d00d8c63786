// A lone input held in a screen's state, outside an entity form (the year of a declaration to open, the
// date of a conversion): the form fields' label, and its error as an alert since no summary announces it.
import type { CSSProperties } from 'react';
import { Label } from './form';

export function StateField(p: {
  id: string;
  errorId: string;
  label: string;
  required?: boolean;
  type?: string;
  inputMode?: 'numeric' | 'decimal';
  value: string;
  onChange(value: string): void;
  error: string | null;
  style?: CSSProperties;
}) {
  return (
    <div className={`fr-input-group${p.error ? ' fr-input-group--error' : ''}`} style={p.style}>
      <Label htmlFor={p.id} label={p.label} required={p.required} />
      <input
        className="fr-input"
        type={p.type}
        id={p.id}
        inputMode={p.inputMode}
        value={p.value}
        onChange={(e) => p.onChange(e.target.value)}
        aria-describedby={p.error ? p.errorId : undefined}
        aria-invalid={p.error ? true : undefined}
      />
      {p.error && (
        <p className="fr-error-text" id={p.errorId} role="alert">
          {p.error}
        </p>
      )}
    </div>
  );
}
