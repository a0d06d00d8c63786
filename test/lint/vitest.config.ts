import { defineConfig } from 'vitest/config';

// The boundary test runs apart from the unit suite (npm test runs it in its lint step).
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/lint/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
