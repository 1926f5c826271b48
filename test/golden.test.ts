/**
 * Golden files of the generated GitOps repository (the built-in edge
 * platform): the bootstrap, and two components end to end. A change to the
 * synthesis shows up here as a readable diff; regenerate on purpose with
 * `npx vitest run test/golden.test.ts -u` and review the diff like code.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { starterConfig } from '../src/config/starter.js';
import { desiredState } from '../src/desired/index.js';
import { synthesize } from '../src/synth/index.js';

const files = synthesize(desiredState(parseConfig(starterConfig(), 'plinth.yaml')));
const GOLDEN = [...files.keys()].filter((p) => p.startsWith('bootstrap/root') || p.startsWith('platform/core/cert-manager/') || p.startsWith('platform/networking/platform-gateway/'));

describe('golden files of the edge platform', () => {
  it('covers the bootstrap and two components', () => {
    expect(GOLDEN).toContain('bootstrap/root-app.yaml');
    expect(GOLDEN).toContain('platform/core/cert-manager/values.yaml');
    expect(GOLDEN.length).toBeGreaterThan(10);
  });

  it.each(GOLDEN)('%s', async (path) => {
    await expect(files.get(path)).toMatchFileSnapshot(`golden/${path}`);
  });
});
