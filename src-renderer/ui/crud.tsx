// Delete helpers shared by the screens (saves go through useRecordEdit). A delete is instant, with
// "Annuler" in its toast (and on the synchronisation screen for every unsent delete); the repository holds
// it out of the sync for UNDO_HOLD_MS (or until its toast is closed), so an online device does not send it
// before the person could undo.
// A record with children (a partenariat and its fiches-projets, a declaration and its lines) is deleted
// only after a question in a modal that says what goes with it.
import type { EntityName } from '../../src-shared/registry';
import { ENTITY_NAMES, entityDef } from '../../src-shared/registry';
import { repository } from '../core/data';
import { href } from '../core/router';
import { askConfirm } from './confirm';
import { deletedMessage, deleteQuestion } from './deleteWords';
import { formatDateTime } from './format';
import { userMessage } from './errors';
import { showToast } from './toast';
import type { DraftOffer } from './useFormSafety';

/** Placeholder id so a new record validates before the repository gives it its real id. */
export const NEW_ID = '00000000-0000-0000-0000-000000000000';

/** How long a screen's delete stays out of the sync, so its toast's "Annuler" has a fair chance. */
export const UNDO_HOLD_MS = 10_000;

/** The records a delete takes with it, by kind (children, then theirs), those present only. */
async function descendants(entity: EntityName, id: string): Promise<{ entity: EntityName; count: number }[]> {
  const out = new Map<EntityName, number>();
  const walk = async (e: EntityName, rid: string) => {
    for (const child of ENTITY_NAMES.filter((n) => entityDef(n).parent?.entity === e)) {
      const kids = await repository.list(child, { [entityDef(child).parent!.field]: rid });
      if (kids.length) out.set(child, (out.get(child) ?? 0) + kids.length);
      for (const k of kids) await walk(child, (k as { id: string }).id);
    }
  };
  await walk(entity, id);
  return [...out].map(([e, count]) => ({ entity: e, count }));
}

/**
 * Delete a record (asking first when it has children); `before` runs once it is decided (drop the form's
 * draft…). True when deleted. The toast offers "Annuler" while the delete is unsent.
 */
export async function removeWithUndo(
  entity: EntityName,
  id: string,
  name?: string,
  opts: { before?: () => Promise<void> } = {},
): Promise<boolean> {
  try {
    const question = deleteQuestion(entity, name, await descendants(entity, id));
    if (
      question &&
      !(await askConfirm({
        title: question,
        body: (
          <p>
            Vous pourrez encore annuler la suppression pendant quelques secondes, tant qu’elle n’a pas été envoyée au
            serveur.
          </p>
        ),
        confirm: 'Supprimer',
      }))
    )
      return false;
    await opts.before?.();
    await repository.remove(entity, id, { holdMs: UNDO_HOLD_MS });
  } catch (e) {
    showToast({ message: userMessage(e, 'La suppression a échoué.') });
    return false;
  }
  showToast({
    message: deletedMessage(entity, name),
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
  return true;
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
