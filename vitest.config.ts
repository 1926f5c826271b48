import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code (src/**/*.test.ts); golden-file and integration tests
// (real Helm and the chart cache, the API test double, a real browser) live in test/.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
