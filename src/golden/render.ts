/**
 * A golden path's files for one service: the template's manifests, the
 * GitOps engine's wiring, a Backstage catalog-info.yaml and the record.
 * Pure: the same platform, template version and values give the same bytes.
 */
import type { SharedRefs } from '../catalog/component.js';
import { toJson, toYaml, toYamlStream } from '../lib/yaml.js';
import type { Platform } from '../model/platform.js';
import { projectForTeam } from '../synth/argocd/constants.js';
import { tenantDir, type RepoLocation } from '../tenants/service.js';
import type { ServiceDescriptor } from '../tenants/service-descriptor.js';
import { secretKind } from './choices.js';
import { TEMPLATE_ANNOTATION, templateRef } from './parts.js';
import { digest, RECORD_FILE, recordText } from './record.js';
import type { GoldenTemplate, GoldenValues, RenderedService } from './types.js';

export interface RenderInput {
  platform: Platform;
  refs: SharedRefs;
  repo: RepoLocation;
  template: GoldenTemplate;
  version: number;
  values: GoldenValues;
}

/** How the GitOps engine picks the service up: for Argo CD, the service.json the `apps` ApplicationSet reads; for Flux, a kustomization.yaml. */
function engineWiring(i: RenderInput, dir: string, namespace: string, ref: string): Map<string, string> {
  switch (i.platform.choices.engine) {
    case 'flux':
      // The team's Kustomization (tenant-<team>, ADR 008) applies every folder of apps/<team>/ that has a
      // kustomization.yaml: this one names the manifests only, so catalog-info.yaml and the record stay out.
      return new Map([[`${dir}/kustomization.yaml`, toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [`manifests/${i.values.name}.yaml`] })]]);
    case 'argocd':
      return new Map([
        [
          `${dir}/service.json`,
          toJson({
            name: i.values.name,
            team: i.values.team,
            project: projectForTeam(i.values.team),
            namespace,
            sources: [{ repoURL: i.repo.url, targetRevision: i.repo.branch, path: `${dir}/manifests` }],
            template: ref,
          } satisfies ServiceDescriptor),
        ],
      ]);
  }
}

/** The Backstage entity of a tenant service (owner: its team's Group). */
export function serviceEntity(i: RenderInput, r: RenderedService, ref: string): Record<string, unknown> {
  const v = i.values;
  const dependsOn = [...(r.hosts.length > 0 ? ['resource:default/platform-gateway'] : []), ...((v.secrets ?? []).length > 0 && secretKind(i.platform) ? ['component:default/external-secrets'] : [])];
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: v.name,
      description: `${i.template.title} ${v.name} of team ${v.team}`,
      annotations: {
        'backstage.io/kubernetes-id': v.name,
        'backstage.io/kubernetes-namespace': r.namespace,
        'backstage.io/kubernetes-label-selector': `app.kubernetes.io/name=${v.name},app.kubernetes.io/part-of=${v.team}`,
        [TEMPLATE_ANNOTATION]: ref,
        'plinth.dev/image': v.image,
      },
      tags: [r.componentType, 'golden-path'],
      ...(r.hosts.length > 0 ? { links: r.hosts.map((h) => ({ url: `https://${h}`, title: v.name })) } : {}),
    },
    spec: { type: r.componentType, lifecycle: 'production', owner: `group:default/${v.team}`, ...(dependsOn.length > 0 ? { dependsOn } : {}) },
  };
}

export function renderServiceFiles(i: RenderInput): Map<string, string> {
  const dir = tenantDir(i.values.team, i.values.name);
  const ref = templateRef(i.template.name, i.version);
  const r = i.template.render({ platform: i.platform, refs: i.refs, version: i.version }, i.values);
  const files = new Map<string, string>([
    ...engineWiring(i, dir, r.namespace, ref),
    [`${dir}/manifests/${i.values.name}.yaml`, toYamlStream(r.manifests)],
    [`${dir}/catalog-info.yaml`, toYaml(serviceEntity(i, r, ref))],
  ]);
  const digests = Object.fromEntries([...files].sort(([a], [b]) => (a < b ? -1 : 1)).map(([p, t]) => [p, digest(t)]));
  files.set(`${dir}/${RECORD_FILE}`, recordText({ template: i.template.name, version: i.version, values: i.values, files: digests }));
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)));
}
