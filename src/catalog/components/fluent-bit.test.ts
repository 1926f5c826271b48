import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.js';
import { starterConfig } from '../../config/starter.js';
import { resolvePlatform } from '../../desired/resolve.js';
import { buildUnit, componentContext } from '../../desired/units.js';
import { getIn } from '../../lib/values.js';
import { fluentBit } from './fluent-bit.js';
import { loki } from './loki.js';

const CATALOG = [loki, fluentBit];

function unitFor(monitored: boolean) {
  const platform = resolvePlatform(parseConfig(starterConfig(), 'plinth.yaml'), CATALOG);
  return buildUnit(fluentBit, { ...componentContext(platform, CATALOG), enabled: (n) => n === 'loki' || (monitored && n === 'kube-prometheus-stack') });
}

describe('fluent-bit', () => {
  it('runs on every node, tainted ones included, and needs Loki', () => {
    const u = unitFor(false);
    expect(fluentBit.dependsOn).toEqual(['loki']);
    expect(u.workloads).toMatchObject([{ kind: 'DaemonSet', name: 'fluent-bit', placement: 'every-node', tier: 2 }]);
    expect(getIn(u.values, 'tolerations')).toEqual([{ operator: 'Exists' }]);
    expect(getIn(u.values, 'priorityClassName')).toBe('plinth-tier-2-important');
  });

  it('tails container logs, adds Kubernetes metadata and pushes to the loki Service', () => {
    const config = getIn(unitFor(false).values, 'config') as { inputs: string; filters: string; outputs: string };
    expect(config.inputs).toMatch(/Name +tail/);
    expect(config.inputs).toMatch(/Path +\/var\/log\/containers\/\*\.log/);
    expect(config.filters).toMatch(/Name +kubernetes/);
    expect(config.outputs).toMatch(/Name +loki/);
    expect(config.outputs).toMatch(/Host +loki\.observability\.svc\n/);
    expect(config.outputs).toMatch(/Port +3100\n/);
    expect(config.outputs).toContain("Labels      job=fluent-bit, cluster=edge-idp, namespace=$kubernetes['namespace_name']");
  });

  it('ships a ServiceMonitor only with kube-prometheus-stack', () => {
    expect(getIn(unitFor(false).values, 'serviceMonitor.enabled')).toBe(false);
    expect(unitFor(true).usesGroups).toEqual(['monitoring.coreos.com']);
  });
});
