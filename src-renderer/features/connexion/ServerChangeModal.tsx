// Confirmation before the sync server address changes: a wrong address would receive the person's
// password and the collectivité's data. On the desktop it also says what does not change: updates
// come only from the source fixed when the app was built, whatever the sync server is.
// A native <dialog> in the DSFR's modal markup: the login screen runs without the DSFR script and
// react-dsfr (they come with the app's chunk), and showModal() gives the focus trap, Escape and the
// inert page behind for free.
import { useEffect, useRef } from 'react';

const TITLE_ID = 'confirmer-changement-serveur-titre';

export function ServerChangeModal(props: {
  current: string;
  next: string | null;
  desktop: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const open = props.next !== null;
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      id="confirmer-changement-serveur"
      className={`fr-modal${open ? ' fr-modal--opened' : ''}`}
      aria-labelledby={TITLE_ID}
      onCancel={(e) => {
        e.preventDefault();
        props.onCancel();
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
                  onClick={props.onCancel}
                >
                  Fermer
                </button>
              </div>
              <div className="fr-modal__content">
                <h2 id={TITLE_ID} className="fr-modal__title">
                  Changer de serveur de synchronisation ?
                </h2>
                <p>
                  Vos données seront désormais synchronisées avec <strong>{props.next ?? ''}</strong>
                  {props.current ? (
                    <>
                      {' '}
                      au lieu de <strong>{props.current}</strong>
                    </>
                  ) : null}
                  .
                </p>
                <p>
                  Ne changez d’adresse que sur indication de la DAECT : le serveur indiqué recevra votre mot de passe et
                  les données de votre collectivité.
                </p>
                {props.desktop && (
                  <p>
                    Les mises à jour de l’application ne changent pas de source : elles viennent toujours de celle fixée
                    à l’installation et restent vérifiées par leur signature. L’application se rechargera.
                  </p>
                )}
              </div>
              <div className="fr-modal__footer">
                <ul className="fr-btns-group fr-btns-group--right fr-btns-group--inline-reverse fr-btns-group--inline-lg">
                  <li>
                    <button type="button" className="fr-btn" onClick={props.onConfirm}>
                      Changer de serveur
                    </button>
                  </li>
                  <li>
                    <button type="button" className="fr-btn fr-btn--secondary" onClick={props.onCancel}>
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
