// The login screen ships alone: the app's screens (and Leaflet, the map data, the reference data)
// are a separate chunk loaded once a session exists (issue 11: ≤ 150 KB before the form is usable).
import { lazy, Suspense, useEffect, useState } from 'react';
import type { StoredSession } from '../sync/session';
import { hasSessionHint, SESSION_STORED_EVENT } from '../sync/sessionHint';
import { ConnexionScreen } from '../features/connexion/ConnexionScreen';
import { isResetRoute, ResetPasswordScreen } from '../features/connexion/ResetPasswordScreen';
import { isDepotRoute } from '../features/connexion/depotRoute';
import { useRoute } from '../core/router';
import { useVisionneuse } from '../core/visionneuse';
import { discardLeftoverViews } from '../sync/viewerName';
import { ErrorBoundary } from '../ui/ErrorBoundary';
import { loadAppStyles, loadDeferredStyles } from './styles';

/** The outer boundary catches what the shell's own (around the routed screen) cannot: the shell, Connexion. */
export function App() {
  return (
    <ErrorBoundary standalone>
      <Screens />
    </ErrorBoundary>
  );
}

// The chunk, the full DSFR sheet and react-dsfr (started before its components render) together: the
// shell never shows half-styled.
let dsfrStarted: Promise<void> | null = null;
const startDsfr = () =>
  (dsfrStarted ??= import('@codegouvfr/react-dsfr/spa').then(({ startReactDsfr }) =>
    startReactDsfr({ defaultColorScheme: 'system' }),
  ));
const LoggedIn = lazy(() => Promise.all([import('./LoggedIn'), loadAppStyles(), startDsfr()]).then(([m]) => m));
/** The viewer of a snapshot (« Ouvrir un instantané »), with no account: a frame of its own. */
const Visionneuse = lazy(() => Promise.all([import('./Visionneuse'), loadAppStyles(), startDsfr()]).then(([m]) => m));

// Viewers' temporary copies left by tabs closed while they showed a snapshot go at the next start; those
// another tab or window still shows stay.
void discardLeftoverViews();

// The upload page of packets (no offline copy): its own chunk, loaded only when asked for.
const DepotScreen = lazy(() => import('../features/connexion/DepotScreen'));

function Loading() {
  return (
    <main id="contenu" className="fr-container fr-my-6w">
      <p role="status">Chargement de vos données…</p>
    </main>
  );
}

/**
 * The stored session, read once the module that reads it (Dexie, the session code) has loaded: the
 * login form does not wait for it. undefined while unknown.
 */
function useStoredSession(expectSession: boolean): StoredSession | null | undefined {
  const [session, setSession] = useState<StoredSession | null | undefined>(undefined);
  useEffect(() => {
    let stop: (() => void) | null = null;
    let gone = false;
    const watch = () => {
      void import('../core/sessionStore').then((m) => {
        if (!gone) stop = m.watchSession(setSession);
      });
    };
    // No session expected: the login form's own files first, the store once the page is idle.
    const cancel = expectSession ? (watch(), () => {}) : afterLoadIdle(watch);
    return () => {
      gone = true;
      cancel();
      stop?.();
    };
  }, [expectSession]);
  return session;
}

/**
 * Runs `fn` once, when the page has loaded and the browser is idle (at most 2 s later), or at once when
 * a login stores a session; returns a cancel.
 */
function afterLoadIdle(fn: () => void): () => void {
  let idle: number | null = null;
  let done = false;
  const once = () => {
    if (!done) {
      done = true;
      cancel();
      fn();
    }
  };
  const onLoad = () => {
    idle =
      typeof requestIdleCallback === 'function'
        ? requestIdleCallback(once, { timeout: 2_000 })
        : window.setTimeout(once, 200);
  };
  const cancel = () => {
    window.removeEventListener('load', onLoad);
    window.removeEventListener(SESSION_STORED_EVENT, once);
    if (idle === null) return;
    if (typeof cancelIdleCallback === 'function') cancelIdleCallback(idle);
    else window.clearTimeout(idle);
  };
  window.addEventListener(SESSION_STORED_EVENT, once);
  if (document.readyState === 'complete') onLoad();
  else window.addEventListener('load', onLoad, { once: true });
  return cancel;
}

function Screens() {
  const route = useRoute();
  const viewed = useVisionneuse();
  // Without a stored session (the hint says so) the login form shows at once, and stays the same
  // element when the check ends: what the person typed meanwhile is kept.
  const [expectSession] = useState(hasSessionHint);
  const session = useStoredSession(expectSession);
  const ready = session !== undefined;
  useEffect(() => {
    if (ready) loadDeferredStyles();
  }, [ready]);
  // An open snapshot is all the window shows, logged in or not: closing it brings back what was there.
  if (viewed)
    return (
      <Suspense fallback={<Loading />}>
        <Visionneuse view={viewed} />
      </Suspense>
    );
  if (isResetRoute(route.path)) return <ResetPasswordScreen />;
  // With or without a session here: the page's login is its own, in memory (core/depot.ts).
  if (isDepotRoute(route.path))
    return (
      <Suspense fallback={<Loading />}>
        <DepotScreen />
      </Suspense>
    );
  if (session === undefined && expectSession) return <Loading />;
  if (!session) return <ConnexionScreen />;
  return (
    <Suspense fallback={<Loading />}>
      <LoggedIn user={session.user} />
    </Suspense>
  );
}
