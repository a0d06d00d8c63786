// Asking a person something before an action (delete with children, logout with unsent changes, abandon
// a change): a DSFR modal instead of the browser's confirm(). A native <dialog> in the DSFR's modal markup
// (like the login screen's ServerChangeModal): showModal() traps the focus and makes the page behind
// inert, Échap closes (as "Annuler"), the title names the dialog, and the focus goes back to where it was.
import { useEffect, useRef, useSyncExternalStore, type ReactNode } from 'react';
import { holdInitialFocus } from './dialogFocus';

export interface Question {
  title: string;
  /** What follows if the person confirms. */
  body?: ReactNode;
  /** The confirming button's label (a verb: "Supprimer", "Se déconnecter"…). */
  confirm: string;
  cancel?: string;
}

interface Pending extends Question {
  id: number;
  resolve(ok: boolean): void;
}

let pending: Pending | null = null;
let seq = 0;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

/** Ask; true when the person confirms, false on "Annuler", the close button or Échap. */
export function askConfirm(q: Question): Promise<boolean> {
  pending?.resolve(false);
  return new Promise<boolean>((resolve) => {
    const id = ++seq;
    pending = {
      ...q,
      id,
      resolve: (ok) => {
        if (pending?.id === id) {
          pending = null;
          emit();
        }
        resolve(ok);
      },
    };
    emit();
  });
}

const TITLE_ID = 'atlas-confirmation-titre';
const BODY_ID = 'atlas-confirmation-texte';

/** Mounted once by the shell. */
export function ConfirmHost() {
  const q = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => pending,
  );
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const open = q !== null;
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      d.showModal();
      // On "Annuler": the safe answer.
      return holdInitialFocus(d, () => d.querySelector<HTMLButtonElement>('[data-confirm-cancel]'));
    }
    if (!open && d.open) {
      d.close();
      const back = opener.current;
      opener.current = null;
      if (back?.isConnected) back.focus();
    }
  }, [open, q?.id]);
  const answer = (ok: boolean) => q?.resolve(ok);
  return (
    <dialog
      ref={ref}
      id="atlas-confirmation"
      className={`fr-modal${open ? ' fr-modal--opened' : ''}`}
      aria-labelledby={TITLE_ID}
      aria-describedby={q?.body ? BODY_ID : undefined}
      onCancel={(e) => {
        e.preventDefault();
        answer(false);
      }}
      // Closed by something else than our buttons (the DSFR script on Échap): the answer is no.
      onClose={() => {
        if (pending && pending.id === q?.id) answer(false);
      }}
    >
      <div className="fr-container fr-container--fluid fr-container-md">
        <div className="fr-grid-row fr-grid-row--center">
          <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
            <div className="fr-modal__body">
              <div className="fr-modal__header">
                <button
                  type="button"
                  className="fr-btn--close fr-btn"
                  title="Fermer la fenêtre"
                  onClick={() => answer(false)}
                >
                  Fermer
                </button>
              </div>
              <div className="fr-modal__content">
                <h2 id={TITLE_ID} className="fr-modal__title atlas-break">
                  {q?.title ?? ''}
                </h2>
                {q?.body && (
                  <div id={BODY_ID} className="atlas-break">
                    {q.body}
                  </div>
                )}
              </div>
              <div className="fr-modal__footer">
                <ul className="fr-btns-group fr-btns-group--right fr-btns-group--inline-reverse fr-btns-group--inline-lg">
                  <li>
                    <button type="button" className="fr-btn" onClick={() => answer(true)}>
                      {q?.confirm ?? 'Confirmer'}
                    </button>
                  </li>
                  <li>
                    <button
                      type="button"
                      className="fr-btn fr-btn--secondary"
                      data-confirm-cancel
                      onClick={() => answer(false)}
                    >
                      {q?.cancel ?? 'Annuler'}
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
