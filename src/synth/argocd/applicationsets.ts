/**
 * One ApplicationSet per stack, with a git files generator over
 * `platform/<stack>/<component>/component.json` (seed 000 §7). Each component.json
 * carries the unit's Application sources, patched into the template.
 * With progressive sync, the Applications of a stack sync wave by wave
 * (RollingSync steps on the wave label) and are deleted in reverse.
 */
import type { K8sObject } from '../../model/k8s.js';
import { STACK_LABEL, TIER_LABEL, UNIT_LABEL, WAVE_LABEL } from '../../model/labels.js';
import type { Stack, Unit } from '../../model/unit.js';
import { APPS_DIR, PLATFORM_DIR } from '../layout.js';
import { ARGOCD_NAMESPACE, IN_CLUSTER, RETRY, SYNC_OPTIONS, projectForStack } from './constants.js';
import type { GitopsRepo } from './units.js';

/** A tenant service's sources from its service.json. */
const TENANT_PATCH = 'spec:\n  sources: {{ toJson .sources }}\n';

/**
 * The unit's sources (chart, values, glue) from component.json; and, for units
 * whose resources must outlive their Application (the engine, tier 0, CRDs),
 * no resources finalizer: deleting the Application then leaves them in place.
 */
const SOURCES_PATCH = [
  '{{- if .preserveOnDelete }}',
  'metadata:',
  '  finalizers: []',
  '{{- end }}',
  'spec:',
  '  sources: {{ toJson .sources }}',
  '',
].join('\n');

/**
 * Automated sync with prune and self-heal. Under RollingSync the ApplicationSet
 * controller switches automated sync off on the Applications and triggers the
 * syncs itself, taking the prune setting of each sync from this block: without
 * it, objects removed from Git would never be pruned.
 */
const AUTOMATED = { automated: { prune: true, selfHeal: true } };

export function stackApplicationSet(stack: Stack, units: readonly Unit[], repo: GitopsRepo, progressive: boolean): K8sObject {
  const waves = [...new Set(units.map((u) => u.wave))].sort((a, b) => a - b);
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: `platform-${stack}`, namespace: ARGOCD_NAMESPACE, labels: { [STACK_LABEL]: stack } },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [{ git: { repoURL: repo.url, revision: repo.branch, files: [{ path: `${PLATFORM_DIR}/${stack}/*/component.json` }] } }],
      ...(progressive
        ? {
            strategy: {
              type: 'RollingSync',
              deletionOrder: 'Reverse',
              rollingSync: { steps: waves.map((w) => ({ matchExpressions: [{ key: WAVE_LABEL, operator: 'In', values: [String(w)] }] })) },
            },
          }
        : {}),
      template: {
        metadata: {
          name: '{{ .name }}',
          namespace: ARGOCD_NAMESPACE,
          labels: { [UNIT_LABEL]: '{{ .name }}', [STACK_LABEL]: stack, [TIER_LABEL]: '{{ .tier }}', [WAVE_LABEL]: '{{ .wave }}' },
          annotations: { 'argocd.argoproj.io/sync-wave': '{{ .wave }}' },
          finalizers: ['resources-finalizer.argocd.argoproj.io'],
        },
        spec: {
          project: projectForStack(stack),
          destination: { server: IN_CLUSTER, namespace: '{{ .namespace }}' },
          syncPolicy: { ...AUTOMATED, syncOptions: SYNC_OPTIONS, retry: RETRY },
        },
      },
      templatePatch: SOURCES_PATCH,
    },
  };
}

/** Tenant services written by golden paths: `apps/<team>/<service>/service.json`, each in its team's project. */
export function appsApplicationSet(repo: GitopsRepo): K8sObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: 'apps', namespace: ARGOCD_NAMESPACE },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [{ git: { repoURL: repo.url, revision: repo.branch, files: [{ path: `${APPS_DIR}/*/*/service.json` }] } }],
      template: {
        metadata: {
          name: '{{ .team }}-{{ .name }}',
          namespace: ARGOCD_NAMESPACE,
          labels: { 'plinth.dev/team': '{{ .team }}', [UNIT_LABEL]: '{{ .name }}' },
          finalizers: ['resources-finalizer.argocd.argoproj.io'],
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
