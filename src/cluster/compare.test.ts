import { describe, expect, it } from 'vitest';
import { applyForm, contains, sameObject } from './compare.js';
import { deploymentAvailable, statefulSetReady, workloadReady } from './conditions.js';

describe('contains', () => {
  it('accepts what the server adds, and rendered numbers stored as strings', () => {
    const live = { spec: { replicas: 1, template: { spec: { containers: [{ name: 'a', image: 'x', imagePullPolicy: 'IfNotPresent', resources: { requests: { cpu: '1' } } }] } } }, status: {} };
    expect(contains(live, { spec: { template: { spec: { containers: [{ name: 'a', image: 'x', resources: { requests: { cpu: 1 } } }] } } } })).toBe(true);
    expect(contains(live, { spec: { replicas: 2 } })).toBe(false);
    expect(contains(live, { spec: { template: { spec: { containers: [] } } } })).toBe(false);
  });

  it('treats nulls and empty maps the server drops as present', () => {
    expect(contains({ metadata: { name: 'a' } }, { metadata: { name: 'a', annotations: {} }, stringData: null })).toBe(true);
    expect(contains({ data: {} }, { data: { a: 'b' } })).toBe(false);
  });
});

describe('applyForm', () => {
  it('drops nulls, status and creationTimestamp, and folds stringData into data', () => {
    expect(
      applyForm({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', creationTimestamp: null as unknown as string }, stringData: { k: 'v' }, data: { d: 'eA==' }, status: { x: 1 } }),
    ).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { d: 'eA==', k: 'dg==' } });
  });
});

describe('sameObject', () => {
  it('ignores server bookkeeping', () => {
    const a = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', resourceVersion: '1', managedFields: [] }, data: { x: '1' } };
    expect(sameObject(a, { ...a, metadata: { name: 'a', resourceVersion: '7', uid: 'u' } })).toBe(true);
    expect(sameObject(a, { ...a, data: { x: '2' } })).toBe(false);
  });
});

describe('readiness', () => {
  it('reads Deployments, StatefulSets and DaemonSets as their controllers report them', () => {
    const d = (status: object) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 2 }, status });
    expect(deploymentAvailable(d({ availableReplicas: 2, updatedReplicas: 2, conditions: [{ type: 'Available', status: 'True' }] }))).toBe(true);
    expect(deploymentAvailable(d({ availableReplicas: 1, conditions: [{ type: 'Available', status: 'True' }] }))).toBe(false);
    expect(statefulSetReady({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, status: { readyReplicas: 1 } })).toBe(true);
    expect(workloadReady({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'x' }, status: { desiredNumberScheduled: 3, numberReady: 2 } })).toBe(false);
  });
});
