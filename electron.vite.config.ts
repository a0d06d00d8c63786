import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { DEFAULT_UPDATES_FEED_URL, parseUpdatesFeedUrl } from './src-main/updateFeedUrl';
import type { Plugin } from 'vite';
import { writeDsfrLoginCss } from './scripts/dsfrLoginCss';

// One build for the three Electron targets. The renderer output (out/renderer) is also what the
// CNCD server serves to browsers at `/`, hence relative asset paths (works under app:// and http).
//
// Main and preload bundle their dependencies (externalizeDeps: false) so the packaged asar needs no
// node_modules at all: no server dependency (fastify, pg, pglite…) can leak into the desktop app.
const root = fileURLToPath(new URL('.', import.meta.url));
// Where the desktop app takes its updates from: fixed by the build (ATLAS_UPDATES_URL), never by the
// sync server address a user may change at run time (src-main/releaseConfig.ts).
const updatesFeedUrl = parseUpdatesFeedUrl(process.env['ATLAS_UPDATES_URL'] || DEFAULT_UPDATES_FEED_URL);

// Public (unhashed) files the login screen needs, and the fonts worth having offline.
const PUBLIC_SHELL = [
  'dsfr/atlas-connexion.css',
  'dsfr/atlas-polices.css',
  'dsfr/dsfr.min.css',
  'dsfr/utility/icons/icons.min.css',
  'dsfr/favicon/favicon.svg',
];
const PUBLIC_REST = [
  'dsfr/fonts/Marianne-Regular.woff2',
  'dsfr/fonts/Marianne-Bold.woff2',
  'dsfr/fonts/Marianne-Medium.woff2',
];

/** The login screen's DSFR sheet and the deferred fonts sheet, written into public/dsfr before each build. */
function dsfrLoginCss(): Plugin {
  return {
    name: 'atlas-dsfr-login-css',
    buildStart() {
      writeDsfrLoginCss(
        resolve(root, 'node_modules/@codegouvfr/react-dsfr/dsfr'),
        resolve(root, 'src-renderer/public/dsfr'),
      );
    },
  };
}

/**
 * Brotli (quality 11) and gzip copies of the text files, served as they are by the server
 * (@fastify/static preCompressed): smaller than what it compresses on the fly (brotli 4), for no CPU.
 */
function precompress(): Plugin {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? walk(p) : [p];
    });
  // The folder this build writes (--outDir moves it: the packaging and start scripts build elsewhere).
  let outDir = resolve(root, 'out/renderer');
  return {
    name: 'atlas-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      for (const file of walk(outDir)) {
        if (!/\.(js|css|html|json|svg)$/.test(file) || statSync(file).size < 1_024) continue;
        const data = readFileSync(file);
        writeFileSync(`${file}.br`, brotliCompressSync(data, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }));
        writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
      }
    },
  };
}

/**
 * Writes sw-manifest.json for the service worker: `shell`, the files of the login screen (cached at
 * install), and `all`, every built file (cached after the first sync), so every screen opens offline.
 */
function serviceWorkerManifest(): Plugin {
  return {
    name: 'atlas-sw-manifest',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = Object.values(bundle)
        .map((f) => f.fileName)
        .filter((f) => !f.endsWith('.map') && f !== 'index.html');
      const shell = new Set<string>();
      const visit = (name: string) => {
        const chunk = bundle[name];
        if (!chunk || chunk.type !== 'chunk' || shell.has(name)) return;
        shell.add(name);
        for (const css of chunk.viteMetadata?.importedCss ?? []) shell.add(css);
        for (const asset of chunk.viteMetadata?.importedAssets ?? []) shell.add(asset);
        chunk.imports.forEach(visit);
      };
      for (const f of Object.values(bundle)) if (f.type === 'chunk' && f.isEntry) visit(f.fileName);
      this.emitFile({
        type: 'asset',
        fileName: 'sw-manifest.json',
        source: JSON.stringify({
          shell: [...PUBLIC_SHELL, ...shell],
          all: [...PUBLIC_SHELL, ...PUBLIC_REST, ...files],
        }),
      });
    },
  };
}

export default defineConfig({
  main: {
    define: { __ATLAS_UPDATES_URL__: JSON.stringify(updatesFeedUrl) },
    build: {
      outDir: 'out/main',
      externalizeDeps: false,
      lib: { entry: resolve(root, 'src-main/main.ts'), formats: ['es'], fileName: () => 'main.js' },
      rolldownOptions: {
        output: { entryFileNames: 'main.js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // Sandboxed preloads cannot load modules: one self-contained CommonJS file.
      externalizeDeps: false,
      isolatedEntries: true,
      rolldownOptions: {
        input: { index: resolve(root, 'src-main/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    base: './',
    plugins: [react(), dsfrLoginCss(), serviceWorkerManifest(), precompress()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      // electron-vite leaves the renderer unminified by default; browsers download it (issue 11).
      minify: true,
      // SOURCEMAP=1 npm run build: to see what each chunk is made of.
      sourcemap: !!process.env.SOURCEMAP,
      emptyOutDir: true,
      rolldownOptions: {
        input: { index: resolve(root, 'src-renderer/index.html') },
      },
    },
  },
});
