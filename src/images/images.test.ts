/** Image references in full form, the images of each kind of object, and the k3s registries file. */
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../model/k8s.js';
import type { Unit } from '../model/unit.js';
import { collectImages } from './collect.js';
import { k3sRegistries, k3sRegistriesYaml, parseMirror } from './k3s.js';
import { looksLikeFullReference, parseImage } from './reference.js';

const full = (ref: string) => {
  const r = parseImage(ref);
  return 'error' in r ? `error: ${r.error}` : r.full;
};

describe('parseImage', () => {
  it('normalises Docker Hub short names as the container runtime does', () => {
    expect(full('nginx')).toBe('docker.io/library/nginx:latest');
    expect(full('nginx:1.27')).toBe('docker.io/library/nginx:1.27');
    expect(full('docker.io/nginx:1.27')).toBe('docker.io/library/nginx:1.27');
    expect(full('index.docker.io/library/nginx:1.27')).toBe('docker.io/library/nginx:1.27');
    expect(full('index.docker.io/nginx')).toBe('docker.io/library/nginx:latest');
    expect(full('hashicorp/vault:2.0.4')).toBe('docker.io/hashicorp/vault:2.0.4');
    expect(full('library/sonarqube:26')).toBe('docker.io/library/sonarqube:26');
  });

  it('takes the first component as the registry only with a dot, a colon or localhost', () => {
    expect(parseImage('quay.io/prometheus/prometheus:v3')).toMatchObject({ registry: 'quay.io', repository: 'prometheus/prometheus', tag: 'v3' });
    expect(parseImage('registry.local:5000/team/app')).toMatchObject({ registry: 'registry.local:5000', repository: 'team/app', tag: 'latest' });
    expect(parseImage('localhost/app:1')).toMatchObject({ registry: 'localhost', repository: 'app', tag: '1' });
    expect(parseImage('myorg/app:1')).toMatchObject({ registry: 'docker.io', repository: 'myorg/app' });
  });

  it('keeps digests, with or without a tag, and adds no latest beside a digest', () => {
    const d = `sha256:${'a'.repeat(64)}`;
    expect(full(`quay.io/cilium/cilium:v1.20.0@${d}`)).toBe(`quay.io/cilium/cilium:v1.20.0@${d}`);
    expect(full(`busybox@${d}`)).toBe(`docker.io/library/busybox@${d}`);
  });

  it('says what is wrong with a bad reference', () => {
    expect(full('Quay.io/Prom/prometheus')).toBe('error: invalid repository "Prom/prometheus" (must be lowercase)');
    expect(full('nginx:')).toBe('error: invalid tag ""');
    expect(full('')).toBe('error: empty image reference');
    expect(full('app@sha256:xyz')).toBe('error: invalid digest "sha256:xyz"');
  });

  it('recognises references written out in full, and nothing looser', () => {
    expect(looksLikeFullReference('quay.io/prometheus-operator/prometheus-config-reloader:v0.93.1')).toBe(true);
    expect(looksLikeFullReference('quay.io/argoproj/argoexec')).toBe(false);
    expect(looksLikeFullReference('nginx:1.27')).toBe(false);
    expect(looksLikeFullReference('https://charts.example.io/x:1')).toBe(false);
    expect(looksLikeFullReference('app.kubernetes.io/name')).toBe(false);
  });
});

const unit = (name: string) => ({ name }) as Unit;
const pod = (spec: Record<string, unknown>) => ({ containers: [], ...spec });

