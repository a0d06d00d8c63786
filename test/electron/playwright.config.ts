import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';

// The Electron tests: a separate Playwright project, run with
// `npx playwright test -c test/electron/playwright.config.ts`. app.spec.ts skips itself, with the
// reason printed, where no Electron binary exists; desktop-csp.spec.ts runs in Chromium everywhere.
function playwrightChromium(): boolean {
  const dir = process.env['PLAYWRIGHT_BROWSERS_PATH'] ?? join(homedir(), '.cache', 'ms-playwright');
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

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  workers: 1,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  outputDir: '../../test-results/electron',
  reporter: [['list']],
  use: {
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    launchOptions: {
      executablePath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
});
