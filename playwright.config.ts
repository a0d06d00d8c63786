import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';

// Playwright's own Chromium when installed, else Debian's, with flags that keep it off the network.
function playwrightChromium(): boolean {
  const dir = process.env.PLAYWRIGHT_BROWSERS_PATH ?? join(homedir(), '.cache', 'ms-playwright');
  try {
    return readdirSync(dir).some((d) => d.startsWith('chromium'));
  } catch {
    return false;
  }
}
const executablePath = playwrightChromium()
  ? undefined
  : existsSync('/usr/bin/chromium')
    ? '/usr/bin/chromium'
    : undefined;

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--lang=fr-FR',
];

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './test/e2e/support/global-setup.ts',
  workers: 2,
  fullyParallel: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  outputDir: 'test-results/e2e',
  reporter: [['list']],
  use: {
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    acceptDownloads: true,
    // Traces only on request (E2E_TRACE=1): recording them for every test took a fifth of the run's time.
    trace: process.env.E2E_TRACE ? 'retain-on-failure' : 'off',
    screenshot: 'only-on-failure',
    // LANG gives date inputs the French JJ/MM/AAAA layout that users see.
    launchOptions: {
      executablePath,
      args: CHROMIUM_ARGS,
      env: { ...process.env, LANG: 'fr_FR.UTF-8', LANGUAGE: 'fr' },
    },
  },
});
