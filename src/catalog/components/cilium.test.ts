import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.js';
import { starterConfig } from '../../config/starter.js';
import { getIn } from '../../lib/values.js';
import { resolvePlatform } from '../../desired/resolve.js';
import { buildUnit, componentContext } from '../../desired/units.js';
import { apiServerOf, cilium } from './cilium.js';
import { gatewayApiCrds } from './gateway-api-crds.js';

const CATALOG = [cilium, gatewayApiCrds];

function unitFor(config = starterConfig(), enabled?: (name: string) => boolean) {
  const platform = resolvePlatform(parseConfig(config, 'plinth.yaml'), CATALOG);
  const ctx = componentContext(platform, CATALOG);
  return { platform, unit: buildUnit(cilium, enabled ? { ...ctx, enabled } : ctx) };
}

describe('cilium', () => {
  it('replaces kube-proxy, reaching the API server where plinth.yaml says', () => {
    const { platform, unit } = unitFor();
    expect(apiServerOf(platform)).toEqual({ host: '192.168.1.10', port: 6443 });
    expect(unit.values).toMatchObject({ kubeProxyReplacement: true, k8sServiceHost: '192.168.1.10', k8sServicePort: 6443, ipam: { mode: 'kubernetes' } });
  });

  it('falls back to the first control-plane node name without apiServer.host', () => {
    const config = starterConfig().replace('  apiServer:\n    host: 192.168.1.10\n    port: 6443', '  apiServer:\n    port: 7443');
    expect(config).not.toContain('host: 192.168.1.10');
    const { unit } = unitFor(config);
    expect(unit.values).toMatchObject({ k8sServiceHost: 'k3s-server-0', k8sServicePort: 7443 });
  });

  it('points the CNI at the k3s directories on k3s only', () => {
    expect(getIn(unitFor().unit.values, 'cni.binPath')).toBe('/var/lib/rancher/k3s/data/cni');
    const generic = unitFor(starterConfig().replace('  distribution: k3s', '  distribution: generic'));
    expect(getIn(generic.unit.values, 'cni.binPath')).toBeUndefined();
  });

  it('runs the Gateway on the host network and creates the GatewayClass it provides', () => {
    const { unit } = unitFor();
    expect(unit.values).toMatchObject({ gatewayAPI: { enabled: true, hostNetwork: { enabled: true }, gatewayClass: { create: 'true' } } });
    expect(getIn(unit.values, 'envoy.securityContext.capabilities.envoy')).toContain('NET_BIND_SERVICE');
    expect(unit.provides).toContainEqual({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', name: 'cilium' });
    // The operator finds the Gateway API CRDs only at start-up: stated, so the dependency is derived.
    expect(cilium.discoversCrdsAtStartup).toEqual(['gateway.networking.k8s.io']);
    expect(unit.endpoints).toEqual([]);
  });

  it('gives node agents the node-critical class and leaves the operator its own tolerations', () => {
    const { unit } = unitFor();
    expect(getIn(unit.values, 'priorityClassName')).toBe('system-node-critical');
    expect(getIn(unit.values, 'envoy.priorityClassName')).toBe('system-node-critical');
    expect(getIn(unit.values, 'tolerations')).toEqual([{ operator: 'Exists' }]);
    expect(getIn(unit.values, 'operator.priorityClassName')).toBe('system-cluster-critical');
    expect(getIn(unit.values, 'operator.tolerations')).toBeUndefined();
    expect(getIn(unit.values, 'hubble.ui.priorityClassName')).toBe('plinth-tier-2-important');
  });

  it('budgets every container of the agent, init containers included', () => {
    const agent = unitFor().unit.workloads.find((w) => w.name === 'cilium')!;
    expect(agent.placement).toBe('every-node');
    expect(agent.initContainers.map((c) => c.name)).toEqual(['config', 'mount-cgroup', 'apply-sysctl-overwrites', 'mount-bpf-fs', 'clean-cilium-state', 'install-cni-binaries']);
  });

  it('adds metrics, ServiceMonitors and dashboards only with kube-prometheus-stack', () => {
    const off = unitFor(undefined, () => false).unit;
    expect(off.usesGroups).toEqual(['gateway.networking.k8s.io']);
    expect(getIn(off.values, 'prometheus.serviceMonitor.enabled')).toBe(false);
    const on = unitFor(undefined, () => true).unit;
    expect(on.usesGroups).toContain('monitoring.coreos.com');
    expect(on.values).toMatchObject({
      prometheus: { enabled: true, serviceMonitor: { enabled: true, trustCRDsExist: true } },
      operator: { prometheus: { serviceMonitor: { enabled: true } } },
      envoy: { prometheus: { serviceMonitor: { enabled: true } } },
      hubble: { metrics: { serviceMonitor: { enabled: true } }, relay: { prometheus: { serviceMonitor: { enabled: true } } } },
    });
  });
});
