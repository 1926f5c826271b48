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

/** The lab platform (seed 004): its bootstrap and the units that carry its flows. */
const lab = synthesize(desiredState(parseConfig(starterConfig('lab'), 'plinth.yaml')));
const LAB_DIRS = [
  'bootstrap/root',
  'platform/networking/istio-gateway/',
  'platform/networking/istiod/',
  'platform/observability/opentelemetry-collector/',
  'platform/cicd/argo-rollouts/',
  'platform/cicd/jenkins/',
  'platform/storage/minio/',
  'platform/storage/velero/',
];
const LAB_GOLDEN = [...lab.keys()].filter((p) => LAB_DIRS.some((d) => p.startsWith(d)));

describe('golden files of the lab platform', () => {
  it('covers the bootstrap, the mesh, the pipeline, the rollouts and the backups', () => {
    expect(LAB_GOLDEN).toContain('platform/cicd/jenkins/pipelines/Jenkinsfile');
    expect(LAB_GOLDEN).toContain('platform/networking/istio-gateway/manifests/gateway-platform.yaml');
    expect(LAB_GOLDEN).toContain('platform/cicd/argo-rollouts/manifests/clusteranalysistemplate-istio-canary.yaml');
    expect(LAB_GOLDEN.length).toBeGreaterThan(40);
  });

  it.each(LAB_GOLDEN)('%s', async (path) => {
    await expect(lab.get(path)).toMatchFileSnapshot(`golden-lab/${path}`);
  });
});
