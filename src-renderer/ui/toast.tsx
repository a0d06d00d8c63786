// One toast at a time, bottom of the screen, announced politely; used for "Supprimé — Annuler"
// (a newer toast replaces it: every undoable delete is also listed on the synchronisation screen).
import { useEffect, useSyncExternalStore } from 'react';
import type { EntityName } from '../../src-shared/registry';
import { useLiveQuery } from 'dexie-react-hooks';
import { listUndoableDeletes, repository } from '../app/data';

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

/** Plain messages fade after `ms`; a toast with an action ("Annuler") stays until closed or replaced,
 *  since undoing a delete remains possible until the next sync (then it says so, and fades). */
export function showToast(t: Omit<Toast, 'id'>, ms = 8_000): void {
  toast = { ...t, id: ++seq };
  clearTimeout(timer);
  if (!t.action) timer = setTimeout(() => { toast = null; emit(); }, ms);
  emit();
}

const close = () => { toast = null; emit(); };

export function ToastArea() {
  const t = useSyncExternalStore((l) => { listeners.add(l); return () => listeners.delete(l); }, () => toast);
  // Watched only while a toast offers to undo a delete: still undoable, sent by a sync since (no button
  // that can only fail), or undone elsewhere (the synchronisation screen: the message has no object).
  const state = useLiveQuery(async () => {
    if (!t?.undoable) return null;
    const { entity, id } = t.undoable;
    if ((await listUndoableDeletes()).some((u) => u.entity === entity && u.id === id)) return 'undoable';
    return (await repository.get(entity, id)) ? 'restored' : 'sent';
  }, [t?.id]);
  const sent = state === 'sent';
  useEffect(() => {
    if (!t || (state !== 'sent' && state !== 'restored')) return;
    const id = t.id;
    const h = setTimeout(() => { if (toast?.id === id) close(); }, state === 'restored' ? 0 : 8_000);
    return () => clearTimeout(h);
  }, [state, t]);
  return (
    <div className="atlas-toast-area" aria-live="polite" role="status">
      {t && (
        <div className="atlas-toast fr-p-2w" key={t.id}>
          <span>{t.message}{sent ? ' La suppression a été envoyée au serveur\u00a0: elle ne peut plus être annulée.' : ''}</span>
          {t.action && !sent && (
            <button type="button" className="fr-btn fr-btn--sm fr-btn--secondary fr-ml-2w" onClick={async () => {
              close(); await t.action?.();
            }}>{t.actionLabel ?? 'Annuler'}</button>
          )}
          {t.link && !sent && <a className="fr-link fr-ml-2w" href={t.link.href} onClick={close}>{t.link.label}</a>}
          <button type="button" className="fr-btn--close fr-btn fr-btn--tertiary-no-outline fr-btn--sm fr-ml-1w" title="Fermer"
            aria-label="Fermer le message" onClick={close}>Fermer</button>
        </div>
      )}
    </div>
  );
}
