// The honest global status: online or not, what waits to be sent and since when, last sync, problems,
// and the progress of a long pull. Live regions stay mounted and only their text changes, so screen
// readers announce each change (a region inserted together with its text is often not read).
import { useEffect, useState } from 'react';
import { href, useRoute } from '../../core/router';
import { syncEngine, useFirstSync, useSyncStatus } from '../../core/data';
import { formatDateTime } from '../../ui/format';
import { Relogin } from '../connexion/Relogin';
import { SyncProgress } from './SyncProgress';
import { waitsForFirstSync } from './PremiereSynchronisation';
import { retryLabel } from '../../core/data';

/**
 * When the next automatic attempt will be, counted down each second. Not a live region: screen readers
 * hear the state changes (badge, last error), not a tick every second.
 */
function RetryCountdown({ at }: { at: string | null }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!at) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(t);
  }, [at]);
  const label = retryLabel(at, now);
  return (
    <span className="fr-text--sm fr-mb-0" data-testid="prochaine-tentative">
      {label ?? ''}
    </span>
  );
}

export function StatusBar() {
  const s = useSyncStatus();
  const copy = useFirstSync();
  const screen = useRoute().path[0] ?? '';
  const state = !s.online ? 'Hors ligne' : s.syncing ? 'Synchronisation en cours…' : 'En ligne';
  return (
    <>
      {s.sessionExpired && (
        <div className="fr-container fr-mt-2w atlas-no-print">
          <Relogin />
        </div>
      )}
      <div className="atlas-no-print" role="status">
        {s.clockWarning && (
          <div className="fr-container fr-mt-2w">
            <div className="fr-alert fr-alert--warning fr-alert--sm">
              <p>{s.clockWarning}</p>
            </div>
          </div>
        )}
      </div>
      <div className="atlas-statusbar atlas-no-print" role="region" aria-label="État de la synchronisation">
        <span data-testid="etat-connexion" role="status">
          <span
            className={`fr-badge fr-badge--sm fr-badge--no-icon ${s.online ? 'fr-badge--success' : 'fr-badge--warning'}`}
          >
            {state}
          </span>
        </span>
        <span data-testid="etat-attente" data-derniere-synchro={s.lastSyncAt ?? ''} aria-live="polite">
          {s.pendingCount > 0
            ? `${s.pendingCount} modification${s.pendingCount > 1 ? 's' : ''} en attente d'envoi${s.oldestPendingAt ? ` (depuis le ${formatDateTime(s.oldestPendingAt)})` : ''}`
            : s.lastSyncAt
              ? 'Tout est synchronisé'
              : 'Jamais synchronisé'}
        </span>
        {/* During the first sync the screen itself announces the progress: said once, not twice. */}
        <SyncProgress
          id="progression-barre"
          syncing={s.syncing}
          progress={s.progress}
          live={!waitsForFirstSync(copy, screen)}
        />
        {/* Never synchronised: the sentence before says it already. */}
        {s.lastSyncAt && <span>Dernière synchronisation : {formatDateTime(s.lastSyncAt)}</span>}
        {s.conflictCount > 0 && (
          <a href={href('/synchronisation')} className="fr-link">
            {s.conflictCount} conflit{s.conflictCount > 1 ? 's' : ''} à résoudre
          </a>
        )}
        {s.rejectedCount > 0 && (
          <a href={href('/synchronisation')} className="fr-link">
            {s.rejectedCount} modification{s.rejectedCount > 1 ? 's' : ''} refusée{s.rejectedCount > 1 ? 's' : ''}
          </a>
        )}
        <span className="fr-text--sm fr-mb-0" role="status" data-testid="derniere-erreur">
          {s.lastError ? `Dernière erreur : ${s.lastError}` : ''}
        </span>
        <RetryCountdown at={s.nextRetryAt} />
        {/* Always usable: on a dead link a cycle may hang until its timeout, and the person must be able
          to try again as soon as they think the network is back. */}
        <button
          type="button"
          className="fr-btn fr-btn--sm fr-btn--tertiary fr-icon-refresh-line fr-btn--icon-left"
          onClick={() => void syncEngine.retryNow()}
        >
          Synchroniser maintenant
        </button>
      </div>
    </>
  );
}
