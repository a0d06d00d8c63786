// ESLint flat config. Two jobs: the process boundaries (which folder may import what: an
// allow-list of packages per process, plus the other side's globals refused — the rules that
// matter, proven to bite by test/lint/boundaries.test.ts) and a light, fast style baseline (no
// type-aware linting: `tsc -b`, one project per process, already checks types).
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...new Set(builtinModules.map((m) => m.replace(/^node:/, '')))];
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * A package family, matched exactly on the bare specifier (and its subpaths), never on a
 * relative path: "./http" or "../domain" are ours, "http" and "domain" are Node's.
 */
const modules = (names, message, { subpaths = true } = {}) => ({
  regex: `^(${names.map((n) => (n.endsWith('*') ? `${escape(n.slice(0, -1))}[^/]*` : escape(n))).join('|')})${subpaths ? '(/.*)?' : ''}$`,
  message,
});
/** A folder of ours, imported by any relative or aliased path ("../../src-server/app"). */
const folder = (name, message) => ({ regex: `(^|/)${name}(/|$)`, message });

const NODE = {
  regex: `^(node:.*|(${nodeBuiltins.map(escape).join('|')})(/.*)?)$`,
  message: 'Module Node interdit ici : ce code ne tourne pas dans Node (frontière de processus).',
};
const ELECTRON = {
  // electron-log/renderer is the renderer's own entry; the rest needs the main process.
  regex: '^(electron(/.*)?|electron-updater(/.*)?|electron-log(/(main|node))?)$',
  message: 'Electron est réservé au processus principal (src-main).',
};
const DEXIE = modules(['dexie', 'dexie-react-hooks'], 'Dexie (IndexedDB) est réservé au client (src-renderer).');
const UI = modules(
  ['react', 'react-dom', 'react-hook-form', '@codegouvfr/*', 'leaflet'],
  "Les bibliothèques d'interface sont réservées au client (src-renderer).",
);
const SERVER_LIBS = modules(
  ['fastify', 'fastify-*', '@fastify/*', 'pg', 'pg-*', '@electric-sql/*', 'nodemailer', 'smtp-server', '@node-rs/*'],
  'Bibliothèque serveur ou Node interdite ici (frontière de processus).',
);
const NO_SERVER = folder('src-server', 'Seuls le serveur et ses tests importent src-server.');
const NO_RENDERER = folder('src-renderer', 'src-renderer (code navigateur) ne doit pas être importé ici.');
const NO_MAIN = folder('src-main', 'src-main (processus principal Electron) ne doit pas être importé ici.');

/** A folder of the renderer reached by going up from a sibling ("../../sync/engine"), not a module of one's own folder. */
const layer = (names, message) => ({ regex: `^(\\.\\./)+(${names.join('|')})(/|$)`, message });
// The renderer's layers, top to bottom: app/ (the shell) → features/ (the screens) → core/ (router,
// context, records, server calls, platform) and ui/ (building blocks) → db/, sync/, api/, host/.
const FEATURE_BELOW = layer(
  ['db', 'sync', 'api', 'host'],
  "Les écrans (features/) passent par core/ (données, serveur, plateforme), jamais par db/, sync/, api/ ou host/ : c'est core/ qui dit ce qu'ils en utilisent.",
);
const FEATURE_DEXIE = modules(
  ['dexie', 'dexie-react-hooks'],
  'Les écrans (features/) lisent les données par core/data (useRecords…), jamais par Dexie directement.',
);
const NO_SHELL = layer(['app'], "app/ est l'enveloppe de l'application, tout en haut : rien en dessous ne l'importe.");
const NO_SCREENS = layer(['features'], 'core/ et ui/ sont sous les écrans (features/) : ils ne les importent pas.');
const MACHINERY_UP = layer(
  ['app', 'features', 'core', 'ui'],
  'db/, sync/, api/ et host/ sont la machinerie du bas : ils n’importent ni app/, ni features/, ni core/, ni ui/.',
);

