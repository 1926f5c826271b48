/**
 * The platform's Applications, one per unit, written by Plinth itself and
 * synced by the root Application (app of apps, ADR 002). Each carries the
 * sync wave the dependency graph gives its unit: the root Application applies
 * one wave at a time and waits until every Application of the wave is Synced
 * and Healthy (the Application health check restored in the Argo CD values),
 * so every `dependsOn` edge is enforced by Argo CD on first install, on every
 * rebuild and for a newly enabled component. The Applications themselves sync
 * automatically with self-heal, so drift is repaired at the same revision.
 */
import type { K8sObject } from '../../model/k8s.js';
import { STACK_LABEL, TIER_LABEL, UNIT_LABEL, WAVE_LABEL } from '../../model/labels.js';
import type { Unit } from '../../model/unit.js';
import { SYNC_WAVE_ANNOTATION } from '../../desired/units.js';
import { APPLICATIONS_DIR, ARGOCD_NAMESPACE, IN_CLUSTER, RESOURCES_FINALIZER, RETRY, SYNC_OPTIONS, projectForStack } from './constants.js';
import { type GitopsRepo, preservedOnDelete, unitSources } from './units.js';

/** Automated sync with prune and self-heal: objects removed from Git are pruned, drift is reverted. */
export const AUTOMATED = { automated: { prune: true, selfHeal: true } };

/** Where the root Application finds the Application of a unit. */
export function applicationFile(unit: Pick<Unit, 'stack' | 'name'>): string {
  return `${APPLICATIONS_DIR}/${unit.stack}/${unit.name}.yaml`;
}

/**
 * The Application of one unit. Units whose resources must outlive it (the
 * engine, tier 0, CRD-only units) carry no resources finalizer: deleting the
 * Application, or removing it from Git, leaves what it installed in place.
 */
export function unitApplication(unit: Unit, repo: GitopsRepo): K8sObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: unit.name,
      namespace: ARGOCD_NAMESPACE,
      labels: { [UNIT_LABEL]: unit.name, [STACK_LABEL]: unit.stack, [TIER_LABEL]: String(unit.tier), [WAVE_LABEL]: String(unit.wave) },
      annotations: { [SYNC_WAVE_ANNOTATION]: String(unit.wave) },
      ...(preservedOnDelete(unit) ? {} : { finalizers: [RESOURCES_FINALIZER] }),
    },
    spec: {
      project: projectForStack(unit.stack),
      destination: { server: IN_CLUSTER, namespace: unit.namespace },
      sources: unitSources(unit, repo),
      syncPolicy: { ...AUTOMATED, syncOptions: SYNC_OPTIONS, retry: RETRY },
    },
  };
}
