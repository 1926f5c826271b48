import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.js';
import { starterConfig } from '../../config/starter.js';
import { getIn } from '../../lib/values.js';
import { resolvePlatform } from '../../desired/resolve.js';
import { buildUnit, componentContext } from '../../desired/units.js';
import { jenkins } from './jenkins.js';
import { sonarqube } from './sonarqube.js';

const CATALOG = [sonarqube, jenkins];

function unitFor(components = 'components: {}', enabled?: (name: string) => boolean) {
  const platform = resolvePlatform(parseConfig(starterConfig().replace('components: {}', components), 'plinth.yaml'), CATALOG);
  const ctx = componentContext(platform, CATALOG);
  return buildUnit(sonarqube, enabled ? { ...ctx, enabled } : ctx);
}

describe('sonarqube', () => {
  it('takes its monitoring passcode from Vault, never from the values', () => {
    const u = unitFor();
    expect(u.values).toMatchObject({ community: { enabled: true }, monitoringPasscodeSecretName: 'sonarqube-monitoring', monitoringPasscodeSecretKey: 'passcode' });
    expect(getIn(u.values, 'monitoringPasscode')).toBeUndefined();
    expect(u.secrets).toEqual([{ path: 'platform/sonarqube', keys: [{ name: 'monitoring-passcode', generate: 'token' }] }]);
    const es = u.manifests.find((m) => m.kind === 'ExternalSecret')!;
    expect(es.metadata).toEqual({ name: 'sonarqube-monitoring', namespace: 'sonarqube' });
    expect(es.spec).toMatchObject({ target: { name: 'sonarqube-monitoring' }, data: [{ secretKey: 'passcode', remoteRef: { key: 'platform/sonarqube', property: 'monitoring-passcode' } }] });
  });

  it('uses the embedded database by default, and a Vault password when pointed at an external PostgreSQL', () => {
    expect(getIn(unitFor().values, 'jdbcOverwrite')).toBeUndefined();
    const external = unitFor('components:\n  sonarqube:\n    values:\n      jdbcOverwrite:\n        enabled: true\n        jdbcUrl: jdbc:postgresql://db.example:5432/sonar\n        jdbcUsername: sonar\n');
    expect(getIn(external.values, 'jdbcOverwrite')).toEqual({
      enabled: true,
      jdbcUrl: 'jdbc:postgresql://db.example:5432/sonar',
      jdbcUsername: 'sonar',
      jdbcSecretName: 'sonarqube-jdbc',
      jdbcSecretPasswordKey: 'password',
    });
    expect(external.secrets[0]!.keys.map((k) => k.name)).toEqual(['monitoring-passcode', 'jdbc-password']);
    expect(external.manifests.filter((m) => m.kind === 'ExternalSecret').map((m) => m.metadata.name)).toEqual(['sonarqube-monitoring', 'sonarqube-jdbc']);
  });

  it('fits the apps node: 1.5Gi requested, 3Gi limit, heaps that fit inside', () => {
    const [w] = unitFor().workloads;
    expect(w!.containers).toEqual([{ name: 'sonarqube', resources: { requests: { cpu: '250m', memory: '1536Mi' }, limits: { cpu: '1500m', memory: '3Gi' } } }]);
    expect(w!.initContainers.map((c) => c.name)).toEqual(['init-sysctl', 'init-fs']);
    const env = getIn(unitFor().values, 'env') as { name: string; value: string }[];
    const heapMi = env.filter((e) => e.name.endsWith('_JAVAOPTS')).reduce((sum, e) => sum + parseInt(/-Xmx(\d+)m/.exec(e.value)![1]!, 10), 0);
    expect(heapMi).toBeLessThan(1536);
  });

  it('is served on sonarqube.<domain> and monitored through its PodMonitor only with kube-prometheus-stack', () => {
    const u = unitFor();
    expect(u.endpoints).toEqual([{ name: 'sonarqube', title: 'SonarQube', host: 'sonarqube.idp.local', service: 'sonarqube-sonarqube', port: 9000 }]);
    expect(getIn(u.values, 'prometheusMonitoring.podMonitor.enabled')).toBe(false);
    const on = unitFor(undefined, () => true);
    expect(getIn(on.values, 'prometheusMonitoring.podMonitor.enabled')).toBe(true);
    expect(on.usesGroups).toEqual(['monitoring.coreos.com']);
  });
});