describe('collectImages', () => {
  const objects: K8sObject[] = [
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a' }, spec: pod({ containers: [{ name: 'c', image: 'nginx' }], ephemeralContainers: [{ name: 'debug', image: 'busybox:1.37' }] }) },
    { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cj', namespace: 'a' }, spec: { jobTemplate: { spec: { template: { spec: pod({ containers: [{ name: 'c', image: 'docker.io/library/nginx:latest' }], initContainers: [{ name: 'i', image: 'ghcr.io/x/init:1' }] }) } } } } },
    { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'ds', namespace: 'a' }, spec: { template: { spec: pod({ containers: [{ name: 'c', image: 'quay.io/x/agent:2', args: ['--sidecar-image=quay.io/x/sidecar:2', '--level', 'debug'], env: [{ name: 'HELPER', value: 'registry.k8s.io/pause:3.10' }] }] }) } } },
    { apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 'pt', namespace: 'a' }, template: { spec: pod({ containers: [{ name: 'c', image: 'index.docker.io/library/redis:8' }] }) } } as unknown as K8sObject,
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'test', namespace: 'a', annotations: { 'helm.sh/hook': 'test' } }, spec: pod({ containers: [{ name: 't', image: 'busybox:test-only' }] }) },
    { apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', metadata: { name: 'prom', namespace: 'm' }, spec: { image: 'quay.io/prometheus/prometheus:v3' } },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'g' }, spec: { image: 'not-an-operator-image' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'a' }, data: { 'scanner.repository': 'mirror.gcr.io/aquasec/trivy', 'scanner.tag': '0.72.0', 'node.imageRef': 'ghcr.io/aquasecurity/node-collector:0.3.1', note: 'app.kubernetes.io/name' } },
    { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'x' }, spec: { image: 'example.io/in/description:1' } },
  ];
  const list = collectImages([{ unit: unit('one'), chartObjects: objects.slice(0, 5), glue: objects.slice(5) }, { unit: unit('two'), chartObjects: [objects[0]!], glue: [] }]);

  it('finds every pod spec image and each operator reference once, sorted, in full form', () => {
    expect(list.images.map((i) => i.full)).toEqual([
      'docker.io/library/busybox:1.37',
      'docker.io/library/nginx:latest',
      'docker.io/library/redis:8',
      'ghcr.io/aquasecurity/node-collector:0.3.1',
      'ghcr.io/x/init:1',
      'mirror.gcr.io/aquasec/trivy:0.72.0',
      'quay.io/prometheus/prometheus:v3',
      'quay.io/x/agent:2',
      'quay.io/x/sidecar:2',
      'registry.k8s.io/pause:3.10',
    ]);
  });

  it('names the units, objects, paths and how each image runs', () => {
    const nginx = list.images.find((i) => i.full === 'docker.io/library/nginx:latest')!;
    expect(nginx.units).toEqual(['one', 'two']);
    expect(nginx.written).toEqual(['nginx']);
    expect(nginx.uses.map((u) => `${u.unit} ${u.kind}/${u.name} ${u.path} ${u.how}`)).toEqual([
      'one Pod/p spec.containers[0].image container',
      'one CronJob/cj spec.jobTemplate.spec.template.spec.containers[0].image container',
      'two Pod/p spec.containers[0].image container',
    ]);
    const how = (ref: string) => list.images.find((i) => i.full === ref)!.uses.map((u) => `${u.path} ${u.how}`);
    expect(how('docker.io/library/busybox:1.37')).toEqual(['spec.ephemeralContainers[0].image ephemeralContainer', 'spec.ephemeralContainers[0].image ephemeralContainer']); // units one and two
    expect(how('ghcr.io/x/init:1')).toEqual(['spec.jobTemplate.spec.template.spec.initContainers[0].image initContainer']);
    expect(how('quay.io/x/sidecar:2')).toEqual(['spec.template.spec.containers[0].args[0] reference']);
    expect(how('registry.k8s.io/pause:3.10')).toEqual(['spec.template.spec.containers[0].env[0].value reference']);
    expect(how('mirror.gcr.io/aquasec/trivy:0.72.0')).toEqual(['data.scanner.repository reference']);
  });

  it('leaves out Helm test hooks and CRDs', () => {
    expect(list.skippedTests).toEqual(['one Pod/test']);
    expect(list.images.some((i) => i.full.includes('test-only') || i.full.includes('description'))).toBe(false);
  });

  it('reports an invalid image with where it is', () => {
    const bad = collectImages([{ unit: unit('u'), chartObjects: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: pod({ containers: [{ name: 'c', image: 'repo/App:1' }] }) }], glue: [] }]);
    expect(bad.invalid).toEqual([{ written: 'repo/App:1', error: 'invalid repository "repo/App" (must be lowercase)', use: expect.objectContaining({ unit: 'u', path: 'spec.containers[0].image' }) }]);
  });
});

describe('k3s registries.yaml', () => {
  const list = collectImages([{ unit: unit('u'), chartObjects: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: pod({ containers: [{ name: 'a', image: 'nginx' }, { name: 'b', image: 'quay.io/x/y:1' }] }) }], glue: [] }]);

  it('points every registry at the mirror, with the registry in front of the path', () => {
    const mirror = parseMirror('registry.local:5000');
    if ('error' in mirror) throw new Error(mirror.error);
    expect(k3sRegistries(list, mirror)).toEqual({
      mirrors: {
        'docker.io': { endpoint: ['https://registry.local:5000'], rewrite: { '^(.*)$': 'docker.io/$1' } },
        'quay.io': { endpoint: ['https://registry.local:5000'], rewrite: { '^(.*)$': 'quay.io/$1' } },
      },
    });
    expect(YAML.parse(k3sRegistriesYaml(list, mirror))).toEqual(k3sRegistries(list, mirror));
  });

  it('keeps an http endpoint and refuses what is not a host', () => {
    expect(parseMirror('http://10.0.0.5:5000')).toEqual({ endpoint: 'http://10.0.0.5:5000', host: '10.0.0.5:5000' });
    expect(parseMirror('ftp://x')).toHaveProperty('error');
    expect(parseMirror('registry.local/path')).toHaveProperty('error');
  });
});
