import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code (src/**/*.test.ts); golden-file and integration tests
// (real Helm and the chart cache, the API test double, a real browser) live in test/.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The e2e suite needs the Go-built components: `npm run test:e2e` (vitest.e2e.config.ts).
    exclude: ['test/e2e/**', '**/node_modules/**'],
    // A bound on hangs, not a speed test: the tests that render whole platforms with the real
    // Helm (plan + check, several times in the golden-path upgrade tests) took up to 132 s on a
    // loaded 2-core machine.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
