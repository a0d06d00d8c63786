// HTML of the public Atlas: a tagged template that escapes every value (only `Html` values pass as they are), the
// page layout of the State design system (skip links, header with the search, navigation, main, footer), and the
// French formatting of numbers, amounts and dates.
export class Html {
  constructor(readonly s: string) {}
  toString() {
    return this.s;
  }
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESC[c]!);

type Value = Html | string | number | null | undefined | false | readonly Value[];
function part(v: Value): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Html) return v.s;
  if (Array.isArray(v)) return v.map(part).join('');
  return esc(String(v));
}

/** `html\`<p>${text}</p>\`` — values are escaped, arrays joined, null/undefined/false dropped. */
export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += part(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

const intFmt = new Intl.NumberFormat('fr-FR');
const euroFmt = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });
const dateFmt = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' });
export const formatInt = (n: number) => intFmt.format(n);
export const formatEuros = (n: number) => euroFmt.format(n);
export function formatDate(d: string | null | undefined): string {
  if (!d) return '';
  const t = Date.parse(`${d.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(t) ? d : dateFmt.format(t);
}

export const SITE_NAME = 'Atlas français de la coopération décentralisée';

const NAV: { href: string; label: string; key: string }[] = [
  { href: '/atlas/', label: 'Accueil', key: 'accueil' },
  { href: '/atlas/collectivites', label: 'Collectivités', key: 'collectivites' },
  { href: '/atlas/projets', label: 'Projets', key: 'projets' },
  { href: '/atlas/pays', label: 'Pays', key: 'pays' },
  { href: '/atlas/carte', label: 'Carte', key: 'carte' },
  { href: '/atlas/donnees', label: 'Données ouvertes', key: 'donnees' },
];

export interface PageOptions {
  title: string;
  description: string;
  /** Path of the page's canonical address. */
  canonical: string;
  nav: string;
  breadcrumb?: { href?: string; label: string }[];
  body: Html;
  /** Extra stylesheets and deferred scripts (same origin: the CSP allows no inline script). */
  styles?: string[];
  scripts?: string[];
  q?: string;
}

export function page(o: PageOptions): string {
  const crumbs = o.breadcrumb?.length
    ? html`<nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
        <ol class="fr-breadcrumb__list">
          ${o.breadcrumb.map((c) =>
            c.href
              ? html`<li><a class="fr-breadcrumb__link" href="${c.href}">${c.label}</a></li>`
              : html`<li><a class="fr-breadcrumb__link" aria-current="page">${c.label}</a></li>`,
          )}
        </ol>
      </nav>`
    : '';
  return `<!doctype html>${html`<html lang="fr" data-fr-scheme="light">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>${o.title} — ${SITE_NAME}</title>
      <meta name="description" content="${o.description}" />
      <link rel="canonical" href="${o.canonical}" />
      <link rel="icon" href="/dsfr/favicon/favicon.svg" type="image/svg+xml" />
      <link rel="stylesheet" href="/dsfr/dsfr.min.css" />
      ${(o.styles ?? []).map((s) => html`<link rel="stylesheet" href="${s}" />`)}
      <link rel="stylesheet" href="/atlas/static/atlas.css" />
      ${(o.scripts ?? []).map((s) => html`<script src="${s}" defer></script>`)}
    </head>
    <body>
      <div class="fr-skiplinks">
        <nav class="fr-container" role="navigation" aria-label="Accès rapide">
          <ul class="fr-skiplinks__list">
            <li><a class="fr-link" href="#contenu">Contenu</a></li>
            <li><a class="fr-link" href="#navigation-principale">Menu</a></li>
            <li><a class="fr-link" href="#recherche-entete">Recherche</a></li>
            <li><a class="fr-link" href="#pied-de-page">Pied de page</a></li>
          </ul>
        </nav>
      </div>
      <header role="banner" class="fr-header">
        <div class="fr-header__body">
          <div class="fr-container">
            <div class="fr-header__body-row">
              <div class="fr-header__brand fr-enlarge-link">
                <div class="fr-header__brand-top">
                  <div class="fr-header__logo">
                    <p class="fr-logo">République<br />Française</p>
                  </div>
                </div>
                <div class="fr-header__service">
                  <a href="/atlas/" title="Accueil — ${SITE_NAME}">
                    <p class="fr-header__service-title">${SITE_NAME}</p>
                  </a>
                  <p class="fr-header__service-tagline">Les coopérations des collectivités françaises dans le monde</p>
                </div>
              </div>
              <div class="fr-header__tools">
                <div class="fr-header__search atlas-entete-recherche">
                  <form
                    action="/atlas/recherche"
                    method="get"
                    role="search"
                    class="fr-search-bar"
                    id="recherche-entete"
                  >
                    <label class="fr-label" for="q-entete">Rechercher dans l’Atlas</label>
                    <input
                      class="fr-input"
                      type="search"
                      id="q-entete"
                      name="q"
                      value="${o.q ?? ''}"
                      placeholder="Collectivité, partenaire, projet, pays"
                    />
                    <button class="fr-btn" type="submit" title="Rechercher">Rechercher</button>
                  </form>
                </div>
              </div>
            </div>
          </div>
        </div>
        <div class="fr-header__menu atlas-menu">
          <div class="fr-container">
            <nav class="fr-nav" id="navigation-principale" role="navigation" aria-label="Menu principal">
              <ul class="fr-nav__list">
                ${NAV.map(
                  (n) =>
                    html`<li class="fr-nav__item">
                      <a
                        class="fr-nav__link"
                        href="${n.href}"
                        ${n.key === o.nav ? new Html(' aria-current="page"') : ''}
                        >${n.label}</a
                      >
                    </li>`,
                )}
              </ul>
            </nav>
          </div>
        </div>
      </header>
      <main role="main" id="contenu" tabindex="-1">
        <div class="fr-container fr-pt-2w fr-pb-6w">${crumbs} ${o.body}</div>
      </main>
      <footer class="fr-footer" role="contentinfo" id="pied-de-page">
        <div class="fr-container">
          <div class="fr-footer__body">
            <div class="fr-footer__brand fr-enlarge-link">
              <a href="/atlas/" title="Retour à l’accueil de l’Atlas"
                ><p class="fr-logo">République<br />Française</p></a
              >
            </div>
            <div class="fr-footer__content">
              <p class="fr-footer__content-desc">
                L’Atlas français de la coopération décentralisée est tenu par la Délégation pour l’action extérieure des
                collectivités territoriales (DAECT) avec les collectivités, qui vérifient leurs pages chaque année. Il
                ne publie ni les contacts des collectivités, ni les avis des services de l’État.
              </p>
              <ul class="fr-footer__content-list">
                <li class="fr-footer__content-item">
                  <a class="fr-footer__content-link" href="/atlas/donnees">Données ouvertes</a>
                </li>
                <li class="fr-footer__content-item">
                  <a class="fr-footer__content-link" href="/atlas/sitemap.xml">Plan du site (XML)</a>
                </li>
              </ul>
            </div>
          </div>
          <div class="fr-footer__bottom">
            <ul class="fr-footer__bottom-list">
              <li class="fr-footer__bottom-item">
                <a class="fr-footer__bottom-link" href="/atlas/donnees">Données ouvertes — Licence Ouverte 2.0</a>
              </li>
              <li class="fr-footer__bottom-item">
                <a class="fr-footer__bottom-link" href="/atlas/carte">Carte des coopérations</a>
              </li>
            </ul>
          </div>
        </div>
      </footer>
    </body>
  </html>`}`;
}
