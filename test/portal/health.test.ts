/**
 * The overview's sync and health, read from a cluster: the Kubernetes API
 * TEST DOUBLE (test/double/kube-api-double.ts) serves Argo CD Applications
 * with their status, as Argo CD would write them; the portal shows them per
 * component, and says so when no cluster is connected.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectCluster } from '../../src/cluster/index.js';
import { parseConfig } from '../../src/config/load.js';
import { starterConfig } from '../../src/config/starter.js';
import { desiredState } from '../../src/desired/index.js';
import { clusterHealth } from '../../src/portal/health.js';
import { KubeApiTestDouble } from '../double/kube-api-double.js';

let double: KubeApiTestDouble | undefined;
afterAll(() => double?.close());

describe('portal cluster health', () => {
  it('maps each component to its Application sync and health', async () => {
    double = await KubeApiTestDouble.start();
    double.put({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'applications.argoproj.io' },
      spec: { group: 'argoproj.io', scope: 'Namespaced', names: { kind: 'Application', plural: 'applications' }, versions: [{ name: 'v1alpha1', served: true, storage: true, subresources: { status: {} } }] },
    });
    double.establishCrd('applications.argoproj.io');
    const app = (name: string, sync: string, health: string, message?: string) =>
      double!.put({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: 'argocd' }, status: { sync: { status: sync }, health: { status: health, ...(message ? { message } : {}) } } });
    app('argocd', 'Synced', 'Healthy');
    app('kyverno', 'OutOfSync', 'Degraded', 'Deployment kyverno-admission-controller has 0 available replicas');
    const client = connectCluster({ file: await double.writeKubeconfig(await mkdtemp(join(tmpdir(), 'plinth-health-'))), env: {} });
    const view = await clusterHealth(desiredState(parseConfig(starterConfig(), 'plinth.yaml')), client);
    expect(view.health!.get('argocd')).toEqual({ sync: 'Synced', health: 'Healthy' });
    expect(view.health!.get('kyverno')).toEqual({ sync: 'OutOfSync', health: 'Degraded', message: 'Deployment kyverno-admission-controller has 0 available replicas' });
    expect(view.health!.get('vault')).toMatchObject({ sync: 'Missing', health: 'Missing' });
    expect(view.note).toMatch(/^context .+: 1 of 18 components healthy$/);
  });
});
