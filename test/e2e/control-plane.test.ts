/**
 * The e2e environment is the real thing: the API server built from the pinned
 * Kubernetes release answers /version with it, the real kube-scheduler places a
 * Deployment's pods (created by the real controller-manager) on kwok nodes, kwok
 * makes them Running and Ready, and the built-in edge platform's nodes exist with
 * the labels and taints its k3s cluster registers.
 */
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../src/model/k8s.js';
import { CONTROL_PLANE_TAINT, POOL_LABEL } from '../../src/model/profiles.js';
import { readVersions } from '../../scripts/e2e/cache.js';
import { useE2eCluster } from './harness/cluster.js';
import { platformOf } from './harness/nodes.js';
import { until } from './harness/procs.js';

const versions = readVersions();
const cluster = useE2eCluster({ network: 'ready' });

type PodLike = K8sObject & {
  spec: { nodeName?: string };
  status?: { phase?: string; podIP?: string; conditions?: { type: string; status: string }[] };
};

describe('the e2e control plane', () => {
  const client = () => cluster.get().client;
  it('serves the pinned Kubernetes release', async () => {
    const v = await client().version();
    expect(v.gitVersion).toBe(versions.kubernetes.version);
    expect(`v1.${v.minor}`).toBe(versions.kubernetes.version.split('.').slice(0, 2).join('.'));
  });

  it("registers the edge platform's nodes with its k3s labels and the server's control-plane taint, Ready through kwok", async () => {
    const platform = platformOf();
    const nodes = await client().list('v1', 'Node');
    expect(nodes.map((n) => n.metadata.name).sort()).toEqual(platform.nodes.map((n) => n.name).sort());
    for (const want of platform.nodes) {
      const node = nodes.find((n) => n.metadata.name === want.name)!;
      const labels = node.metadata.labels ?? {};
      expect(labels[POOL_LABEL]).toBe(want.pool);
      expect(labels['kubernetes.io/hostname']).toBe(want.name);
      const taints = ((node.spec as { taints?: { key: string; effect: string }[] }).taints ?? []).map((t) => `${t.key}:${t.effect}`);
      if (want.role === 'control-plane') {
        expect(labels['node-role.kubernetes.io/control-plane']).toBe('true');
        expect(taints).toContain(`${CONTROL_PLANE_TAINT.key}:${CONTROL_PLANE_TAINT.effect}`);
      } else {
        expect(labels['node-role.kubernetes.io/control-plane']).toBeUndefined();
        expect(taints).toEqual([]);
      }
      const status = node.status as { capacity: Record<string, string>; conditions: { type: string; status: string }[] };
      expect(status.capacity.cpu).toBe(`${want.capacity.cpu / 1000}`);
      expect(status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
    }
  });

  it('schedules a Deployment onto the worker nodes with the real scheduler, and kwok makes its pods Running and Ready', async () => {
    const ns = 'e2e-smoke';
    await client().apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await client().apply({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: ns },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'registry.invalid/web:1', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] },
        },
      },
    } as K8sObject);
    const pods = await until('3 web pods Running and Ready', 90_000, async () => {
      const list = (await client().list('v1', 'Pod', { namespace: ns, labelSelector: 'app=web' })) as PodLike[];
      const ready = list.filter((p) => p.status?.phase === 'Running' && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
      return ready.length === 3 ? ready : undefined;
    });
    const server = platformOf().nodes.find((n) => n.role === 'control-plane')!.name;
    for (const p of pods) {
      // The scheduler bound it (the pod named no node), never to the tainted server.
      expect(p.spec.nodeName).toBeTruthy();
      expect(p.spec.nodeName).not.toBe(server);
      expect(p.status?.podIP).toMatch(/^127\./);
    }
    const deployment = await until('the Deployment to be Available', 60_000, async () => {
      const d = await client().get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'web' });
      const conds = ((d?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []);
      return conds.some((c) => c.type === 'Available' && c.status === 'True') ? d : undefined;
    });
    expect((deployment.status as { readyReplicas?: number }).readyReplicas).toBe(3);
    const events = await client().list('v1', 'Event', { namespace: ns });
    const scheduled = events.filter((e) => (e as { reason?: string }).reason === 'Scheduled');
    expect(scheduled.map((e) => (e as { reportingComponent?: string }).reportingComponent)).toEqual(['default-scheduler', 'default-scheduler', 'default-scheduler']);
    await client().delete({ apiVersion: 'v1', kind: 'Namespace', name: ns });
  });
});
