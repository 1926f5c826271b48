import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.js';
import { starterConfig } from '../../config/starter.js';
import { getIn } from '../../lib/values.js';
import { resolvePlatform } from '../../desired/resolve.js';
import { buildUnit, componentContext } from '../../desired/units.js';
import { jenkins } from './jenkins.js';
import { sonarqube } from './sonarqube.js';

const CATALOG = [sonarqube, jenkins];

function unitFor(enabled: (name: string) => boolean) {
  const platform = resolvePlatform(parseConfig(starterConfig(), 'plinth.yaml'), CATALOG);
  return buildUnit(jenkins, { ...componentContext(platform, CATALOG), enabled });
}

describe('jenkins', () => {
  it('takes its admin account from Vault through the Secret the chart mounts for JCasC', () => {
    const u = unitFor(() => false);
    expect(getIn(u.values, 'controller.admin')).toEqual({ createSecret: true, existingSecret: 'jenkins-admin' });
    expect(getIn(u.values, 'controller.admin.password')).toBeUndefined();
    expect(u.secrets).toEqual([
      { path: 'platform/jenkins', keys: [{ name: 'admin-user', generate: { value: 'admin' } }, { name: 'admin-password', generate: 'password' }] },
    ]);
    const es = u.manifests.find((m) => m.kind === 'ExternalSecret')!;
    expect(es.spec).toMatchObject({
      target: { name: 'jenkins-admin', creationPolicy: 'Owner' },
      data: [
        { secretKey: 'jenkins-admin-user', remoteRef: { key: 'platform/jenkins', property: 'admin-user' } },
        { secretKey: 'jenkins-admin-password', remoteRef: { key: 'platform/jenkins', property: 'admin-password' } },
      ],
    });
  });

  it('declares the SonarQube server in JCasC only when SonarQube is on, with its plugin', () => {
    const off = unitFor(() => false);
    expect(getIn(off.values, 'controller.JCasC.configScripts')).toEqual({});
    expect(getIn(off.values, 'controller.additionalPlugins')).toEqual([]);
    const on = unitFor((n) => n === 'sonarqube');
    expect(getIn(on.values, 'controller.additionalPlugins')).toEqual(['sonar:2.18.2']);
    const casc = getIn(on.values, ['controller', 'JCasC', 'configScripts', 'sonarqube']) as string;
    expect(casc).toContain('sonarGlobalConfiguration:');
    expect(casc).toContain('serverUrl: http://sonarqube-sonarqube.sonarqube.svc:9000');
  });

  it('budgets the controller, its JCasC reloader and the default agent pods, which run in the apps pool', () => {
    const u = unitFor(() => false);
    const [w] = u.workloads;
    expect(w!.containers.map((c) => c.name)).toEqual(['jenkins', 'config-reload']);
    expect(w!.initContainers.map((c) => c.name)).toEqual(['config-reload-init', 'init']);
    expect(getIn(u.values, 'agent')).toMatchObject({
      resources: { requests: { cpu: '200m', memory: '384Mi' }, limits: { cpu: '1', memory: '1Gi' } },
      containerCap: 2,
      nodeSelector: { 'plinth.dev/pool': 'apps' },
    });
    expect(u.endpoints).toEqual([{ name: 'jenkins', title: 'Jenkins', host: 'jenkins.idp.local', service: 'jenkins', port: 8080 }]);
  });
});