const restrict = (...patterns) => ['error', { patterns }];
/** What every part of the renderer is refused; the layer blocks below add theirs. */
const RENDERER_DENIED = [NODE, ELECTRON, SERVER_LIBS, NO_SERVER, NO_MAIN];

/**
 * The allow-list of a process: every bare package it may import, by exact name (and subpaths).
 * A package listed nowhere is an error until it is placed: add it to the process that needs it.
 * Relative imports are ours (the folder rules above judge them). `alsoAllowed` holds patterns
 * that are reported elsewhere (a deny pattern with a clearer message) or allowed (Node's modules).
 */
const SHARED_PACKAGES = ['zod', 'uuid', 'i18n-iso-countries'];
const ALLOWED = {
  'src-shared': SHARED_PACKAGES,
  'src-renderer': [
    ...SHARED_PACKAGES,
    'react',
    'react-dom',
    'react-hook-form',
    '@codegouvfr/react-dsfr',
    'dexie',
    'dexie-react-hooks',
    'leaflet',
    'topojson-client',
    'topojson-specification',
    'geojson',
    'world-atlas',
    'electron-log/renderer',
  ],
  'src-server': [
    ...SHARED_PACKAGES,
    'fastify',
    'fastify-type-provider-zod',
    '@fastify/compress',
    '@fastify/rate-limit',
    '@fastify/static',
    '@fastify/swagger',
    '@fastify/swagger-ui',
    'pg',
    '@electric-sql/pglite',
    '@node-rs/argon2',
    'nodemailer',
    '@etalab/decoupage-administratif',
    // the public Atlas's map (src-server/atlas-public/carte.ts): the app's offline basemap, converted once
    'topojson-client',
  ],
  'src-main': [...SHARED_PACKAGES, 'electron', 'electron-log', 'electron-updater', 'builder-util-runtime'],
  'src-main/preload': ['electron'],
};
const allowOnly = (process, ...alsoAllowed) => {
  const known = [modules(ALLOWED[process]).regex, ...alsoAllowed.map((p) => p.regex)].map((r) => `(?:${r})`);
  return {
    regex: `^(?![./])(?!${known.join('|')}).+$`,
    message: `Paquet non autorisé dans ${process} : chaque processus n'importe que les paquets de sa liste (ALLOWED, eslint.config.js). Ajoutez-le à la liste du processus où il a sa place.`,
  };
};
const restrictTo = (process, { node = false } = {}, ...denied) =>
  restrict(...denied, allowOnly(process, ...denied, ...(node ? [NODE] : [])));

/** Node's globals, absent from the browser code (the renderer's tsconfig has no Node types either). */
const NODE_GLOBALS = ['process', 'Buffer', 'global', '__dirname', '__filename', 'require', 'setImmediate'];
/** The browser's globals, absent from Node (the server's tsconfig has no DOM either). */
const BROWSER_GLOBALS = ['window', 'document', 'localStorage', 'sessionStorage', 'indexedDB', 'location'];
const noGlobals = (names, why) => ['error', ...names.map((name) => ({ name, message: `« ${name} » ${why}` }))];

