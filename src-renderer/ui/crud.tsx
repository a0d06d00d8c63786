// Delete helpers shared by the screens (saves go through useRecordEdit): deletes offer "Annuler" until the next
// sync (here, and for every unsent delete on the synchronisation screen).
import type { EntityName } from '../../src-shared/registry';
import { entityDef } from '../../src-shared/registry';
import { repository } from '../core/data';
import { href } from '../core/router';
import { formatDateTime } from './format';
import { userMessage } from './errors';
import { showToast } from './toast';
import type { DraftOffer } from './useFormSafety';

/** Placeholder id so a new record validates before the repository gives it its real id. */
export const NEW_ID = '00000000-0000-0000-0000-000000000000';

export async function removeWithUndo(entity: EntityName, id: string, what: string): Promise<void> {
  try {
    await repository.remove(entity, id);
  } catch (e) {
    showToast({ message: userMessage(e, 'La suppression a échoué.') });
    return;
  }
  showToast({
    message: `${what} supprimé${entityDef(entity).label.startsWith('fiche') || entity === 'adhesion' || entity === 'declarationApd' || entity === 'ligneApd' ? 'e' : ''}.`,
    actionLabel: 'Annuler',
    undoable: { entity, id },
    action: async () => {
      const ok = await repository.undoRemove(entity, id);
      showToast({
        message: ok ? 'Suppression annulée.' : 'Impossible d’annuler : la suppression a déjà été envoyée au serveur.',
      });
    },
    // A later delete replaces this toast: the synchronisation screen lists every delete still undoable.
    link: { label: 'Toutes les suppressions annulables', href: href('/synchronisation') },
  });
}

export function DraftBanner<V>({ offer }: { offer: DraftOffer<V> | null }) {
  if (!offer) return null;
  return (
    <div className="fr-alert fr-alert--info fr-mb-3w" role="status">
      <h2 className="fr-alert__title">Un brouillon non enregistré existe</h2>
      <p>
        Vous aviez commencé une saisie{offer.savedAt ? ` (le ${formatDateTime(offer.savedAt)})` : ''} sans
        l’enregistrer.
      </p>
      <div className="atlas-actions fr-mt-1w">
        <button type="button" className="fr-btn fr-btn--sm" onClick={offer.restore}>
          Reprendre le brouillon
        </button>
        <button type="button" className="fr-btn fr-btn--sm fr-btn--secondary" onClick={offer.discard}>
          Ignorer le brouillon
        </button>
      </div>
    </div>
  );
}

export function RootError({ message }: { message?: string }) {
  return message ? (
    <div className="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert">
      <p>{message}</p>
    </div>
  ) : null;
}
