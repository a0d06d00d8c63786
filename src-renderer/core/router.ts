// A small hash router: the app runs from file-like origins in Electron and from the server in
// browsers, and hash URLs work in both without server rewrites. No dependency needed for ~15 routes.
import { useSyncExternalStore } from 'react';

export interface Route {
  path: string[];
  query: URLSearchParams;
}

function parse(hash: string): Route {
  const h = hash.replace(/^#/, '') || '/';
  const [p = '/', q = ''] = h.split('?');
  return { path: p.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(q) };
}

let current = parse(window.location.hash);
const listeners = new Set<() => void>();
let lastHash = window.location.hash;

/** A form with unsaved changes registers a guard; navigation asks before leaving it. */
let guard: (() => boolean) | null = null;
const LEAVE_MESSAGE =
  'Vous avez des modifications non enregistrées. Quitter cette page ? (Votre brouillon reste conservé.)';

export function setNavigationGuard(g: (() => boolean) | null): void {
  guard = g;
}

window.addEventListener('hashchange', () => {
  if (guard && guard() && !window.confirm(LEAVE_MESSAGE)) {
    // Put the previous address back without a second prompt.
    const back = lastHash;
    history.replaceState(null, '', back || '#/');
    return;
  }
  guard = null;
  lastHash = window.location.hash;
  current = parse(window.location.hash);
  listeners.forEach((l) => l());
});

window.addEventListener('beforeunload', (e) => {
  if (guard && guard()) {
    e.preventDefault();
    e.returnValue = LEAVE_MESSAGE;
  }
});

export function useRoute(): Route {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => current,
  );
}

export function navigate(to: string, opts: { force?: boolean } = {}): void {
  if (opts.force) guard = null;
  window.location.hash = to.startsWith('#') ? to : `#${to}`;
}

export function href(to: string): string {
  return `#${to}`;
}
