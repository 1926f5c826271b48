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
    expect(u.secrets[0]).toEqual({ path: 'platform/sonarqube', keys: [{ name: 'monitoring-passcode', generate: 'token' }] });
    const es = u.manifests.find((m) => m.kind === 'ExternalSecret')!;
    expect(es.metadata).toEqual({ name: 'sonarqube-monitoring', namespace: 'sonarqube' });
    expect(es.spec).toMatchObject({ target: { name: 'sonarqube-monitoring' }, data: [{ secretKey: 'passcode', remoteRef: { key: 'platform/sonarqube', property: 'monitoring-passcode' } }] });
  });

  it('runs on its own PostgreSQL, synced before the chart, with the password from Vault (never the embedded H2)', () => {
    const u = unitFor();
    expect(getIn(u.values, 'jdbcOverwrite')).toEqual({
      enabled: true,
      jdbcUrl: 'jdbc:postgresql://sonarqube-postgresql.sonarqube.svc:5432/sonarqube',
      jdbcUsername: 'sonarqube',
      jdbcSecretName: 'sonarqube-postgresql-password',
      jdbcSecretPasswordKey: 'password',
    });
    expect(u.secrets[1]).toEqual({ path: 'platform/sonarqube-postgresql', keys: [{ name: 'password', generate: 'password' }] });
    const db = u.manifests.find((m) => m.kind === 'StatefulSet' && m.metadata.name === 'sonarqube-postgresql')!;
    expect(db.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-1' });
    const pod = (db.spec as { template: { spec: Record<string, any> } }).template.spec;
    expect(pod.containers[0].image).toMatch(/^postgres:17\.\d+$/);
    expect(pod.containers[0].env).toContainEqual({ name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'sonarqube-postgresql-password', key: 'password' } } });
    // Placed and budgeted like any workload: the tier-3 class, the apps pool, its declared resources.
    expect(pod.priorityClassName).toBe('plinth-tier-3-workload');
    expect(JSON.stringify(pod.affinity)).toContain('"apps"');
    expect(pod.containers[0].resources).toEqual({ requests: { cpu: '50m', memory: '96Mi' }, limits: { cpu: '500m', memory: '384Mi' } });
    expect(u.workloads.map((w) => `${w.kind}/${w.name}`)).toEqual(['StatefulSet/sonarqube-sonarqube', 'StatefulSet/sonarqube-postgresql']);
    expect(u.manifests.filter((m) => m.kind === 'ExternalSecret').map((m) => m.metadata.name)).toEqual(['sonarqube-monitoring', 'sonarqube-postgresql-password']);
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
