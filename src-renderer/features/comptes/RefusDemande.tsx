// Refusing an account request: a DSFR modal asks the reason (required: it is mailed to the request's
// author and kept with the refused request on the server), then refuses. A native <dialog> in the DSFR's
// modal markup, like ui/confirm.tsx: showModal() traps the focus and makes the page behind inert, Échap
// closes (as "Annuler"), the title names the dialog; the focus goes to the reason when it opens and back
// to the "Refuser" button when it closes without refusing (after a refusal the screen's message takes it).
import { useEffect, useRef, useState } from 'react';
import { REFUSE_REASON_MAX, refuseAccountRequest, type PendingAccount } from '../../../src-shared/api/accounts';
import { describeError, refuseAccount } from './api';

const TITLE_ID = 'refuser-demande-titre';
const TEXT_ID = 'refuser-demande-texte';
const FIELD_ID = 'refuser-demande-motif';
const HINT_ID = `${FIELD_ID}-aide`;
const ERROR_ID = `${FIELD_ID}-erreur`;
const FORM_ID = 'refuser-demande-formulaire';

/** The reason's error, from the shared schema the server checks it with; null when it is fine. */
function reasonError(reason: string): string | null {
  const r = refuseAccountRequest.safeParse({ reason });
  return r.success ? null : (r.error.issues[0]?.message ?? 'Indiquez le motif du refus.');
}

export function RefusDemande(props: {
  request: PendingAccount | null;
  /** Refused: the server's sentence (names the request, says its author was told). */
  onRefused(request: PendingAccount, message: string): void;
  onCancel(): void;
}) {
  const { request } = props;
  const ref = useRef<HTMLDialogElement>(null);
  const field = useRef<HTMLTextAreaElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const refused = useRef(false);
  const [reason, setReason] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  // After a first try, the field's error follows what is typed (it goes once the reason is enough).
  const [tried, setTried] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const open = request !== null;

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      refused.current = false;
      setReason('');
      setFieldError(null);
      setTried(false);
      setError(null);
      d.showModal();
      // On the reason. After a turn too: the DSFR script, which also watches `.fr-modal`, moves the focus when it takes the dialog over.
      const toField = () => {
        if (d.open && !d.contains(document.activeElement)) field.current?.focus();
      };
      field.current?.focus();
      setTimeout(toField, 0);
      setTimeout(toField, 100);
    }
    if (!open) {
      if (d.open) d.close();
      const back = opener.current;
      opener.current = null;
      if (!refused.current && back?.isConnected) back.focus();
    }
  }, [open, request?.id]);

  const cancel = () => {
    if (!busy) props.onCancel();
  };

  const submit = async () => {
    if (!request || busy) return;
    setTried(true);
    const parsed = refuseAccountRequest.safeParse({ reason });
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
      const message = await refuseAccount(request.id, parsed.data.reason);
      refused.current = true;
      props.onRefused(request, message);
    } catch (e) {
      setError(describeError(e, 'Le refus n’a pas abouti : la demande est toujours en attente.'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={ref}
      id="refuser-demande"
      className={`fr-modal${open ? ' fr-modal--opened' : ''}`}
      aria-labelledby={TITLE_ID}
      aria-describedby={TEXT_ID}
      data-testid="refuser-demande"
      onCancel={(e) => {
        e.preventDefault();
        cancel();
      }}
      // Closed by something else than our buttons (the DSFR script on Échap): nothing is refused.
      onClose={() => {
        if (open && !refused.current) props.onCancel();
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
                <h2 id={TITLE_ID} className="fr-modal__title atlas-break">
                  {request ? `Refuser la demande de ${request.nom} ?` : ''}
                </h2>
                {request && (
                  <p id={TEXT_ID} className="atlas-break">
                    {request.nom} ({request.email}), {request.fonction}
                    {request.collectiviteNom ? `, pour ${request.collectiviteNom}` : ''}, ne pourra pas se connecter
                    avec cette demande. Son auteur recevra le motif par courriel et pourra faire une nouvelle demande.
                  </p>
                )}
                <form
                  id={FORM_ID}
                  noValidate
                  onSubmit={(e) => {
                    e.preventDefault();
                    void submit();
                  }}
                >
                  <div className={`fr-input-group${fieldError ? ' fr-input-group--error' : ''}`}>
                    <label className="fr-label" htmlFor={FIELD_ID}>
                      Motif du refus
                      <span aria-hidden="true" className="atlas-required">
                        {' '}
                        *
                      </span>
                      <span className="fr-sr-only"> (obligatoire)</span>
                      <span className="fr-hint-text" id={HINT_ID}>
                        Envoyé par courriel à l’auteur de la demande et conservé avec elle. De 3 à {REFUSE_REASON_MAX}{' '}
                        caractères.
                      </span>
                    </label>
                    <textarea
                      ref={field}
                      id={FIELD_ID}
                      className={`fr-input${fieldError ? ' fr-input--error' : ''}`}
                      rows={4}
                      value={reason}
                      maxLength={REFUSE_REASON_MAX}
                      aria-required="true"
                      aria-invalid={fieldError ? true : undefined}
                      aria-describedby={fieldError ? `${HINT_ID} ${ERROR_ID}` : HINT_ID}
                      onChange={(e) => {
                        setReason(e.target.value);
                        if (tried) setFieldError(reasonError(e.target.value));
                      }}
                    />
                    {fieldError && (
                      <p id={ERROR_ID} className="fr-error-text">
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
                    <button type="submit" form={FORM_ID} className="fr-btn" aria-disabled={busy || undefined}>
                      {busy ? 'Refus en cours…' : 'Refuser la demande'}
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
