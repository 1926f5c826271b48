import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code (src/**/*.test.ts); golden-file and integration tests
// (real Helm and the chart cache, the API test double, a real browser) live in test/.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The e2e suite needs the Go-built components: `npm run test:e2e` (vitest.e2e.config.ts).
    exclude: ['test/e2e/**', '**/node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
