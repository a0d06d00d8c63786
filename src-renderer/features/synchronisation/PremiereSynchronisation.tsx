// What the screens show until this device's copy has been complete once (useFirstSync): the first sync's
// progress, instead of an empty copy read as « À vérifier » and « Aucune campagne ». A DAECT's first sync
// brings ~65,000 records (about 12 s); an agent's, a second.
import { syncEngine, useSyncStatus } from '../../core/data';
import { href } from '../../core/router';
import { firstSyncText } from './SyncProgress';

/** Screens (first segment of the route) that do not read the offline copy: shown even before the first sync ends. */
export const SCREENS_WITHOUT_COPY: readonly string[] = ['synchronisation', 'comptes'];

/** Whether the screen of this route is replaced by the first sync's progress (a copy not yet complete once). */
export function waitsForFirstSync(copy: 'unknown' | 'waiting' | 'complete', screen: string): boolean {
  return copy !== 'complete' && !SCREENS_WITHOUT_COPY.includes(screen);
}

export function PremiereSynchronisation() {
  const s = useSyncStatus();
  const p = s.progress;
  const total = p?.total ?? null;
  const stopped = !s.syncing && s.lastError !== null;
  return (
    <>
      <h1>Première synchronisation</h1>
      <p>
        Les données de votre périmètre arrivent du serveur et s’enregistrent sur ce poste. Vos pages s’afficheront dès
        que la copie sera complète ; ensuite, elles resteront consultables même sans connexion.
      </p>
      <div className="fr-mb-3w" data-testid="premiere-synchro">
        {total !== null && p && total >= p.pulled ? (
          <progress className="atlas-progress" max={total} value={p.pulled} aria-labelledby="premiere-synchro-texte" />
        ) : (
          <progress className="atlas-progress" aria-labelledby="premiere-synchro-texte" />
        )}
        {/* Mounted from the start, only its text changes: screen readers announce each step, politely. */}
        <p id="premiere-synchro-texte" role="status" className="fr-mt-1w">
          {firstSyncText(p)}
        </p>
      </div>
      {stopped && (
        <div className="fr-alert fr-alert--warning fr-mb-3w">
          <h2 className="fr-alert__title">La première synchronisation est interrompue</h2>
          <p>
            {s.lastError} Un nouvel essai aura lieu automatiquement ; le détail est sur l’écran{' '}
            <a href={href('/synchronisation')}>Synchronisation</a>.
          </p>
          <button type="button" className="fr-btn fr-btn--sm fr-mt-2w" onClick={() => void syncEngine.retryNow()}>
            Réessayer maintenant
          </button>
        </div>
      )}
    </>
  );
}