// Dynamic import() and require() would slip past no-restricted-imports. The renderer may load Dexie
// lazily (it is its own library); nothing else may.
const noDynamic = (modules) => [
  'error',
  {
    selector: `ImportExpression[source.value=/^(${modules})/]`,
    message: 'Import dynamique interdit ici (frontière de processus).',
  },
  {
    selector: "CallExpression[callee.name='require']",
    message: 'require() interdit ici : utilisez import (frontière de processus).',
  },
];
const noDynamicNode = noDynamic('node:|electron$|dexie$');

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test/lint/fixtures/**',
      'public/**',
      'src-renderer/public/**',
      'bench/results/**',
      'test-results/**',
      'playwright-report/**',
      'coverage/**',
      'data/**',
      '.tmp/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'warn' },
    rules: {
      // Style is not gated by CI: five engineers write in parallel; keep only rules that catch bugs.
      '@typescript-eslint/no-unused-vars': [
        'warn',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-empty-object-type': 'off',
      '@typescript-eslint/no-unsafe-declaration-merging': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      'no-empty': ['warn', { allowEmptyCatch: true }],
      'no-control-regex': 'off',
      'no-useless-escape': 'warn',
      'no-constant-condition': ['error', { checkLoops: false }],
      'prefer-const': 'warn',
      'preserve-caught-error': 'off',
      'no-useless-assignment': 'warn',
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}', 'scripts/**', 'bench/**', '*.config.{js,ts,mjs}', 'electron.vite.config.ts', '.ci/**'],
    languageOptions: { globals: { ...globals.node } },
  },

  // ---- Process boundaries ----
  {
    files: ['src-shared/**/*.{ts,tsx,js,mjs}'],
    rules: {
      'no-restricted-imports': restrictTo(
        'src-shared',
        {},
        NODE,
        ELECTRON,
        DEXIE,
        UI,
        SERVER_LIBS,
        NO_SERVER,
        NO_RENDERER,
        NO_MAIN,
      ),
      'no-restricted-globals': [
        'error',
        ...[
          'window',
          'document',
          'localStorage',
          'sessionStorage',
          'indexedDB',
          'navigator',
          'location',
          'process',
          'Buffer',
          '__dirname',
          '__filename',
          'require',
        ].map((name) => ({
          name,
          message: `« ${name} » n'existe pas partout : src-shared tourne dans Node, le navigateur et Electron.`,
        })),
      ],
      'no-restricted-syntax': noDynamicNode,
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx,js,mjs}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': restrictTo('src-renderer', {}, ...RENDERER_DENIED),
      'no-restricted-globals': noGlobals(NODE_GLOBALS, "est un global de Node : il n'existe pas dans le navigateur."),
      'no-restricted-syntax': noDynamic('node:|electron$'),
    },
  },
  // ---- Layers inside the renderer (each block restates the renderer's rules: a later block replaces them) ----
  {
    files: ['src-renderer/features/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': restrictTo(
        'src-renderer',
        {},
        ...RENDERER_DENIED,
        FEATURE_BELOW,
        FEATURE_DEXIE,
        NO_SHELL,
      ),
      'no-restricted-syntax': noDynamic('node:|electron$|dexie|(\\.\\.\\W)+(db|sync|api|host|app)(\\W|$)'),
    },
  },
  {
    files: ['src-renderer/core/**/*.{ts,tsx}', 'src-renderer/ui/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': restrictTo('src-renderer', {}, ...RENDERER_DENIED, NO_SHELL, NO_SCREENS),
    },
  },
  {
    files: ['src-renderer/{db,sync,api,host}/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': restrictTo('src-renderer', {}, ...RENDERER_DENIED, MACHINERY_UP),
    },
  },
  {
    files: ['src-server/**/*.{ts,tsx,js,mjs}'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': restrictTo('src-server', { node: true }, ELECTRON, DEXIE, UI, NO_RENDERER, NO_MAIN),
      'no-restricted-globals': noGlobals(BROWSER_GLOBALS, "est un global du navigateur : il n'existe pas dans Node."),
    },
  },
  {
    // The public Atlas's map script, served as it is to browsers (no build): browser globals and Leaflet's L.
    files: ['src-server/atlas-public/navigateur/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser, L: 'readonly' } },
    rules: { 'no-restricted-globals': 'off' },
  },
  {
    files: ['src-main/**/*.{ts,tsx,js,mjs}'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': restrictTo('src-main', { node: true }, DEXIE, UI, NO_SERVER, NO_RENDERER),
    },
  },
  {
    // The sandboxed preload: Electron's renderer-side API only, no Node module.
    files: ['src-main/preload/**/*.{ts,tsx,js,mjs}'],
    rules: {
      'no-restricted-imports': restrictTo('src-main/preload', {}, NODE, DEXIE, UI, NO_SERVER, NO_RENDERER),
    },
  },
  {
    // Tests and tools run in Node; they may import anything (the server's tests import src-server).
    files: ['test/**', 'bench/**', 'scripts/**'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
