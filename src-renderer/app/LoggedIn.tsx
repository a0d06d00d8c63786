// Everything behind the login: started sync engine, the collectivité in view, the shell and its screens.
// Loaded lazily by App.tsx so the login screen does not download it.
import { useEffect, useMemo, useState } from 'react';
import { findBackup, startBackups, syncEngine, type FoundBackup } from '../core/data';
import { RestoreOffer } from '../features/synchronisation/Restauration';
import { AppContext, type AppContextValue, type CurrentUser } from '../core/context';
import { Shell } from './Shell';
import { getSyncEngine } from '../sync/engine';
import { precacheAppFiles } from './offlineCache';
import { refreshFileCredentials } from '../sync/snapshot';

const VIEW_KEY = 'atlas.collectiviteEnVue';

type Phase = { kind: 'checking' } | { kind: 'offer'; found: FoundBackup } | { kind: 'ready' };

export default function LoggedIn({ user }: { user: CurrentUser }) {
  const [chosen, setChosen] = useState<string | null>(() => localStorage.getItem(VIEW_KEY));
  // A fresh copy (first login here, or the offline copy was lost) with a backup of this account's pending
  // changes: offered before the first sync (sync/backup.ts). Otherwise straight on.
  const [phase, setPhase] = useState<Phase>({ kind: 'checking' });
  useEffect(() => {
    let gone = false;
    findBackup(user.id)
      .catch(() => null)
      .then((found) => {
        if (!gone) setPhase(found ? { kind: 'offer', found } : { kind: 'ready' });
      });
    return () => {
      gone = true;
    };
  }, [user.id]);
  const ready = phase.kind === 'ready';
  useEffect(() => {
    if (!ready) return;
    void syncEngine.start();
    const stopBackups = startBackups();
    return () => {
      stopBackups();
      void syncEngine.stop();
    };
  }, [ready]);
  // Once the person's data has arrived, keep every screen's files for offline use (web host).
  useEffect(() => {
    const engine = getSyncEngine();
    const check = () => {
      const s = engine.getStatus();
      if (s.progress && !s.syncing && s.lastErrorKind === null) precacheAppFiles();
    };
    return engine.subscribe(check);
  }, []);
  // While online, after a sync: the server's snapshot key pinned (imports verify with it) and, on an SGAR's
  // or the DAECT's device, the certificate that signs its collectivité snapshots. Once per app load.
  useEffect(() => {
    const engine = getSyncEngine();
    let state: 'todo' | 'running' | 'done' = 'todo';
    return engine.subscribe(() => {
      const s = engine.getStatus();
      if (state !== 'todo' || !s.progress || s.syncing || s.lastErrorKind !== null) return;
      state = 'running';
      refreshFileCredentials().then(
        () => (state = 'done'),
        () => (state = 'todo'),
      );
    });
  }, []);
  const value = useMemo<AppContextValue>(
    () => ({
      user,
      collectiviteId: user.role === 'agent' ? user.collectiviteId : chosen,
      setCollectiviteId: (id) => {
        if (id) localStorage.setItem(VIEW_KEY, id);
        else localStorage.removeItem(VIEW_KEY);
        setChosen(id);
      },
      canWrite: user.role !== 'sgar',
    }),
    [user, chosen],
  );
  if (phase.kind === 'checking')
    return (
      <main id="contenu" className="fr-container fr-my-6w">
        <p role="status">Chargement de vos données…</p>
      </main>
    );
  if (phase.kind === 'offer') return <RestoreOffer found={phase.found} onDone={() => setPhase({ kind: 'ready' })} />;
  return (
    <AppContext.Provider value={value}>
      <Shell />
    </AppContext.Provider>
  );
}
