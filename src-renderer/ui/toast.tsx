// One toast at a time, bottom of the screen, announced politely; used for "Supprimé — Annuler"
// (a newer toast replaces it: every undoable delete is also listed on the synchronisation screen).
import { useSyncExternalStore } from 'react';

interface Toast {
  id: number;
  message: string;
  actionLabel?: string;
  action?: () => void | Promise<void>;
  /** A way on from the message (e.g. every delete still undoable, on the synchronisation screen). */
  link?: { label: string; href: string };
}

let toast: Toast | null = null;
let seq = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

/** Plain messages fade after `ms`; a toast with an action ("Annuler") stays until closed or replaced,
 *  since undoing a delete remains possible until the next sync. */
export function showToast(t: Omit<Toast, 'id'>, ms = 8_000): void {
  toast = { ...t, id: ++seq };
  clearTimeout(timer);
  if (!t.action) timer = setTimeout(() => { toast = null; emit(); }, ms);
  emit();
}

export function ToastArea() {
  const t = useSyncExternalStore((l) => { listeners.add(l); return () => listeners.delete(l); }, () => toast);
  return (
    <div className="atlas-toast-area" aria-live="polite" role="status">
      {t && (
        <div className="atlas-toast fr-p-2w" key={t.id}>
          <span>{t.message}</span>
          {t.action && (
            <button type="button" className="fr-btn fr-btn--sm fr-btn--secondary fr-ml-2w" onClick={async () => {
              toast = null; emit(); await t.action?.();
            }}>{t.actionLabel ?? 'Annuler'}</button>
          )}
          {t.link && <a className="fr-link fr-ml-2w" href={t.link.href} onClick={() => { toast = null; emit(); }}>{t.link.label}</a>}
          <button type="button" className="fr-btn--close fr-btn fr-btn--tertiary-no-outline fr-btn--sm fr-ml-1w" title="Fermer"
            aria-label="Fermer le message" onClick={() => { toast = null; emit(); }}>Fermer</button>
        </div>
      )}
    </div>
  );
}
