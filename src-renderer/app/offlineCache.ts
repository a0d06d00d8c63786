// Web host only: the service worker (public/sw.js) keeps the app's files so it opens without a
// network, even on a link that swallows packets. Electron loads from app:// and needs none of this.

function supported(): boolean {
  return (
    typeof navigator !== 'undefined' &&
    'serviceWorker' in navigator &&
    (location.protocol === 'https:' || location.hostname === '127.0.0.1' || location.hostname === 'localhost')
  );
}

/** Registers the service worker once the page has loaded (it must not compete with the first paint). */
export function registerServiceWorker(): void {
  if (!supported()) return;
  const register = () => {
    navigator.serviceWorker.register('./sw.js').catch(() => undefined);
  };
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}

let asked = false;
/**
 * Asks the service worker to keep every screen's files (not only the login screen's). Called after the
 * first successful sync, so on a slow link these downloads come after the person's own data.
 */
export function precacheAppFiles(): void {
  if (asked || !supported()) return;
  asked = true;
  void navigator.serviceWorker.ready
    .then((reg) => reg.active?.postMessage({ type: 'precache' }))
    .catch(() => undefined);
}
