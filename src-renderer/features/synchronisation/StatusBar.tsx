// The honest global status: online or not, what waits to be sent and since when, last sync, problems.
import { href } from '../../app/router';
import { syncEngine, useSyncStatus } from '../../app/data';
import { formatDateTime } from '../../ui/format';
import { Relogin } from '../connexion/Relogin';

export function StatusBar() {
  const s = useSyncStatus();
  const state = !s.online ? 'Hors ligne' : s.syncing ? 'Synchronisation en cours…' : 'En ligne';
  return (
    <>
    {s.sessionExpired && <div className="fr-container fr-mt-2w atlas-no-print"><Relogin /></div>}
    {s.clockWarning && <div className="fr-container fr-mt-2w atlas-no-print"><div className="fr-alert fr-alert--warning fr-alert--sm"><p>{s.clockWarning}</p></div></div>}
    <div className="atlas-statusbar atlas-no-print" role="region" aria-label="État de la synchronisation">
      <span data-testid="etat-connexion">
        <span className={`fr-badge fr-badge--sm fr-badge--no-icon ${s.online ? 'fr-badge--success' : 'fr-badge--warning'}`}>{state}</span>
      </span>
      <span data-testid="etat-attente" aria-live="polite">
        {s.pendingCount > 0
          ? `${s.pendingCount} modification${s.pendingCount > 1 ? 's' : ''} en attente d'envoi${s.oldestPendingAt ? ` (depuis le ${formatDateTime(s.oldestPendingAt)})` : ''}`
          : s.lastSyncAt ? 'Tout est synchronisé' : 'Jamais synchronisé'}
      </span>
      <span>Dernière synchronisation : {s.lastSyncAt ? formatDateTime(s.lastSyncAt) : 'aucune'}</span>
      {s.conflictCount > 0 && <a href={href('/synchronisation')} className="fr-link">{s.conflictCount} conflit{s.conflictCount > 1 ? 's' : ''} à résoudre</a>}
      {s.rejectedCount > 0 && <a href={href('/synchronisation')} className="fr-link">{s.rejectedCount} modification{s.rejectedCount > 1 ? 's' : ''} refusée{s.rejectedCount > 1 ? 's' : ''}</a>}
      {s.lastError && <span className="fr-text--sm" role="status">Dernière erreur : {s.lastError}</span>}
      <button type="button" className="fr-btn fr-btn--sm fr-btn--tertiary fr-icon-refresh-line fr-btn--icon-left"
        disabled={s.syncing} onClick={() => void syncEngine.syncNow()}>Synchroniser maintenant</button>
    </div>
    </>
  );
}
