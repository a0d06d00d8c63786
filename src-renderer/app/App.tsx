// The login screen ships alone: the app's screens (and Leaflet, the map data, the reference data)
// are a separate chunk loaded once a session exists (issue 11: ≤ 150 KB before the form is usable).
import { lazy, Suspense, useEffect } from 'react';
import { useSession } from './session';
import { ConnexionScreen } from '../features/connexion/ConnexionScreen';
import { isResetRoute, ResetPasswordScreen } from '../features/connexion/ResetPasswordScreen';
import { useRoute } from './router';
import { ErrorBoundary } from '../ui/ErrorBoundary';
import { loadAppStyles, loadDeferredStyles } from './styles';

/** The outer boundary catches what the shell's own (around the routed screen) cannot: the shell, Connexion. */
export function App() {
  return <ErrorBoundary standalone><Screens /></ErrorBoundary>;
}

// The chunk, the full DSFR sheet and react-dsfr (started before its components render) together: the
// shell never shows half-styled.
const LoggedIn = lazy(() => Promise.all([
  import('./LoggedIn'),
  loadAppStyles(),
  import('@codegouvfr/react-dsfr/spa').then(({ startReactDsfr }) => startReactDsfr({ defaultColorScheme: 'system' })),
]).then(([m]) => m));

function Loading() {
  return <main id="contenu" className="fr-container fr-my-6w"><p role="status">Chargement de vos données…</p></main>;
}

function Screens() {
  const session = useSession();
  const route = useRoute();
  const ready = session !== undefined;
  useEffect(() => { if (ready) loadDeferredStyles(); }, [ready]);
  if (isResetRoute(route.path)) return <ResetPasswordScreen />;
  if (session === undefined) return <Loading />;
  if (!session) return <ConnexionScreen />;
  return <Suspense fallback={<Loading />}><LoggedIn user={session.user} /></Suspense>;
}
