import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.js';
import { starterConfig } from '../../config/starter.js';
import { resolvePlatform } from '../../desired/resolve.js';
import { buildUnit, componentContext } from '../../desired/units.js';
import { getIn } from '../../lib/values.js';
import { loki } from './loki.js';

function unitFor(monitored: boolean) {
  const platform = resolvePlatform(parseConfig(starterConfig(), 'plinth.yaml'), [loki]);
  return buildUnit(loki, { ...componentContext(platform, [loki]), enabled: (n) => monitored && n === 'kube-prometheus-stack' });
}

describe('loki', () => {
  it('runs one single-binary pod on a small volume, and nothing of the scalable modes', () => {
    const u = unitFor(false);
    expect(u.values).toMatchObject({
      deploymentMode: 'Monolithic',
      singleBinary: { replicas: 1, persistence: { enabled: true, size: '5Gi' } },
      read: { replicas: 0 },
      write: { replicas: 0 },
      backend: { replicas: 0 },
      gateway: { enabled: false },
      chunksCache: { enabled: false },
      resultsCache: { enabled: false },
      lokiCanary: { enabled: false },
      sidecar: { rules: { enabled: false } },
    });
    expect(u.workloads).toMatchObject([{ kind: 'StatefulSet', name: 'loki', replicas: 1, tier: 2, containers: [{ name: 'loki' }] }]);
  });

  it('stores on the filesystem with a real TSDB v13 schema and compactor retention', () => {
    const config = getIn(unitFor(false).values, 'loki') as Record<string, unknown>;
    expect(config.useTestSchema).toBeUndefined();
    expect(config).toMatchObject({
      auth_enabled: false,
      commonConfig: { replication_factor: 1 },
      storage: { type: 'filesystem' },
      schemaConfig: { configs: [{ store: 'tsdb', schema: 'v13', object_store: 'filesystem', index: { period: '24h' } }] },
      compactor: { retention_enabled: true, delete_request_store: 'filesystem' },
      limits_config: { retention_period: '168h' },
    });
  });

  it('ships a ServiceMonitor only with kube-prometheus-stack', () => {
    expect(getIn(unitFor(false).values, 'monitoring.serviceMonitor.enabled')).toBe(false);
    expect(unitFor(false).usesGroups).toEqual([]);
    expect(getIn(unitFor(true).values, 'monitoring.serviceMonitor.enabled')).toBe(true);
    expect(unitFor(true).usesGroups).toEqual(['monitoring.coreos.com']);
  });
});
