/** The standard profile's desired state (seed 003): pools, placement, HA settings, order, routes and tenant defaults. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { starterConfig } from '../config/starter.js';
import { getIn } from '../lib/values.js';
import { parseYamlStream } from '../lib/yaml.js';
import type { K8sObject } from '../model/k8s.js';
import { readTenantUnits, tenantServiceFiles } from '../tenants/service.js';
import { desiredState, SHARED_REFS } from './index.js';

const state = desiredState(parseConfig(starterConfig('standard'), 'plinth.yaml'));
const edge = desiredState(parseConfig(starterConfig('edge'), 'plinth.yaml'));
const unit = (name: string, s = state) => s.units.find((u) => u.name === name)!;
const poolsIn = (affinity: unknown) => getIn(affinity, 'nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.0.matchExpressions.0.values');

describe('the standard profile', () => {
  it('labels and taints the nodes of its four pools, with their zones', () => {
    const node = (n: string) => state.platform.nodes.find((x) => x.name === n)!;
    expect(node('gw-1')).toMatchObject({ pool: 'gateway', zone: 'zone-b', labels: { 'plinth.dev/pool': 'gateway', 'node.kong.gateway': 'true', 'topology.kubernetes.io/zone': 'zone-b' }, taints: [{ key: 'node.kong.gateway', value: 'true', effect: 'NoSchedule' }] });
    expect(node('ceph-0')).toMatchObject({ labels: { 'node.ceph.storage': 'true' }, taints: [{ key: 'node.ceph.storage', value: 'true', effect: 'NoSchedule' }] });
    expect(node('worker-2')).toMatchObject({ labels: { 'node.role': 'worker' }, taints: [] });
    expect(state.platform.choices).toEqual({ engine: 'argocd', ingress: 'kong', secrets: 'vault', storage: 'rook-ceph' });
  });

  it('puts the components of the edge shape on the workers, Kong on the gateway pool only and Ceph on the storage pool only', () => {
    expect(unit('vault').pool).toBe('workers');
    const kong = unit('kong').values;
    expect(poolsIn(kong.affinity)).toEqual(['gateway']);
    expect(kong.tolerations).toEqual([{ key: 'node.kong.gateway', operator: 'Exists', effect: 'NoSchedule' }]);
    const mon = getIn(unit('rook-ceph-cluster').values, 'cephClusterSpec.placement.mon');
    expect(poolsIn(mon)).toEqual(['storage']);
    expect(getIn(mon, 'tolerations')).toEqual([{ key: 'node.ceph.storage', operator: 'Exists', effect: 'NoSchedule' }]);
    // Tier 1 sails to the control plane, never into a dedicated pool; tier 2 stays on the workers.
    expect(poolsIn(getIn(unit('argocd').values, 'server.affinity'))).toEqual(['workers', 'control-plane']);
    expect(poolsIn(getIn(unit('vault').values, 'server.affinity'))).toEqual(['workers']);
  });

  it('runs Vault as three raft voters on distinct nodes and Ceph volumes, joining through each; edge keeps one', () => {
    const v = unit('vault').values;
    expect(getIn(v, 'server.ha.replicas')).toBe(3);
    expect(getIn(v, 'server.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution.0.topologyKey')).toBe('kubernetes.io/hostname');
    expect(getIn(v, 'server.dataStorage')).toMatchObject({ storageClass: 'rook-ceph-block', size: '10Gi' });
    expect(getIn(v, 'server.ha.disruptionBudget')).toEqual({ enabled: true, maxUnavailable: 1 });
    expect((getIn(v, 'server.ha.raft.config') as string).match(/leader_api_addr = "[^"]+"/g)).toEqual(['vault-0', 'vault-1', 'vault-2'].map((p) => `leader_api_addr = "https://${p}.vault-internal:8200"`));
    expect(unit('vault').workloads[0]).toMatchObject({ replicas: 3, spread: 'required', quorum: { group: 'Vault raft quorum' }, storageClass: 'rook-ceph-block' });
    const e = unit('vault', edge).values;
    expect(getIn(e, 'server.ha.replicas')).toBe(1);
    expect((getIn(e, 'server.ha.raft.config') as string).match(/leader_api_addr/g)).toHaveLength(1);
  });

  it('gives Prometheus and Alertmanager two replicas with 30 days on Ceph, External Secrets two controllers with leader election', () => {
    const kps = unit('kube-prometheus-stack').values;
    expect(getIn(kps, 'prometheus.prometheusSpec')).toMatchObject({ replicas: 2, retention: '30d', storageSpec: { volumeClaimTemplate: { spec: { storageClassName: 'rook-ceph-block' } } } });
    expect(getIn(kps, 'prometheus.prometheusSpec.storageSpec.emptyDir')).toBeUndefined();
    expect(getIn(kps, 'alertmanager.alertmanagerSpec.replicas')).toBe(2);
    expect(unit('external-secrets').values).toMatchObject({ replicaCount: 2, leaderElect: true });
  });

  it('starts every unit with a Ceph volume after the Ceph cluster that creates its storage class', () => {
    for (const name of ['vault', 'loki', 'kube-prometheus-stack']) {
      expect(unit(name).dependsOn).toContain('rook-ceph-cluster');
      expect(unit(name).wave).toBeGreaterThan(unit('rook-ceph-cluster').wave);
    }
    expect(unit('vault', edge).dependsOn).not.toContain('rook-ceph-cluster');
  });

  it('routes every endpoint on the Kong Gateway', () => {
    const route = unit('kube-prometheus-stack').manifests.find((m) => m.kind === 'HTTPRoute')!;
    expect(route.spec).toMatchObject({ hostnames: ['grafana.platform.example.com'], parentRefs: [{ kind: 'Gateway', name: 'kong', namespace: 'kong', sectionName: 'https' }] });
    expect(unit('kong').manifests.find((m) => m.kind === 'GatewayClass')!.spec).toEqual({ controllerName: 'konghq.com/kic-gateway-controller' });
  });

  it('gives tenant services an autoscaler and a budget, routes them on Kong, and counts them at their most', () => {
    const files = tenantServiceFiles(state.platform, SHARED_REFS, { url: 'https://git.example.com/x.git', branch: 'main' }, { team: 'store', name: 'cart', image: 'ghcr.io/store/cart:1.0.0', port: 8080 });
    const objects = parseYamlStream(files.get('apps/store/cart/manifests/cart.yaml')!) as K8sObject[];
    expect(objects.map((o) => o.kind)).toEqual(['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'HTTPRoute']);
    const [deployment, , hpa, pdb, route] = objects;
    expect((deployment!.spec as { replicas?: number }).replicas).toBeUndefined();
    expect(hpa!.spec).toMatchObject({ scaleTargetRef: { kind: 'Deployment', name: 'cart' }, minReplicas: 2, maxReplicas: 4 });
    expect(pdb!.spec).toMatchObject({ maxUnavailable: 1 });
    expect(route!.spec).toMatchObject({ parentRefs: [{ name: 'kong', namespace: 'kong' }] });
    expect(poolsIn(getIn(deployment, 'spec.template.spec.affinity'))).toEqual(['workers']);
    const [tenant] = readTenantUnits(files, 9, 'workers');
    expect(tenant).toMatchObject({ pool: 'workers', workloads: [expect.objectContaining({ name: 'cart', replicas: 4 })] });
  });
});
