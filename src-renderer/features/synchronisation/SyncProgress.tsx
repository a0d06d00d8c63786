// Progress of a long pull (several pages): how many records arrived, whether more follow. The server
// does not say how many remain, so the bar is indeterminate and the count is the honest figure.
import type { SyncStatus } from '../../core/data';
import { formatInt } from '../../ui/format';

/** Shown only for pulls of several pages: a one-page cycle is over before anyone could read it. */
export function progressText(syncing: boolean, p: SyncStatus['progress']): string {
  if (!syncing || !p || (!p.more && p.pages < 2)) return '';
  const n = `${formatInt(p.pulled)} enregistrement${p.pulled > 1 ? 's' : ''} reçu${p.pulled > 1 ? 's' : ''}`;
  return p.more
    ? `Réception des données : ${n}, d’autres suivent…`
    : `Réception des données : ${n}, enregistrement sur ce poste…`;
}

/**
 * The text container stays mounted so screen readers announce its changes (RGAA 7.5). `live: false`
 * where the status bar, on the same page, already announces it.
 */
export function SyncProgress({
  id,
  syncing,
  progress,
  live = true,
}: {
  id: string;
  syncing: boolean;
  progress: SyncStatus['progress'];
  live?: boolean;
}) {
  const text = progressText(syncing, progress);
  return (
    <span className="atlas-actions" data-testid={`${id}`}>
      {text && <progress aria-labelledby={`${id}-texte`} style={{ width: '8rem' }} />}
      <span id={`${id}-texte`} role={live ? 'status' : undefined}>
        {text}
      </span>
    </span>
  );
}
