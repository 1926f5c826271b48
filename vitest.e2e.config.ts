import { defineConfig } from 'vitest/config';

// The e2e suite (`npm run test:e2e`): real etcd, kube-apiserver, kube-controller-manager,
// kube-scheduler and kwok, built from their Go modules by `npm run e2e:build` into the user
// cache, checked by test/e2e/setup.ts. Each file starts its own cluster; they share the machine, so files run one at a time.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/e2e/setup.ts'],
    setupFiles: ['test/e2e/harness/cli-on-failure.ts'],
    // A bound on hangs, not a speed assertion: above the longest --step-timeout a test gives
    // `plinth up` (4 min), so a stuck wait ends in up's own error, printed with its output.
    testTimeout: 600_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
  },
});
