// The pages of the public Atlas, as plain functions of the in-memory data (donnees.ts) to HTML (html.ts). Each
// reads only public records (publicRecord) and the APD totals (publicApdTotal): nothing else is in the data.
import {
  COLLECTIVITE_TYPES,
  COLLECTIVITE_TYPE_LABELS,
  type CollectiviteType,
} from '../../src-shared/domain/collectivite';
import { CODE_RE } from '../../src-shared/domain/entreeReference';
import { DISPOSITIF_LABELS, STATUT_PROJET_LABELS } from '../../src-shared/domain/ficheProjet';
import { NATURE_LABELS, STATUT_PARTENARIAT_LABELS, TYPE_PARTENAIRE_LABELS } from '../../src-shared/domain/partenariat';
import { FINANCEURS } from '../../src-shared/reference/financeurs';
import { ODD } from '../../src-shared/reference/odd';
import { enPays, nomPays, PAYS_CODES } from '../../src-shared/reference/pays';
import { REGION_NOMS, regionNom } from '../../src-shared/reference/regions';
import { foldText } from '../../src-shared/reference/collectivites/normalize';
import type { AtlasData, PubCollectivite, PubFiche, PubPartenariat, SearchEntry } from './donnees';
import { formatDate, formatEuros, formatInt, html, Html, page, SITE_NAME } from './html';
import { departementNom } from './territoires';
import { collectiviteUrl, ficheUrl, paysUrl } from './urls';

export const PAGE_SIZE = 50;

// ---- Filters (GET parameters of the list pages) ----

