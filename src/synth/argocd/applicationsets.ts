/**
 * Tenant services written by golden paths: one ApplicationSet with a git
 * files generator over `apps/<team>/<service>/service.json`, each service an
 * Application in its team's AppProject. The ApplicationSet sits in the root
 * Application one wave after every unit a tenant service can need (namespaces,
 * the Gateway, the secret store, the CRDs of what golden paths write), so no
 * tenant Application exists before the platform it runs on.
 */
import type { K8sObject } from '../../model/k8s.js';
import { UNIT_LABEL } from '../../model/labels.js';
import { coversKind, entryGroup, type Unit } from '../../model/unit.js';
import { SYNC_WAVE_ANNOTATION } from '../../desired/units.js';
import { PLATFORM_BASE_UNIT } from '../../desired/state.js';
import { APPS_DIR } from '../layout.js';
import { AUTOMATED } from './applications.js';
import { ARGOCD_NAMESPACE, IN_CLUSTER, RESOURCES_FINALIZER, RETRY, SYNC_OPTIONS } from './constants.js';
import type { GitopsRepo } from './units.js';

/** The team's sources from service.json; nothing else of the template is patched. */
const TENANT_PATCH = 'spec:\n  sources: {{ toJson .sources }}\n';

/** API groups (or `group/Kind`) of the custom resources golden paths write. */
export const TENANT_GROUPS = ['gateway.networking.k8s.io', 'external-secrets.io', 'monitoring.coreos.com', 'argoproj.io/Rollout', 'argoproj.io/AnalysisTemplate', 'grafana.integreatly.org'];
/** Shared objects tenant manifests refer to. */
const TENANT_TARGETS = new Set(['Gateway', 'ClusterSecretStore', 'ClusterIssuer']);

/** The units a tenant service may need first: they sync in earlier waves than the tenants' ApplicationSet. */
export function tenantDependencies(units: readonly Unit[]): Unit[] {
  return units.filter(
    (u) =>
      u.name === PLATFORM_BASE_UNIT ||
      TENANT_GROUPS.some((g) => (g.includes('/') ? coversKind(u.crdGroups, entryGroup(g), g.slice(g.indexOf('/') + 1)) : u.crdGroups.includes(g))) ||
      u.manifests.some((m) => TENANT_TARGETS.has(m.kind)) ||
      u.provides.some((p) => TENANT_TARGETS.has(p.kind)),
  );
}

/** The wave of the tenants' ApplicationSet: one after the latest unit they may need. */
export function tenantWave(units: readonly Unit[]): number {
  return Math.max(-1, ...tenantDependencies(units).map((u) => u.wave)) + 1;
}

export function appsApplicationSet(repo: GitopsRepo, wave: number): K8sObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: 'apps', namespace: ARGOCD_NAMESPACE, annotations: { [SYNC_WAVE_ANNOTATION]: String(wave) } },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [{ git: { repoURL: repo.url, revision: repo.branch, files: [{ path: `${APPS_DIR}/*/*/service.json` }] } }],
      template: {
        metadata: {
          name: '{{ .team }}-{{ .name }}',
          namespace: ARGOCD_NAMESPACE,
          labels: { 'plinth.dev/team': '{{ .team }}', [UNIT_LABEL]: '{{ .name }}' },
          finalizers: [RESOURCES_FINALIZER],
        },
        spec: {
          project: '{{ .project }}',
          destination: { server: IN_CLUSTER, namespace: '{{ .namespace }}' },
          syncPolicy: { ...AUTOMATED, syncOptions: SYNC_OPTIONS, retry: RETRY },
        },
      },
      templatePatch: TENANT_PATCH,
    },
  };
}
