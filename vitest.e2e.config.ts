import { defineConfig } from 'vitest/config';

// The e2e suite (`npm run test:e2e`): real etcd, kube-apiserver, kube-controller-manager,
// kube-scheduler and kwok, built from their Go modules by `npm run e2e:build` into the user
// cache, started once by test/e2e/setup.ts. One cluster for the run, so files run one at a time.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/e2e/setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
  },
});
