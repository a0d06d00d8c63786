import { useEffect, useMemo, useState } from 'react';
import { syncEngine, useSession } from './data';
import { AppContext, type AppContextValue, type CurrentUser } from './context';
import { Shell } from './Shell';
import { ConnexionScreen } from '../features/connexion/ConnexionScreen';
import { isResetRoute, ResetPasswordScreen } from '../features/connexion/ResetPasswordScreen';
import { useRoute } from './router';
import { ErrorBoundary } from '../ui/ErrorBoundary';

const VIEW_KEY = 'atlas.collectiviteEnVue';

function LoggedIn({ user }: { user: CurrentUser }) {
  const [chosen, setChosen] = useState<string | null>(() => localStorage.getItem(VIEW_KEY));
  useEffect(() => {
    void syncEngine.start();
    return () => { void syncEngine.stop(); };
  }, []);
  const value = useMemo<AppContextValue>(() => ({
    user,
    collectiviteId: user.role === 'agent' ? user.collectiviteId : chosen,
    setCollectiviteId: (id) => {
      if (id) localStorage.setItem(VIEW_KEY, id); else localStorage.removeItem(VIEW_KEY);
      setChosen(id);
    },
    canWrite: user.role !== 'sgar',
  }), [user, chosen]);
  return <AppContext.Provider value={value}><Shell /></AppContext.Provider>;
}

/** The outer boundary catches what the shell's own (around the routed screen) cannot: the shell, Connexion. */
export function App() {
  return <ErrorBoundary standalone><Screens /></ErrorBoundary>;
}

function Screens() {
  const session = useSession();
  const route = useRoute();
  if (isResetRoute(route.path)) return <ResetPasswordScreen />;
  if (session === undefined) {
    return <main id="contenu" className="fr-container fr-my-6w"><p role="status">Chargement de vos données…</p></main>;
  }
  if (!session) return <ConnexionScreen />;
  return <LoggedIn user={session.user} />;
}
