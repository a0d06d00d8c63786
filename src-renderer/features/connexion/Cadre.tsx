// Header, footer and page frame of the screens shown before login, in plain DSFR markup: the react-dsfr
// components (and their colour tables) and the DSFR's script load with the app, after login (issue 11: the
// login screen must be usable after ≤ 150 KB). The shell behind the login keeps react-dsfr's Header/Footer.
import type { ReactNode } from 'react';

export function EnTeteConnexion() {
  return (
    <header role="banner" className="fr-header">
      <div className="fr-header__body">
        <div className="fr-container">
          <div className="fr-header__body-row">
            <div className="fr-header__brand fr-enlarge-link">
              <div className="fr-header__brand-top">
                <div className="fr-header__logo">
                  <p className="fr-logo">
                    République
                    <br />
                    Française
                  </p>
                </div>
              </div>
              <div className="fr-header__service">
                <a href="#/" title="Accueil — Atlas hors ligne">
                  <p className="fr-header__service-title">Atlas hors ligne</p>
                </a>
                <p className="fr-header__service-tagline">Atlas français de la coopération décentralisée</p>
              </div>
            </div>
          </div>
        </div>
      </div>
    </header>
  );
}

export function PiedConnexion() {
  return (
    <footer className="fr-footer" role="contentinfo" id="footer">
      <div className="fr-container">
        <div className="fr-footer__body">
          <div className="fr-footer__brand fr-enlarge-link">
            <a href="#/" title="Accueil — Atlas hors ligne">
              <p className="fr-logo">
                République
                <br />
                Française
              </p>
            </a>
          </div>
        </div>
        <div className="fr-footer__bottom">
          <ul className="fr-footer__bottom-list">
            <li className="fr-footer__bottom-item">
              <span className="fr-footer__bottom-link">Accessibilité&nbsp;: partiellement conforme</span>
            </li>
          </ul>
        </div>
      </div>
    </footer>
  );
}

/** The page's one centred column, the skip link's target; `etroite` for a single short form. */
export function ColonneConnexion({ etroite, children }: { etroite?: boolean; children: ReactNode }) {
  return (
    <main id="contenu" className="fr-container fr-my-6w" tabIndex={-1}>
      <div className="fr-grid-row fr-grid-row--center">
        <div className={etroite ? 'fr-col-12 fr-col-md-8 fr-col-lg-6' : 'fr-col-12 fr-col-md-10 fr-col-lg-8'}>
          {children}
        </div>
      </div>
    </main>
  );
}

/** A whole screen before login: header, its column, footer. */
export function PageConnexion({ children }: { children: ReactNode }) {
  return (
    <>
      <EnTeteConnexion />
      <ColonneConnexion>{children}</ColonneConnexion>
      <PiedConnexion />
    </>
  );
}

/**
 * Dark or light before the DSFR's own script runs (it comes with the app): the person's choice made in
 * the app's display settings, else the system's.
 */
export function applyColorScheme(): void {
  const chosen = localStorage.getItem('scheme');
  const dark =
    chosen === 'dark' || (chosen !== 'light' && window.matchMedia?.('(prefers-color-scheme: dark)').matches === true);
  document.documentElement.setAttribute('data-fr-theme', dark ? 'dark' : 'light');
}
