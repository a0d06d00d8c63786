// Confirmation before the sync server address changes: a wrong address would receive the person's
// password and the collectivité's data. On the desktop it also says what does not change: updates
// come only from the source fixed when the app was built, whatever the sync server is.
import { createModal } from '@codegouvfr/react-dsfr/Modal';

export const serverChangeModal = createModal({ id: 'confirmer-changement-serveur', isOpenedByDefault: false });

export function ServerChangeModal(props: { current: string; next: string | null; desktop: boolean; onConfirm: () => void }) {
  return (
    <serverChangeModal.Component
      title="Changer de serveur de synchronisation ?"
      titleAs="h2"
      buttons={[
        { children: 'Annuler', priority: 'secondary' },
        { children: 'Changer de serveur', priority: 'primary', onClick: props.onConfirm },
      ]}
    >
      <p>
        Vos données seront désormais synchronisées avec <strong>{props.next ?? ''}</strong>
        {props.current ? <> au lieu de <strong>{props.current}</strong></> : null}.
      </p>
      <p>Ne changez d’adresse que sur indication de la DAECT : le serveur indiqué recevra votre mot de passe et les données de votre collectivité.</p>
      {props.desktop && (
        <p>Les mises à jour de l’application ne changent pas de source : elles viennent toujours de celle fixée à l’installation et restent vérifiées par leur signature. L’application se rechargera.</p>
      )}
    </serverChangeModal.Component>
  );
}
