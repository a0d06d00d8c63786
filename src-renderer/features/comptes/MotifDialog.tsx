// A decision on an account that needs a reason (refusing a request, disabling an account): a DSFR modal asks
// the reason — checked with the schema the server checks it with — then acts. A native <dialog> in the DSFR's
// modal markup, like ui/confirm.tsx: showModal() traps the focus and makes the page behind inert, Échap
// closes (as "Annuler"), the title names the dialog; the focus goes to the reason when it opens and back
// to the button that opened it when it closes without acting (after the action, the screen's message takes it).
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { z } from 'zod';
import { holdInitialFocus } from '../../ui/dialogFocus';
import { describeError } from './api';

export interface MotifDialogProps {
  /** Ids of the dialog and its parts start with it (two dialogs may be on one screen). */
  id: string;
  /** Open while set; its `id` reopens the dialog fresh for another account. */
  subject: { id: string } | null;
  title: string;
  text: ReactNode;
  label: string;
  hint: string;
  max: number;
  schema: z.ZodType<{ reason: string }>;
  submit: string;
  busy: string;
  /** Said when the call fails: what did not happen. */
  failure: string;
  act(reason: string): Promise<string>;
  /** Done: the server's sentence. */
  onDone(message: string): void;
  onCancel(): void;
}

export function MotifDialog(props: MotifDialogProps) {
  const { id, subject, schema } = props;
  const titleId = `${id}-titre`;
  const textId = `${id}-texte`;
  const fieldId = `${id}-motif`;
  const hintId = `${fieldId}-aide`;
  const errorId = `${fieldId}-erreur`;
  const formId = `${id}-formulaire`;
  const ref = useRef<HTMLDialogElement>(null);
  const field = useRef<HTMLTextAreaElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const acted = useRef(false);
  const [reason, setReason] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  // After a first try, the field's error follows what is typed (it goes once the reason is enough).
  const [tried, setTried] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const open = subject !== null;

  const reasonError = (r: string): string | null => {
    const parsed = schema.safeParse({ reason: r });
    return parsed.success ? null : (parsed.error.issues[0]?.message ?? 'Indiquez le motif.');
  };

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      acted.current = false;
      setReason('');
      setFieldError(null);
      setTried(false);
      setError(null);
      d.showModal();
      return holdInitialFocus(d, () => field.current);
    }
    if (!open) {
      if (d.open) d.close();
      const back = opener.current;
      opener.current = null;
      if (!acted.current && back?.isConnected) back.focus();
    }
  }, [open, subject?.id]);

  const cancel = () => {
    if (!busy) props.onCancel();
  };

  const submit = async () => {
    if (!subject || busy) return;
    setTried(true);
    const parsed = schema.safeParse({ reason });
    if (!parsed.success) {
      setFieldError(reasonError(reason));
      setError(null);
      field.current?.focus();
      return;
    }
    setFieldError(null);
    setError(null);
    setBusy(true);
    try {
      const message = await props.act(parsed.data.reason);
      acted.current = true;
      props.onDone(message);
    } catch (e) {
      setError(describeError(e, props.failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={ref}
      id={id}
      className={`fr-modal${open ? ' fr-modal--opened' : ''}`}
      aria-labelledby={titleId}
      aria-describedby={textId}
      data-testid={id}
      onCancel={(e) => {
        e.preventDefault();
        cancel();
      }}
      // Closed by something else than our buttons (the DSFR script on Échap): nothing is done.
      onClose={() => {
        if (open && !acted.current) props.onCancel();
      }}
    >
      <div className="fr-container fr-container--fluid fr-container-md">
        <div className="fr-grid-row fr-grid-row--center">
          <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
            <div className="fr-modal__body">
              <div className="fr-modal__header">
                <button type="button" className="fr-btn--close fr-btn" title="Fermer la fenêtre" onClick={cancel}>
                  Fermer
                </button>
              </div>
              <div className="fr-modal__content">
                <h2 id={titleId} className="fr-modal__title atlas-break">
                  {subject ? props.title : ''}
                </h2>
                {subject && (
                  <p id={textId} className="atlas-break">
                    {props.text}
                  </p>
                )}
                <form
                  id={formId}
                  noValidate
                  onSubmit={(e) => {
                    e.preventDefault();
                    void submit();
                  }}
                >
                  <div className={`fr-input-group${fieldError ? ' fr-input-group--error' : ''}`}>
                    <label className="fr-label" htmlFor={fieldId}>
                      {props.label}
                      <span aria-hidden="true" className="atlas-required">
                        {' '}
                        *
                      </span>
                      <span className="fr-sr-only"> (obligatoire)</span>
                      <span className="fr-hint-text" id={hintId}>
                        {props.hint} De 3 à {props.max} caractères.
                      </span>
                    </label>
                    <textarea
                      ref={field}
                      id={fieldId}
                      className={`fr-input${fieldError ? ' fr-input--error' : ''}`}
                      rows={4}
                      value={reason}
                      maxLength={props.max}
                      aria-required="true"
                      aria-invalid={fieldError ? true : undefined}
                      aria-describedby={fieldError ? `${hintId} ${errorId}` : hintId}
                      onChange={(e) => {
                        setReason(e.target.value);
                        if (tried) setFieldError(reasonError(e.target.value));
                      }}
                    />
                    {fieldError && (
                      <p id={errorId} className="fr-error-text">
                        {fieldError}
                      </p>
                    )}
                  </div>
                </form>
                {error && (
                  <div className="fr-alert fr-alert--error fr-alert--sm" role="alert">
                    <p>{error}</p>
                  </div>
                )}
              </div>
              <div className="fr-modal__footer">
                <ul className="fr-btns-group fr-btns-group--right fr-btns-group--inline-reverse fr-btns-group--inline-lg">
                  <li>
                    <button type="submit" form={formId} className="fr-btn" aria-disabled={busy || undefined}>
                      {busy ? props.busy : props.submit}
                    </button>
                  </li>
                  <li>
                    <button
                      type="button"
                      className="fr-btn fr-btn--secondary"
                      aria-disabled={busy || undefined}
                      onClick={cancel}
                    >
                      Annuler
                    </button>
                  </li>
                </ul>
              </div>
            </div>
          </div>
        </div>
      </div>
    </dialog>
  );
}
