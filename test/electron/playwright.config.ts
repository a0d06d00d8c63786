import { defineConfig } from '@playwright/test';

// The Electron tests: a separate Playwright project, run with
// `npx playwright test -c test/electron/playwright.config.ts`. Each test skips itself, with the
// reason printed, where no Electron binary exists (ELECTRON_PATH or the electron package's binary).
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  workers: 1,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  outputDir: '../../test-results/electron',
  reporter: [['list']],
});
