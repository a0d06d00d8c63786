// Style sheets that the login screen does not need, loaded later (issue 11: the login form must be
// usable after ≤ 150 KB). They go right after the login screen's DSFR sheet, in call order, so the
// cascade stays the DSFR's (core, components, utilities) and the app's own CSS still comes last.
const loaded = new Map<string, Promise<void>>();
let last: Element | null = null;

function loadStylesheet(href: string): Promise<void> {
  let p = loaded.get(href);
  if (p) return p;
  p = new Promise<void>((resolve) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    // A sheet that fails (offline and not cached) must not block the app: it shows unstyled parts.
    link.onload = () => resolve();
    link.onerror = () => resolve();
    const anchor = last ?? document.getElementById('dsfr-connexion');
    if (anchor) anchor.after(link);
    else document.head.prepend(link);
    last = link;
  });
  loaded.set(href, p);
  return p;
}

/** Marianne and the icons, after the first screen is painted (text first shows in the fallback font). */
export function loadDeferredStyles(): void {
  const run = () => {
    void loadStylesheet('/dsfr/atlas-polices.css');
    void loadStylesheet('/dsfr/utility/icons/icons.min.css');
  };
  // Two frames: the current one is painted before the fonts and icons are requested.
  requestAnimationFrame(() => setTimeout(run, 0));
}

/** Every DSFR component, for the screens behind the login. */
export function loadAppStyles(): Promise<void> {
  return loadStylesheet('/dsfr/dsfr.min.css');
}
