// The « Données ouvertes » pages of the public Atlas, written on the server: plain HTML in the State's design
// system (DSFR CSS served at /dsfr), readable without JavaScript. The body of each page is a function of its
// own; `layout` is a minimal frame until the public site's common layout takes it over.
import { DICTIONARY_COLUMNS, LICENCE, OPEN_DATASETS, dataDictionary } from '../../src-shared/public/openData';
import type { OpenDataFile, OpenDataSnapshot } from './files';

export function esc(s: unknown): string {
  return String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** « 1,2 Mo », « 830 ko », « 512 octets ». */
export function tailleFichier(bytes: number): string {
  const nf = (n: number) => n.toLocaleString('fr-FR', { maximumFractionDigits: 1 });
  if (bytes >= 1_000_000) return `${nf(bytes / 1_000_000)} Mo`;
  if (bytes >= 1_000) return `${nf(bytes / 1_000)} ko`;
  return `${bytes} octets`;
}

const dateFr = (d: Date) =>
  d.toLocaleString('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' }).replace(':', ' h ');

/** A minimal DSFR frame: header with the Marianne block, main content, footer with the licence. */
export function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="fr" data-fr-scheme="system">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} — Atlas de la coopération décentralisée</title>
<link rel="stylesheet" href="/dsfr/dsfr.min.css">
<link rel="stylesheet" href="/dsfr/utility/icons/icons.min.css">
</head>
<body>
<div class="fr-skiplinks"><nav class="fr-container" role="navigation" aria-label="Accès rapide"><ul class="fr-skiplinks__list"><li><a class="fr-link" href="#contenu">Contenu</a></li></ul></nav></div>
<header role="banner" class="fr-header"><div class="fr-header__body"><div class="fr-container"><div class="fr-header__body-row">
<div class="fr-header__brand fr-enlarge-link"><div class="fr-header__brand-top"><div class="fr-header__logo"><p class="fr-logo">République<br>française</p></div></div>
<div class="fr-header__service"><a href="/atlas/" title="Accueil — Atlas de la coopération décentralisée"><p class="fr-header__service-title">Atlas de la coopération décentralisée</p></a>
<p class="fr-header__service-tagline">L’action extérieure des collectivités territoriales</p></div></div>
</div></div></div></header>
<main role="main" id="contenu" tabindex="-1"><div class="fr-container fr-py-6w">
${body}
</div></main>
<footer class="fr-footer" role="contentinfo"><div class="fr-container"><div class="fr-footer__body">
<div class="fr-footer__brand"><p class="fr-logo">République<br>française</p></div>
<div class="fr-footer__content"><p class="fr-footer__content-desc">Données publiées sous la <a href="${LICENCE.url}" rel="license">${esc(LICENCE.nom)}</a>.</p></div>
</div></div></footer>
</body>
</html>
`;
}

/** A DSFR table's frame; its scrolling part takes the focus, so a keyboard can scroll a wide table. */
function tableStart(label: string): string {
  return `<div class="fr-table fr-table--no-caption fr-table--multiline"><div class="fr-table__wrapper"><div class="fr-table__container" tabindex="0" role="region" aria-label="${esc(label)}"><div class="fr-table__content">`;
}

/** A download link: its format, what it holds for screen readers, its size. */
function fileLink(f: OpenDataFile | undefined, what: string, text?: string): string {
  if (!f) return '—';
  const label = f.format.toUpperCase();
  return `<a class="fr-link fr-link--download" download href="/atlas/donnees/${esc(f.name)}">${text ? esc(text) : `${label}<span class="fr-sr-only"> : ${esc(what)}</span>`}<span class="fr-link__detail">${label} – ${esc(tailleFichier(f.bytes))}</span></a>`;
}

/** The body of /atlas/donnees: the files, their sizes and formats, the licence, the dictionary, the API. */
export function donneesBody(snap: OpenDataSnapshot, dictionary: readonly OpenDataFile[]): string {
  const rows = OPEN_DATASETS.map((d) => {
    const csv = snap.files.get(`${d.fichier}.csv`);
    const json = snap.files.get(`${d.fichier}.json`);
    return `<tr><th scope="row">${esc(d.titre)}<p class="fr-text--sm fr-text--regular fr-mb-0">${esc(d.description)}</p></th>
<td>${(csv?.records ?? 0).toLocaleString('fr-FR')}</td><td>${fileLink(csv, d.titre)}</td><td>${fileLink(json, d.titre)}</td></tr>`;
  }).join('\n');
  const all = snap.files.get('atlas-complet.json');
  const [dictCsv, dictJson] = dictionary;
  return `<h1>Données ouvertes de l’Atlas</h1>
