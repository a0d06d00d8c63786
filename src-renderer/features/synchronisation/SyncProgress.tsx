// Progress of a long pull (several pages): how many records arrived, whether more follow. The server says
// how many remain only during a first sync (SyncResponse.remaining): then « sur 65 000 »; otherwise the bar
// is indeterminate and the count received is the honest figure.
import type { SyncStatus } from '../../core/data';
import { formatInt } from '../../ui/format';

/** Shown only for pulls of several pages: a one-page cycle is over before anyone could read it. */
export function progressText(syncing: boolean, p: SyncStatus['progress']): string {
  if (!syncing || !p || (!p.more && p.pages < 2)) return '';
  const total = p.total ?? null;
  const n = `${formatInt(p.pulled)} enregistrement${p.pulled > 1 ? 's' : ''} reçu${p.pulled > 1 ? 's' : ''}${
    total !== null && total >= p.pulled ? ` sur ${formatInt(total)}` : ''
  }`;
  return p.more
    ? `Réception des données : ${n}, d’autres suivent…`
    : `Réception des données : ${n}, enregistrement sur ce poste…`;
}

/** « Première synchronisation : 12 000 enregistrements sur 65 000… », or what is happening before the first page. */
export function firstSyncText(p: SyncStatus['progress']): string {
  if (!p || p.pulled === 0) return 'Première synchronisation : connexion au serveur…';
  const n = formatInt(p.pulled);
  const total = p.total ?? null;
  if (total !== null && total >= p.pulled)
    return `Première synchronisation : ${n} enregistrement${p.pulled > 1 ? 's' : ''} sur ${formatInt(total)}…`;
  return `Première synchronisation : ${n} enregistrement${p.pulled > 1 ? 's' : ''} reçu${p.pulled > 1 ? 's' : ''}…`;
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
  // A total known (first sync): the bar fills; otherwise it stays indeterminate, as the text says.
  const total = progress?.total ?? null;
  const known = total !== null && progress !== null && total >= progress.pulled && total > 0;
  return (
    <span className="atlas-actions" data-testid={`${id}`}>
      {text && (
        <progress
          aria-labelledby={`${id}-texte`}
          style={{ width: '8rem' }}
          {...(known ? { max: total, value: progress.pulled } : {})}
        />
      )}
      <span id={`${id}-texte`} role={live ? 'status' : undefined}>
        {text}
      </span>
    </span>
  );
}
