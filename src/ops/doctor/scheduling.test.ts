import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../model/k8s.js';
import { plannerReason } from './scheduling.js';

const node = (name: string): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name } },
  status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110' } },
});
const pod = (name: string, namespace: string, spec: Record<string, unknown>, labels: Record<string, string> = {}): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels },
  spec: { containers: [{ name: 'c', resources: { requests: { cpu: '100m', memory: '64Mi' } } }], ...spec },
  status: { phase: spec.nodeName ? 'Running' : 'Pending' },
});

describe("the planner's reason for a pending pod, on live data", () => {
  it('reads the live namespaces for affinity terms with a namespaceSelector', () => {
    const cache = pod('cache-0', 'shop', { nodeName: 'n2' }, { app: 'cache' });
    const web = pod('web-0', 'web', {
      affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'cache' } }, namespaceSelector: { matchLabels: { team: 'shop' } }, topologyKey: 'kubernetes.io/hostname' }] } },
    });
    const nodes = [node('n1'), node('n2')];
    const namespaces: K8sObject[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { team: 'shop' } } }];
    expect(plannerReason(web, nodes, [cache, web], namespaces)).toBe("it fits on n2 now; the scheduler's message is older than the cluster's state, or the cause is outside scheduling (volumes, quotas)");
    // Without the namespaces' labels, no namespace matches the selector.
    expect(plannerReason(web, nodes, [cache, web])).toMatch(/^0\/2 nodes are available: 2 node\(s\) didn't match pod affinity rules/);
  });
});