<p class="fr-text--lead">Les données publiques de l’Atlas de la coopération décentralisée, à télécharger et réutiliser librement.</p>
<div class="fr-callout"><h2 class="fr-callout__title">Licence Ouverte 2.0</h2>
<p class="fr-callout__text">Toutes les données de cette page sont publiées sous la <a href="${LICENCE.url}" rel="license">${esc(LICENCE.nom)}</a> (Etalab) : vous pouvez les copier, les modifier et les réutiliser, y compris à des fins commerciales, en citant la source « ${esc(LICENCE.producteur)} » et la date de mise à jour.</p></div>
<p class="fr-mt-4w">Données à jour au <strong>${esc(dateFr(snap.modified))}</strong> (version ${snap.version}). Les fichiers sont regénérés après chaque modification synchronisée. Ni les contacts (données personnelles), ni les avis des services de l’État, ni le détail des déclarations d’aide publique au développement ne sont publiés.</p>
<h2>Fichiers par thème</h2>
${tableStart('Fichiers de données, par thème')}
<table><caption>Fichiers de données, par thème</caption>
<thead><tr><th scope="col">Données</th><th scope="col">Enregistrements</th><th scope="col">CSV (Excel)</th><th scope="col">JSON</th></tr></thead>
<tbody>
${rows}
</tbody></table></div></div></div></div>
<h2>Tout l’Atlas en un fichier</h2>
<p>Les six thèmes dans un seul document JSON :</p>
<p>${fileLink(all, 'tout l’Atlas', 'Télécharger tout l’Atlas')}</p>
<h2>Formats</h2>
<ul>
<li>CSV pour Excel en français : séparateur point-virgule, encodage UTF-8 avec BOM, fins de ligne CRLF, virgule décimale, dates AAAA-MM-JJ ; la première ligne donne le nom technique de chaque champ.</li>
<li>JSON : un objet avec la licence, le producteur, la date de mise à jour et la liste des enregistrements.</li>
</ul>
<h2>Dictionnaire des données</h2>
<p>Chaque champ de chaque fichier, son libellé, son type, ses valeurs autorisées et son unité : <a class="fr-link" href="/atlas/donnees/dictionnaire">consulter le dictionnaire</a>, ou le télécharger :</p>
<ul>
<li>${fileLink(dictCsv, 'dictionnaire des données', 'Dictionnaire des données (CSV)')}</li>
<li>${fileLink(dictJson, 'dictionnaire des données', 'Dictionnaire des données (JSON)')}</li>
</ul>
<h2>API pour les réutilisateurs</h2>
<p>Une API JSON en lecture seule, sans compte, avec pagination et filtres (région, département, type de collectivité, pays, thématique) : <a class="fr-link" href="/api/docs">documentation de l’API</a> (rubrique « données ouvertes »). Elle est limitée en nombre de requêtes par minute ; pour tout récupérer, préférez les fichiers ci-dessus.</p>
`;
}

/** The body of /atlas/donnees/dictionnaire: one table per file. */
export function dictionnaireBody(): string {
  const entries = dataDictionary();
  const cols = DICTIONARY_COLUMNS.filter((c) => c.key !== 'fichier');
  const tables = OPEN_DATASETS.map((d) => {
    const rows = entries
      .filter((e) => e.fichier === d.fichier)
      .map(
        (e) =>
          `<tr>${cols
            .map((c, i) => {
              const v = e[c.key];
              const text = typeof v === 'boolean' ? (v ? 'oui' : 'non') : v === null ? '—' : String(v);
              if (i === 0) return `<th scope="row"><code>${esc(text)}</code></th>`;
              // A choice list: one value a line.
              return `<td>${esc(text).split(' ; ').join('<br>')}</td>`;
            })
            .join('')}</tr>`,
      )
      .join('\n');
    return `<h2 id="${esc(d.fichier)}">${esc(d.titre)} <span class="fr-text--sm">(fichiers ${esc(d.fichier)}.csv et ${esc(d.fichier)}.json)</span></h2>
${tableStart(`Champs du fichier ${d.fichier}`)}
<table><caption>Champs du fichier ${esc(d.fichier)}</caption>
<thead><tr>${cols.map((c) => `<th scope="col">${esc(c.header.charAt(0).toUpperCase() + c.header.slice(1))}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody></table></div></div></div></div>`;
  }).join('\n');
  return `<nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :"><ol class="fr-breadcrumb__list">
<li><a class="fr-breadcrumb__link" href="/atlas/">Accueil</a></li><li><a class="fr-breadcrumb__link" href="/atlas/donnees">Données ouvertes</a></li>
<li><a class="fr-breadcrumb__link" aria-current="page">Dictionnaire des données</a></li></ol></nav>
<h1>Dictionnaire des données</h1>
<p class="fr-text--lead">Les champs publiés dans chaque fichier des données ouvertes, sous la <a href="${LICENCE.url}" rel="license">${esc(LICENCE.nom)}</a>.</p>
<p>Également disponible en <a class="fr-link" href="/atlas/donnees/dictionnaire.csv" download>CSV</a> et en <a class="fr-link" href="/atlas/donnees/dictionnaire.json" download>JSON</a>.</p>
${tables}
`;
}
