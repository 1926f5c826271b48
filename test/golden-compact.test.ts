/**
 * Golden files of the compact repository (seed 002): the units the compact
 * profile adds, and the bootstrap of its engine. Written under
 * golden/compact-<engine>/ (COMPACT_TEST_ENGINE: Flux, the compact preset). Regenerate on purpose with
 * `npx vitest run test/golden-compact.test.ts -u` and review the diff like code.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { compactTestConfig, COMPACT_TEST_ENGINE } from '../src/config/test-configs.js';
import { desiredState } from '../src/desired/index.js';
import { synthesize } from '../src/synth/index.js';

const files = synthesize(desiredState(parseConfig(compactTestConfig(), 'plinth.yaml')));
const UNITS = ['networking/metallb', 'networking/ingress-nginx', 'core/sealed-secrets', 'observability/opentelemetry-collector', 'security/network-policies', 'security/platform-access'];
const GOLDEN = [...files.keys()].filter((p) => p.startsWith('bootstrap/') || p.startsWith('clusters/') || UNITS.some((u) => p.startsWith(`platform/${u}/`)) || p.startsWith('platform/core/flux/'));

describe(`golden files of the compact platform (${COMPACT_TEST_ENGINE})`, () => {
  it('covers the bootstrap and the units compact adds', () => {
    for (const u of UNITS) expect(GOLDEN.some((p) => p.startsWith(`platform/${u}/`)), u).toBe(true);
    expect(GOLDEN.some((p) => p.startsWith(COMPACT_TEST_ENGINE === 'flux' ? 'clusters/' : 'bootstrap/root'))).toBe(true);
  });

  it.each(GOLDEN)('%s', async (path) => {
    await expect(files.get(path)).toMatchFileSnapshot(`golden/compact-${COMPACT_TEST_ENGINE}/${path}`);
  });
});
