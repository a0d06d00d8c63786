import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// One build for the three Electron targets. The renderer output (out/renderer) is also what the
// CNCD server serves to browsers at `/`, hence relative asset paths (works under app:// and http).
//
// Main and preload bundle their dependencies (externalizeDeps: false) so the packaged asar needs no
// node_modules at all: no server dependency (fastify, pg, pglite…) can leak into the desktop app.
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  main: {
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
    plugins: [react()],
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
