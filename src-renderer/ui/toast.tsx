// One toast at a time, bottom of the screen, announced politely; used for "Supprimé — Annuler"
// (a newer toast replaces it: every undoable delete is also listed on the synchronisation screen).
import { useEffect, useSyncExternalStore } from 'react';
import type { EntityName } from '../../src-shared/registry';
import { useLiveQuery } from 'dexie-react-hooks';
import { listUndoableDeletes, repository } from '../core/data';

interface Toast {
  id: number;
  message: string;
  actionLabel?: string;
  action?: () => void | Promise<void>;
  /** A way on from the message (e.g. every delete still undoable, on the synchronisation screen). */
  link?: { label: string; href: string };
  /** The delete the action undoes: once a sync has sent it, the button gives way to a sentence. */
  undoable?: { entity: EntityName; id: string };
}

let toast: Toast | null = null;
let seq = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

const close = () => {
  toast = null;
  emit();
};

/** Closes toast `id` after `ms`, unless another toast has replaced it by then. */
function fadeAfter(id: number, ms: number): void {
  clearTimeout(timer);
  timer = setTimeout(() => {
    if (toast?.id === id) close();
  }, ms);
}

/** Plain messages fade after `ms`; a toast with an action ("Annuler") stays until closed or replaced,
 *  since undoing a delete remains possible until the next sync (then it says so, and fades). */
export function showToast(t: Omit<Toast, 'id'>, ms = 8_000): void {
  toast = { ...t, id: ++seq };
  clearTimeout(timer);
  if (!t.action) fadeAfter(toast.id, ms);
  emit();
}

export function ToastArea() {
  const t = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => toast,
  );
  // Watched only while a toast offers to undo a delete: still undoable, sent by a sync since (no button
  // that can only fail), or undone elsewhere (the synchronisation screen: the message has no object).
  const watched = useLiveQuery(async () => {
    if (!t?.undoable) return null;
    const { entity, id } = t.undoable;
    const state = (await listUndoableDeletes()).some((u) => u.entity === entity && u.id === id)
      ? 'undoable'
      : (await repository.get(entity, id))
        ? 'restored'
        : 'sent';
    return { toast: t.id, state };
  }, [t?.id]);
  // Until the query of a new toast answers, the hook still holds the previous toast's answer.
  const state = watched && watched.toast === t?.id ? watched.state : null;
  const sent = state === 'sent';
  useEffect(() => {
    if (t && state === 'restored') close();
    else if (t && sent) fadeAfter(t.id, 8_000);
  }, [state, sent, t]);
  return (
    <div className="atlas-toast-area" aria-live="polite" role="status">
      {t && (
        <div className="atlas-toast fr-p-2w" key={t.id}>
          <span>
            {t.message}
            {sent ? ' La suppression a été envoyée au serveur\u00a0: elle ne peut plus être annulée.' : ''}
          </span>
          {t.action && !sent && (
            <button
              type="button"
              className="fr-btn fr-btn--sm fr-btn--secondary fr-ml-2w"
              onClick={async () => {
                close();
                await t.action?.();
              }}
            >
              {t.actionLabel ?? 'Annuler'}
            </button>
          )}
          {t.link && !sent && (
            <a className="fr-link fr-ml-2w" href={t.link.href} onClick={close}>
              {t.link.label}
            </a>
          )}
          <button
            type="button"
            className="fr-btn--close fr-btn fr-btn--tertiary-no-outline fr-btn--sm fr-ml-1w"
            title="Fermer"
            aria-label="Fermer le message"
            onClick={() => {
              close();
              // Closing a delete's message lets its undo go: the delete need not wait any longer for the sync.
              if (t.undoable && !sent)
                void repository
                  .releaseHold(t.undoable.entity, t.undoable.id)
                  .catch((e: unknown) => console.warn('Suppression retenue non libérée', e));
            }}
          >
            Fermer
          </button>
        </div>
      )}
    </div>
  );
}