export interface Filtres {
  region?: string;
  departement?: string;
  type?: CollectiviteType;
  pays?: string;
  thematique?: string;
  jumelage?: 'oui' | 'non';
  page: number;
}
const FILTER_KEYS = ['region', 'departement', 'type', 'pays', 'thematique', 'jumelage'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
/** The list of countries filters by everything but the country (and has one page). */
const PAYS_FILTER_KEYS = FILTER_KEYS.filter((k) => k !== 'pays');

type Query = Record<string, string | string[] | undefined>;
const one = (q: Query, k: string) => {
  const v = q[k];
  return (Array.isArray(v) ? v[0] : v)?.trim() || undefined;
};

/** The filters of a query, each checked against what it may be (anything else is ignored). */
export function parseFiltres(q: Query): Filtres {
  const f: Filtres = { page: 1 };
  const region = one(q, 'region');
  if (region && Object.prototype.hasOwnProperty.call(REGION_NOMS, region)) f.region = region;
  const dep = one(q, 'departement');
  if (dep && /^[0-9][0-9AB][0-9]?$/.test(dep)) f.departement = dep;
  const type = one(q, 'type');
  if (type && (COLLECTIVITE_TYPES as readonly string[]).includes(type)) f.type = type as CollectiviteType;
  const pays = one(q, 'pays')?.toUpperCase();
  if (pays && PAYS_CODES.has(pays)) f.pays = pays;
  const th = one(q, 'thematique');
  if (th && CODE_RE.test(th)) f.thematique = th;
  const j = one(q, 'jumelage');
  if (j === 'oui' || j === 'non') f.jumelage = j;
  const p = Number(one(q, 'page'));
  if (Number.isInteger(p) && p > 1 && p <= 100_000) f.page = p;
  return f;
}

/** The filters of the list of countries: those of parseFiltres but the country; a single page. */
export function parsePaysFiltres(q: Query): Filtres {
  const f = parseFiltres(q);
  delete f.pays;
  f.page = 1;
  return f;
}

/** The filters as a query string, in a fixed order (the cache key and the pages' links). */
export function filtresQuery(f: Filtres, page = f.page): string {
  const parts: string[] = [];
  for (const k of FILTER_KEYS) if (f[k]) parts.push(`${k}=${encodeURIComponent(f[k]!)}`);
  if (page > 1) parts.push(`page=${page}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

const hasPartnerFilter = (f: Filtres) => !!(f.pays || f.thematique || f.jumelage);

function collectiviteMatches(c: PubCollectivite, f: Filtres): boolean {
  return (
    (!f.region || c.region === f.region) &&
    (!f.departement || c.departement === f.departement) &&
    (!f.type || c.type === f.type)
  );
}
function partenariatMatches(d: AtlasData, p: PubPartenariat, f: Filtres): boolean {
  if (f.pays && p.pays !== f.pays) return false;
  if (f.jumelage && p.jumelage !== (f.jumelage === 'oui')) return false;
  if (f.thematique && !(d.fichesOfPartenariat.get(p.id) ?? []).some((x) => x.thematiques.includes(f.thematique!)))
    return false;
  return true;
}

export function filterPartenariats(d: AtlasData, f: Filtres): PubPartenariat[] {
  return d.partenariats.filter(
    (p) => collectiviteMatches(d.collectiviteById.get(p.collectiviteId)!, f) && partenariatMatches(d, p, f),
  );
}

function filtresForm(d: AtlasData, f: Filtres, action: string, keys: readonly FilterKey[] = FILTER_KEYS): Html {
  const select = (
    name: string,
    label: string,
    options: { value: string; label: string }[],
    value: string | undefined,
    all: string,
  ) =>
    html`<div class="fr-select-group fr-col-12 fr-col-sm-6 fr-col-lg-4">
      <label class="fr-label" for="filtre-${name}">${label}</label>
      <select class="fr-select" id="filtre-${name}" name="${name}">
        <option value="">${all}</option>
        ${options.map(
          (o) => html`<option value="${o.value}" ${o.value === value ? new Html(' selected') : ''}>${o.label}</option>`,
        )}
      </select>
    </div>`;
  const selects: Record<FilterKey, () => Html> = {
    region: () =>
      select(
        'region',
        'Région',
        d.regions.map((r) => ({ value: r, label: regionNom(r)! })),
        f.region,
        'Toutes les régions',
      ),
    departement: () =>
      select(
        'departement',
        'Département',
        d.departements.map((x) => ({ value: x, label: `${departementNom(x)} (${x})` })),
        f.departement,
        'Tous les départements',
      ),
    type: () =>
      select(
        'type',
        'Type de collectivité',
        COLLECTIVITE_TYPES.map((t) => ({ value: t, label: COLLECTIVITE_TYPE_LABELS[t] })),
        f.type,
        'Tous les types',
      ),
    pays: () =>
      select(
        'pays',
        'Pays du partenaire',
        d.paysListe.map((p) => ({ value: p.code, label: p.nom })),
        f.pays,
        'Tous les pays',
      ),
    thematique: () =>
      select(
        'thematique',
        'Thématique',
        d.thematiques.map((t) => ({ value: t.code, label: t.libelle })),
        f.thematique,
        'Toutes les thématiques',
      ),
    jumelage: () =>
      select(
        'jumelage',
        'Jumelage',
        [
          { value: 'oui', label: 'Jumelages seulement' },
          { value: 'non', label: 'Hors jumelages' },
        ],
        f.jumelage,
        'Avec ou sans jumelage',
      ),
  };
  const active = keys.some((k) => f[k]);
  return html`<form method="get" action="${action}" class="fr-mb-4w atlas-filtres" aria-labelledby="titre-filtres">
    <h2 class="fr-h6" id="titre-filtres">Filtrer</h2>
    <div class="fr-grid-row fr-grid-row--gutters">${keys.map((k) => selects[k]())}</div>
    <ul class="fr-btns-group fr-btns-group--inline-md fr-mt-2w">
      <li><button class="fr-btn" type="submit">Filtrer</button></li>
      ${active ? html`<li><a class="fr-btn fr-btn--secondary" href="${action}">Effacer les filtres</a></li>` : ''}
    </ul>
  </form>`;
}

function pagination(total: number, current: number, href: (p: number) => string): Html {
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  if (pages <= 1) return html``;
  const shown = [...new Set([1, current - 2, current - 1, current, current + 1, current + 2, pages])]
    .filter((p) => p >= 1 && p <= pages)
    .sort((a, b) => a - b);
  const items: Html[] = [];
  items.push(
    current > 1
      ? html`<li>
          <a
            class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label"
            href="${href(current - 1)}"
            >Page précédente</a
          >
        </li>`
      : html`<li>
          <a
            class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label"
            aria-disabled="true"
            role="link"
            >Page précédente</a
          >
        </li>`,
  );
  let prev = 0;
  for (const p of shown) {
    if (p > prev + 1) items.push(html`<li><a class="fr-pagination__link fr-displayed-lg">…</a></li>`);
    items.push(
      p === current
        ? html`<li><a class="fr-pagination__link" aria-current="page" title="Page ${p}">${p}</a></li>`
        : html`<li><a class="fr-pagination__link" href="${href(p)}" title="Page ${p}">${p}</a></li>`,
    );
    prev = p;
  }
  items.push(
    current < pages
      ? html`<li>
          <a
            class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label"
            href="${href(current + 1)}"
            >Page suivante</a
          >
        </li>`
      : html`<li>
          <a
            class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label"
            aria-disabled="true"
            role="link"
            >Page suivante</a
          >
        </li>`,
  );
  return html`<nav role="navigation" class="fr-pagination fr-mt-3w" aria-label="Pagination">
    <ul class="fr-pagination__list">
      ${items}
    </ul>
  </nav>`;
}

function slice<T>(items: T[], p: number): T[] {
  return items.slice((p - 1) * PAGE_SIZE, p * PAGE_SIZE);
}

function table(caption: string, head: string[], rows: Html[], opts: { numeric?: number[] } = {}): Html {
  return html`<div class="fr-table fr-table--no-caption-top atlas-tableau">
    <div class="fr-table__wrapper">
      <div class="fr-table__container">
        <div class="fr-table__content">
          <table>
            <caption>
              ${caption}
            </caption>
            <thead>
              <tr>
                ${head.map((h, i) => html`<th scope="col" ${opts.numeric?.includes(i) ? new Html(' class="atlas-num"') : ''}>${h}</th>`)}
              </tr>
            </thead>
            <tbody>
              ${rows}
            </tbody>
          </table>
        </div>
      </div>
    </div>
  </div>`;
}

/** A web address as a link (http or https only: any other scheme is shown as text, never followed). */
function lienExterne(url: string | null): Html | string | null {
  if (!url) return null;
  if (!/^https?:\/\//i.test(url)) return url;
  return html`<a href="${url}" rel="noopener" target="_blank" title="${url} — nouvelle fenêtre">${url}</a>`;
}

const typeLabel = (c: PubCollectivite) => COLLECTIVITE_TYPE_LABELS[c.type] ?? c.type;
const lieu = (c: PubCollectivite) =>
  [departementNom(c.departement), regionNom(c.region)].filter((x): x is string => !!x).join(', ');
const oui = (b: boolean) => (b ? 'Oui' : 'Non');
const plural = (n: number, one: string, many: string) => `${formatInt(n)} ${n > 1 ? many : one}`;

// ---- Home ----

export function accueilPage(d: AtlasData): string {
  const f = d.figures;
  const chiffres: { n: number; label: string; def: string }[] = [
    {
      n: f.collectivites,
      label: 'collectivités engagées',
      def: 'Collectivités françaises (communes, intercommunalités, départements, régions…) ayant au moins une coopération décentralisée ou une autre action extérieure publiée dans l’Atlas.',
    },
    {
      n: f.partenaires,
      label: 'partenaires',
      def: 'Autorités locales et autres partenaires étrangers distincts (même nom dans le même pays), tous partenariats confondus.',
    },
    {
      n: f.pays,
      label: 'pays',
      def: 'Pays où au moins une collectivité française a un partenaire.',
    },
    {
      n: f.projets,
      label: 'projets',
      def: 'Fiches-projets publiées : les projets que les collectivités mènent avec leurs partenaires.',
    },
    {
      n: f.actions,
      label: 'actions',
      def: 'Coopérations décentralisées (conventionnées) et autres actions extérieures : un partenariat d’une collectivité avec un partenaire étranger.',
    },
  ];
  const top = [...d.paysListe].sort((a, b) => b.partenariats.length - a.partenariats.length).slice(0, 10);
  const body = html`<h1>L’Atlas français de la coopération décentralisée</h1>
    <p class="fr-text--lead">
      Les coopérations des collectivités territoriales françaises avec leurs partenaires dans le monde : qui coopère
      avec qui, où, et sur quels projets.
    </p>
    <h2>L’Atlas en chiffres</h2>
    <ul class="fr-grid-row fr-grid-row--gutters atlas-chiffres" data-testid="chiffres">
      ${chiffres.map(
        (c) =>
          html`<li class="fr-col-12 fr-col-sm-6 fr-col-lg-4">
            <div class="atlas-chiffre">
              <p class="atlas-chiffre__nombre">
                <span class="atlas-chiffre__valeur">${formatInt(c.n)}</span> ${c.label}
              </p>
              <p class="fr-text--sm fr-mb-0">${c.def}</p>
            </div>
          </li>`,
      )}
    </ul>
    <h2 class="fr-mt-4w" id="titre-recherche">Rechercher</h2>
    <form action="/atlas/recherche" method="get" role="search" aria-labelledby="titre-recherche" class="fr-mb-4w">
      <div class="fr-search-bar fr-search-bar--lg">
        <label class="fr-label" for="q-accueil">Une collectivité, un partenaire, un projet ou un pays</label>
        <input
          class="fr-input"
          type="search"
          id="q-accueil"
          name="q"
          placeholder="Exemple : Rennes, Sénégal, eau potable"
        />
        <button class="fr-btn" type="submit">Rechercher</button>
      </div>
    </form>
    <h2>Parcourir</h2>
    <ul>
      <li><a href="/atlas/collectivites">Les collectivités engagées</a>, par région, département ou type</li>
      <li><a href="/atlas/projets">Les projets</a>, par pays ou thématique</li>
      <li><a href="/atlas/pays">Les pays</a> et les collectivités qui y coopèrent</li>
      <li><a href="/atlas/carte">La carte des coopérations</a></li>
      <li><a href="/atlas/donnees">Les données ouvertes</a> (téléchargements et API)</li>
    </ul>
    ${
      top.length
        ? html`<h2>Les pays des partenariats les plus nombreux</h2>
            ${table(
              'Les dix pays comptant le plus de partenariats',
              ['Pays', 'Partenariats', 'Collectivités françaises', 'Projets'],
              top.map(
                (p) =>
                  html`<tr>
                    <td><a href="${paysUrl(p.code)}">${p.nom}</a></td>
                    <td class="atlas-num">${formatInt(p.partenariats.length)}</td>
                    <td class="atlas-num">${formatInt(p.collectivites.length)}</td>
                    <td class="atlas-num">${formatInt(p.fiches.length)}</td>
                  </tr>`,
              ),
              { numeric: [1, 2, 3] },
            )}`
        : html`<p>L’Atlas ne publie encore aucun partenariat.</p>`
    }`;
  return page({
    title: 'Accueil',
    description:
      'Les coopérations des collectivités françaises dans le monde : collectivités, partenaires, pays et projets.',
    canonical: '/atlas/',
    nav: 'accueil',
    body,
  });
}

// ---- Collectivités ----

export function collectivitesPage(d: AtlasData, f: Filtres): string {
  const list = d.engagees.filter(
    (c) =>
      collectiviteMatches(c, f) &&
      (!hasPartnerFilter(f) || (d.partenariatsOf.get(c.id) ?? []).some((p) => partenariatMatches(d, p, f))),
  );
  const rows = slice(list, f.page).map((c) => {
    const parts = d.partenariatsOf.get(c.id) ?? [];
    return html`<tr>
      <td><a href="${collectiviteUrl(c)}">${c.nom}</a></td>
      <td>${typeLabel(c)}</td>
      <td>${lieu(c)}</td>
      <td class="atlas-num">${formatInt(parts.length)}</td>
      <td class="atlas-num">${formatInt(new Set(parts.map((p) => p.pays)).size)}</td>
      <td class="atlas-num">${formatInt(d.fichesOfCollectivite.get(c.id)?.length ?? 0)}</td>
    </tr>`;
  });
  const body = html`<h1>Les collectivités engagées</h1>
    <p>
      Les collectivités françaises qui ont au moins une coopération décentralisée ou une autre action extérieure publiée
      dans l’Atlas.
    </p>
    ${filtresForm(d, f, '/atlas/collectivites')}
    <p role="status" data-testid="nombre-resultats">${plural(list.length, 'collectivité', 'collectivités')}</p>
    ${
      list.length
        ? table(
            `Collectivités engagées${f.page > 1 ? ` (page ${f.page})` : ''}`,
            ['Collectivité', 'Type', 'Département et région', 'Partenariats', 'Pays', 'Projets'],
            rows,
            { numeric: [3, 4, 5] },
          )
        : html`<p>Aucune collectivité ne correspond à ces filtres.</p>`
    }
    ${pagination(list.length, f.page, (p) => `/atlas/collectivites${filtresQuery(f, p)}`)}`;
  return page({
    title: `Collectivités engagées${f.page > 1 ? ` — page ${f.page}` : ''}`,
    description: 'Les collectivités françaises engagées dans la coopération décentralisée.',
    canonical: `/atlas/collectivites${filtresQuery(f)}`,
    nav: 'collectivites',
    breadcrumb: [{ href: '/atlas/', label: 'Accueil' }, { label: 'Collectivités' }],
    body,
  });
}

function partenaireBlock(d: AtlasData, p: PubPartenariat): Html {
  const fiches = d.fichesOfPartenariat.get(p.id) ?? [];
  const details = [
    p.typePartenaire ? TYPE_PARTENAIRE_LABELS[p.typePartenaire] : null,
    p.jumelage ? 'jumelage' : null,
    p.dateConvention ? `convention signée le ${formatDate(p.dateConvention)}` : null,
    STATUT_PARTENARIAT_LABELS[p.statut]?.toLowerCase(),
  ].filter((x): x is string => !!x);
  return html`<li id="partenariat-${p.id}" class="fr-mb-2w">
    <strong>${p.nomPartenaire}</strong>${details.length ? ` (${details.join(', ')})` : ''}
    ${
      fiches.length
        ? html`<ul>
            ${fiches.map((x) => html`<li><a href="${ficheUrl(x)}">${x.intitule}</a></li>`)}
          </ul>`
        : ''
    }
  </li>`;
}

function parPays(d: AtlasData, parts: PubPartenariat[], level: 'h3'): Html {
  const byPays = new Map<string, PubPartenariat[]>();
  for (const p of parts) byPays.set(p.pays, [...(byPays.get(p.pays) ?? []), p]);
  return html`${[...byPays.entries()].map(
    ([
      code,
      ps,
    ]) => html`<${new Html(level)} class="fr-h6 fr-mt-3w fr-mb-1w"><a href="${paysUrl(code)}">${nomPays(code)}</a></${new Html(level)}>
      <ul>${ps.map((p) => partenaireBlock(d, p))}</ul>`,
  )}`;
}

export function collectivitePage(d: AtlasData, c: PubCollectivite): string {
  const parts = d.partenariatsOf.get(c.id) ?? [];
  const coops = parts.filter((p) => p.nature === 'cooperation_decentralisee');
  const actions = parts.filter((p) => p.nature === 'action_exterieure');
  const fiches = d.fichesOfCollectivite.get(c.id) ?? [];
  const adhesions = d.adhesionsOf.get(c.id) ?? [];
  const apd = d.apdOf.get(c.id) ?? [];
  const ident: [string, Html | string | null][] = [
    ['Type', typeLabel(c)],
    ['Code officiel', c.code],
    ['Département', c.departement ? `${departementNom(c.departement)} (${c.departement})` : null],
    ['Région', regionNom(c.region)],
    ['Adresse', [c.adresse, [c.codePostal, c.commune].filter(Boolean).join(' ')].filter(Boolean).join(', ') || null],
    ['Site web', lienExterne(c.siteWeb)],
  ];
  const body = html`<h1>${c.nom}</h1>
    <p class="fr-text--lead">${typeLabel(c)}${lieu(c) ? ` — ${lieu(c)}` : ''}</p>
    <h2>Identité</h2>
    <dl class="atlas-identite" data-testid="identite">
      ${ident
        .filter(([, v]) => v)
        .map(
          ([k, v]) =>
            html`<dt>${k}</dt>
              <dd>${v}</dd>`,
        )}
    </dl>
    <h2>Réseaux</h2>
    ${
      adhesions.length
        ? html`<ul>
            ${adhesions.map(
              (a) =>
                html`<li>
                  ${a.reseauCode ? d.libelle('reseau', a.reseauCode) : a.reseauNom}${a.adherent ? ' — adhérente' : ''}${a.depuis ? ` depuis ${a.depuis}` : ''}${a.utilisePourActions ? ' — réseau utilisé pour ses actions extérieures' : ''}
                </li>`,
            )}
          </ul>`
        : html`<p>Aucun réseau publié.</p>`
    }
    <h2>Coopérations décentralisées</h2>
    ${coops.length ? parPays(d, coops, 'h3') : html`<p>Aucune coopération décentralisée publiée.</p>`}
    <h2>Autres actions extérieures</h2>
    ${actions.length ? parPays(d, actions, 'h3') : html`<p>Aucune autre action extérieure publiée.</p>`}
    <h2>Fiches-projets</h2>
    ${
      fiches.length
        ? table(
            `Fiches-projets de ${c.nom}`,
            ['Projet', 'Pays', 'Partenaire', 'Thématiques', 'Statut', 'Début'],
            fiches.map((x) => {
              const p = d.partenariatById.get(x.partenariatId)!;
              return html`<tr>
                <td><a href="${ficheUrl(x)}">${x.intitule}</a></td>
                <td>${nomPays(p.pays)}</td>
                <td>${p.nomPartenaire}</td>
                <td>${x.thematiques.map((t) => d.libelle('thematique', t)).join(', ')}</td>
                <td>${STATUT_PROJET_LABELS[x.statut]}</td>
                <td>${formatDate(x.dateDebut)}</td>
              </tr>`;
            }),
          )
        : html`<p>Aucune fiche-projet publiée.</p>`
    }
    <h2>Aide publique au développement (APD)</h2>
    ${
      apd.length
        ? html`<p>
              Montant total déclaré chaque année par la collectivité au titre de l’aide publique au développement.
            </p>
            ${table(
              `APD déclarée par ${c.nom}, par année`,
              ['Année', 'Total déclaré'],
              apd.map(
                (a) =>
                  html`<tr>
                    <td>${a.annee}</td>
                    <td class="atlas-num">${formatEuros(a.total)}</td>
                  </tr>`,
              ),
              { numeric: [1] },
            )}`
        : html`<p>Aucune déclaration d’APD publiée.</p>`
    }`;
  return page({
    title: c.nom,
    description: `${c.nom} (${typeLabel(c)}) : ses coopérations décentralisées, partenaires, projets et son aide publique au développement.`,
    canonical: collectiviteUrl(c),
    nav: 'collectivites',
    breadcrumb: [
      { href: '/atlas/', label: 'Accueil' },
      { href: '/atlas/collectivites', label: 'Collectivités' },
      { label: c.nom },
    ],
    body,
  });
}

// ---- Projets ----

export function filterFiches(d: AtlasData, f: Filtres): PubFiche[] {
  return d.fiches.filter((x) => {
    const c = d.collectiviteById.get(x.collectiviteId)!;
    const p = d.partenariatById.get(x.partenariatId)!;
    if (!collectiviteMatches(c, f)) return false;
    if (f.pays && p.pays !== f.pays) return false;
    if (f.jumelage && p.jumelage !== (f.jumelage === 'oui')) return false;
    if (f.thematique && !x.thematiques.includes(f.thematique)) return false;
    return true;
  });
}

export function projetsPage(d: AtlasData, f: Filtres): string {
  const list = filterFiches(d, f);
  const body = html`<h1>Les projets</h1>
    <p>Les fiches-projets publiées par les collectivités : un projet mené avec un partenaire étranger.</p>
    ${filtresForm(d, f, '/atlas/projets')}
    <p role="status" data-testid="nombre-resultats">${plural(list.length, 'projet', 'projets')}</p>
    ${
      list.length
        ? table(
            `Projets${f.page > 1 ? ` (page ${f.page})` : ''}`,
            ['Projet', 'Collectivité', 'Pays', 'Thématiques', 'Statut'],
            slice(list, f.page).map((x) => {
              const c = d.collectiviteById.get(x.collectiviteId)!;
              const p = d.partenariatById.get(x.partenariatId)!;
              return html`<tr>
                <td><a href="${ficheUrl(x)}">${x.intitule}</a></td>
                <td><a href="${collectiviteUrl(c)}">${c.nom}</a></td>
                <td>${nomPays(p.pays)}</td>
                <td>${x.thematiques.map((t) => d.libelle('thematique', t)).join(', ')}</td>
                <td>${STATUT_PROJET_LABELS[x.statut]}</td>
              </tr>`;
            }),
          )
        : html`<p>Aucun projet ne correspond à ces filtres.</p>`
    }
    ${pagination(list.length, f.page, (p) => `/atlas/projets${filtresQuery(f, p)}`)}`;
  return page({
    title: `Projets${f.page > 1 ? ` — page ${f.page}` : ''}`,
    description: 'Les projets de coopération décentralisée des collectivités françaises.',
    canonical: `/atlas/projets${filtresQuery(f)}`,
    nav: 'projets',
    breadcrumb: [{ href: '/atlas/', label: 'Accueil' }, { label: 'Projets' }],
    body,
  });
}

export function fichePage(d: AtlasData, x: PubFiche): string {
  const c = d.collectiviteById.get(x.collectiviteId)!;
  const p = d.partenariatById.get(x.partenariatId)!;
  const money = (n: number | null) => (n === null ? null : formatEuros(n));
  const rows: [string, Html | string | null][] = [
    ['Collectivité', html`<a href="${collectiviteUrl(c)}">${c.nom}</a>`],
    ['Partenaire', `${p.nomPartenaire} (${NATURE_LABELS[p.nature].toLowerCase()})`],
    ['Pays', html`<a href="${paysUrl(p.pays)}">${nomPays(p.pays)}</a>`],
    ['Thématiques', x.thematiques.map((t) => d.libelle('thematique', t)).join(', ')],
    ['Statut', STATUT_PROJET_LABELS[x.statut]],
    ['Début', formatDate(x.dateDebut)],
    ['Fin', x.dateFin ? formatDate(x.dateFin) : null],
    ['Coût total', money(x.coutTotal)],
    ['Participation de la collectivité', money(x.participationCollectivite)],
    [
      'Cofinancements',
      x.cofinancements.length
        ? x.cofinancements
            .map(
              (cf) =>
                `${FINANCEURS.find((fi) => fi.code === cf.financeur)?.label ?? cf.financeur} : ${formatEuros(cf.montant)}`,
            )
            .join(' ; ')
        : null,
    ],
    ['Maîtrise d’œuvre, opérateurs', x.operateurs],
    ['Bénéficiaires', x.beneficiaires],
    [
      'Objectifs de développement durable',
      x.odd.length ? x.odd.map((n) => `${n}. ${ODD.find((o) => o.numero === n)?.label ?? ''}`).join(' ; ') : null,
    ],
    ['Dispositif « 1 % »', x.dispositifUnPourCent !== 'aucun' ? DISPOSITIF_LABELS[x.dispositifUnPourCent] : null],
    ['Site web', lienExterne(x.siteWeb)],
  ];
  const body = html`<h1>${x.intitule}</h1>
    <p class="fr-text--lead">Projet de <a href="${collectiviteUrl(c)}">${c.nom}</a> ${enPays(p.pays)}</p>
    <h2>Description</h2>
    ${x.description.split(/\n{2,}/).map((para) => html`<p class="atlas-texte">${para}</p>`)}
    <h2>Fiche</h2>
    <dl class="atlas-identite" data-testid="fiche">
      ${rows
        .filter(([, v]) => v)
        .map(
          ([k, v]) =>
            html`<dt>${k}</dt>
              <dd>${v}</dd>`,
        )}
    </dl>`;
  return page({
    title: x.intitule,
    description: `Projet de ${c.nom} ${enPays(p.pays)} : ${x.description.slice(0, 150)}`,
    canonical: ficheUrl(x),
    nav: 'projets',
    breadcrumb: [
      { href: '/atlas/', label: 'Accueil' },
      { href: '/atlas/projets', label: 'Projets' },
      { label: x.intitule },
    ],
    body,
  });
}

// ---- Pays ----

/** Per country, what matches the filters: its French collectivités, partenariats and projets. */
function paysCounts(d: AtlasData, f: Filtres) {
  if (!PAYS_FILTER_KEYS.some((k) => f[k]))
    return d.paysListe.map((p) => ({
      pays: p,
      collectivites: p.collectivites.length,
      partenariats: p.partenariats.length,
      projets: p.fiches.length,
    }));
  const all = { ...f, pays: undefined };
  const parts = new Map<string, PubPartenariat[]>();
  for (const p of filterPartenariats(d, all)) {
    const a = parts.get(p.pays);
    if (a) a.push(p);
    else parts.set(p.pays, [p]);
  }
  const projets = new Map<string, number>();
  for (const x of filterFiches(d, all)) {
    const code = d.partenariatById.get(x.partenariatId)!.pays;
    projets.set(code, (projets.get(code) ?? 0) + 1);
  }
  return d.paysListe
    .filter((p) => parts.has(p.code))
    .map((p) => ({
      pays: p,
      collectivites: new Set(parts.get(p.code)!.map((x) => x.collectiviteId)).size,
      partenariats: parts.get(p.code)!.length,
      projets: projets.get(p.code) ?? 0,
    }));
}

export function paysListePage(d: AtlasData, f: Filtres): string {
  const list = paysCounts(d, f);
  const body = html`<h1>Les pays</h1>
    <p>Les pays où des collectivités françaises ont des partenaires.</p>
    ${filtresForm(d, f, '/atlas/pays', PAYS_FILTER_KEYS)}
    <p role="status" data-testid="nombre-resultats">${plural(list.length, 'pays', 'pays')}</p>
    ${
      list.length
        ? table(
            'Pays des partenariats',
            ['Pays', 'Collectivités françaises', 'Partenariats', 'Projets'],
            list.map(
              (r) =>
                html`<tr>
                  <td><a href="${paysUrl(r.pays.code)}">${r.pays.nom}</a></td>
                  <td class="atlas-num">${formatInt(r.collectivites)}</td>
                  <td class="atlas-num">${formatInt(r.partenariats)}</td>
                  <td class="atlas-num">${formatInt(r.projets)}</td>
                </tr>`,
            ),
            { numeric: [1, 2, 3] },
          )
        : d.paysListe.length
          ? html`<p>Aucun pays ne correspond à ces filtres.</p>`
          : html`<p>Aucun pays pour l’instant.</p>`
    }`;
  return page({
    title: 'Pays',
    description: 'Les pays des partenaires des collectivités françaises.',
    canonical: `/atlas/pays${filtresQuery(f)}`,
    nav: 'pays',
    breadcrumb: [{ href: '/atlas/', label: 'Accueil' }, { label: 'Pays' }],
    body,
  });
}

export function paysPage(d: AtlasData, code: string): string {
  const e = d.pays.get(code);
  const nom = nomPays(code);
  const them = e ? [...e.thematiques.entries()].sort((a, b) => b[1] - a[1]) : [];
  const parCollectivite = new Map<string, PubPartenariat[]>();
  for (const p of e?.partenariats ?? []) {
    const a = parCollectivite.get(p.collectiviteId);
    if (a) a.push(p);
    else parCollectivite.set(p.collectiviteId, [p]);
  }
  const body = html`<h1>${nom}</h1>
    ${
      !e
        ? html`<p>Aucune collectivité française n’a de partenaire publié ${enPays(code)}.</p>`
        : html`<p class="fr-text--lead">
              ${plural(e.collectivites.length, 'collectivité française travaille', 'collectivités françaises travaillent')}
              ${enPays(code)}, avec ${plural(e.partenariats.length, 'partenariat', 'partenariats')} et
              ${plural(e.fiches.length, 'projet', 'projets')}.
            </p>
            <h2>Thématiques des projets</h2>
            ${
              them.length
                ? table(
                    `Thématiques des projets ${enPays(code)}`,
                    ['Thématique', 'Projets'],
                    them.map(
                      ([t, n]) =>
                        html`<tr>
                          <td>
                            <a href="/atlas/projets?pays=${code}&amp;thematique=${t}">${d.libelle('thematique', t)}</a>
                          </td>
                          <td class="atlas-num">${formatInt(n)}</td>
                        </tr>`,
                    ),
                    { numeric: [1] },
                  )
                : html`<p>Aucun projet publié.</p>`
            }
            <h2>Collectivités françaises</h2>
            ${table(
              `Collectivités françaises ayant un partenaire ${enPays(code)}`,
              ['Collectivité', 'Partenaires', 'Thématiques'],
              e.collectivites.map((c) => {
                const ps = parCollectivite.get(c.id) ?? [];
                const ths = new Set(
                  ps.flatMap((p) => (d.fichesOfPartenariat.get(p.id) ?? []).flatMap((x) => x.thematiques)),
                );
                return html`<tr>
                  <td><a href="${collectiviteUrl(c)}">${c.nom}</a></td>
                  <td>${ps.map((p) => p.nomPartenaire).join(', ')}</td>
                  <td>${[...ths].map((t) => d.libelle('thematique', t)).join(', ')}</td>
                </tr>`;
              }),
            )}`
    }`;
  return page({
    title: nom,
    description: `Les collectivités françaises qui coopèrent ${enPays(code)}, leurs partenaires et leurs projets.`,
    canonical: paysUrl(code),
    nav: 'pays',
    breadcrumb: [{ href: '/atlas/', label: 'Accueil' }, { href: '/atlas/pays', label: 'Pays' }, { label: nom }],
    body,
  });
}

// ---- Recherche ----

const KINDS: Record<SearchEntry['kind'], { titre: string; un: string; des: string }> = {
  collectivite: { titre: 'Collectivités', un: 'collectivité', des: 'collectivités' },
  partenaire: { titre: 'Partenaires', un: 'partenaire', des: 'partenaires' },
  projet: { titre: 'Projets', un: 'projet', des: 'projets' },
  pays: { titre: 'Pays', un: 'pays', des: 'pays' },
};

export function search(d: AtlasData, q: string): Map<SearchEntry['kind'], SearchEntry[]> {
  const words = foldText(q)
    .split(' ')
    .filter((w) => w.length > 0)
    .slice(0, 8)
    .map((w) => ` ${w}`);
  const out = new Map<SearchEntry['kind'], SearchEntry[]>(
    (Object.keys(KINDS) as SearchEntry['kind'][]).map((k) => [k, []]),
  );
  if (!words.length) return out;
  // Candidates from the index by the longest word's first three letters (a full scan only for words of one or two).
  const longest = words.reduce((a, b) => (b.length > a.length ? b : a));
  const candidates =
    longest.length > 3 ? (d.searchIndex.get(longest.slice(1, 4)) ?? []).map((i) => d.search[i]!) : d.search;
  for (const e of candidates) if (words.every((w) => e.text.includes(w))) out.get(e.kind)!.push(e);
  return out;
}

function searchItem(d: AtlasData, e: SearchEntry): Html {
  switch (e.kind) {
    case 'collectivite': {
      const c = e.ref as PubCollectivite;
      return html`<li>
        <a href="${collectiviteUrl(c)}">${c.nom}</a> — ${typeLabel(c)}${lieu(c) ? `, ${lieu(c)}` : ''}
      </li>`;
    }
    case 'partenaire': {
      const p = e.ref as PubPartenariat;
      const c = d.collectiviteById.get(p.collectiviteId)!;
      return html`<li>
        <a href="${collectiviteUrl(c)}#partenariat-${p.id}">${p.nomPartenaire}</a> (${nomPays(p.pays)}) — partenaire de
        ${c.nom}
      </li>`;
    }
    case 'projet': {
      const x = e.ref as PubFiche;
      const c = d.collectiviteById.get(x.collectiviteId)!;
      return html`<li><a href="${ficheUrl(x)}">${x.intitule}</a> — ${c.nom}</li>`;
    }
    case 'pays': {
      const p = e.ref as { code: string; nom: string };
      return html`<li><a href="${paysUrl(p.code)}">${p.nom}</a></li>`;
    }
  }
}

export function recherchePage(d: AtlasData, q: string, kind: SearchEntry['kind'] | null, pageNo: number): string {
  const found = search(d, q);
  const total = [...found.values()].reduce((s, a) => s + a.length, 0);
  const enc = encodeURIComponent(q);
  const groups = (kind ? [kind] : (Object.keys(KINDS) as SearchEntry['kind'][])).map((k) => {
    const all = found.get(k)!;
    const shown = kind ? slice(all, pageNo) : all.slice(0, 10);
    return html`<section class="fr-mb-4w" aria-labelledby="resultats-${k}">
      <h2 id="resultats-${k}">${KINDS[k].titre} <span class="fr-text--md">(${formatInt(all.length)})</span></h2>
      ${
        shown.length
          ? html`<ul>
              ${shown.map((e) => searchItem(d, e))}
            </ul>`
          : html`<p>Aucun résultat.</p>`
      }
      ${
        !kind && all.length > 10
          ? html`<p>
              <a href="/atlas/recherche?q=${enc}&amp;type=${k}">Voir les ${formatInt(all.length)} ${KINDS[k].des}</a>
            </p>`
          : ''
      }
      ${kind ? pagination(all.length, pageNo, (p) => `/atlas/recherche?q=${enc}&type=${k}${p > 1 ? `&page=${p}` : ''}`) : ''}
    </section>`;
  });
  const body = html`<h1>Rechercher dans l’Atlas</h1>
    <form action="/atlas/recherche" method="get" role="search" aria-label="Rechercher dans l’Atlas" class="fr-mb-4w">
      <div class="fr-search-bar fr-search-bar--lg">
        <label class="fr-label" for="q-recherche">Une collectivité, un partenaire, un projet ou un pays</label>
        <input class="fr-input" type="search" id="q-recherche" name="q" value="${q}" />
        <button class="fr-btn" type="submit">Rechercher</button>
      </div>
    </form>
    ${
      q.trim()
        ? html`<p role="status" data-testid="nombre-resultats">
              ${plural(total, 'résultat', 'résultats')} pour « ${q}
              »${kind ? ` parmi les ${KINDS[kind].des}` : ''}.${kind ? html` <a href="/atlas/recherche?q=${enc}">Voir tous les résultats</a>` : ''}
            </p>
            ${groups}`
        : html`<p>Saisissez le nom d’une collectivité, d’un partenaire, d’un projet ou d’un pays.</p>`
    }`;
  return page({
    title: q.trim() ? `Recherche « ${q} »` : 'Recherche',
    description: 'Rechercher une collectivité, un partenaire, un projet ou un pays dans l’Atlas.',
    canonical: `/atlas/recherche${q ? `?q=${enc}` : ''}`,
    nav: '',
    breadcrumb: [{ href: '/atlas/', label: 'Accueil' }, { label: 'Recherche' }],
    body,
    q,
  });
}

// ---- Carte ----

export function cartePage(d: AtlasData, f: Filtres): string {
  const list = filterPartenariats(d, f);
  const q = filtresQuery({ ...f, page: 1 });
  const body = html`<h1>La carte des coopérations</h1>
    <p>
      Chaque partenaire d’une collectivité française, placé à sa localisation ou, à défaut, dans son pays. Les points
      proches sont regroupés : le nombre indique combien de partenaires ils réunissent. Le tableau sous la carte donne
      les mêmes informations.
    </p>
    ${filtresForm(d, f, '/atlas/carte')}
    <div
      id="carte"
      class="atlas-carte"
      role="region"
      aria-label="Carte des partenaires (le tableau ci-dessous en donne la version textuelle)"
      data-points="/atlas/carte/points.json${q}"
      data-fond="/atlas/carte/fond.json"
      hidden
    ></div>
    <p class="fr-text--sm fr-mt-1w" id="carte-aide" hidden>
      Disque plein rouge : coopération décentralisée ; cercle vide vert : autre action extérieure ; disque numéroté :
      groupe de partenaires proches (cliquez pour zoomer). Fond de carte : Natural Earth (domaine public). Le tableau
      ci-dessous donne la version textuelle.
    </p>
    <p role="status" data-testid="nombre-resultats">
      ${plural(list.length, 'partenariat', 'partenariats')}
      ${list.length ? `dans ${plural(new Set(list.map((p) => p.pays)).size, 'pays', 'pays')}` : ''}
    </p>
    ${
      list.length
        ? table(
            `Coopérations et actions extérieures${f.page > 1 ? ` (page ${f.page})` : ''}`,
            ['Collectivité', 'Pays', 'Partenaire', 'Nature', 'Jumelage'],
            slice(list, f.page).map((p) => {
              const c = d.collectiviteById.get(p.collectiviteId)!;
              return html`<tr>
                <td><a href="${collectiviteUrl(c)}">${c.nom}</a></td>
                <td><a href="${paysUrl(p.pays)}">${nomPays(p.pays)}</a></td>
                <td>${p.nomPartenaire}</td>
                <td>${NATURE_LABELS[p.nature]}</td>
                <td>${oui(p.jumelage)}</td>
              </tr>`;
            }),
          )
        : html`<p>Aucun partenariat ne correspond à ces filtres.</p>`
    }
    ${pagination(list.length, f.page, (p) => `/atlas/carte${filtresQuery(f, p)}`)}`;
  return page({
    title: `Carte des coopérations${f.page > 1 ? ` — page ${f.page}` : ''}`,
    description: 'La carte des partenaires des collectivités françaises dans le monde.',
    canonical: `/atlas/carte${filtresQuery(f)}`,
    nav: 'carte',
    breadcrumb: [{ href: '/atlas/', label: 'Accueil' }, { label: 'Carte' }],
    body,
    styles: [
      '/atlas/static/leaflet/leaflet.css',
      '/atlas/static/markercluster/MarkerCluster.css',
      '/atlas/static/markercluster/MarkerCluster.Default.css',
    ],
    scripts: [
      '/atlas/static/leaflet/leaflet.js',
      '/atlas/static/markercluster/leaflet.markercluster.js',
      '/atlas/static/carte.js',
    ],
  });
}

// ---- Not found ----

export function introuvablePage(what = 'Cette page'): string {
  return page({
    title: 'Page introuvable',
    description: 'Page introuvable.',
    canonical: '/atlas/',
    nav: '',
    body: html`<h1>Page introuvable</h1>
      <p>${what} n’existe pas ou n’est plus publiée dans l’Atlas.</p>
      <p><a href="/atlas/">Retour à l’accueil de l’Atlas</a> ou <a href="/atlas/recherche">rechercher</a>.</p>`,
  });
}

export { SITE_NAME };
