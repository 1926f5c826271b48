/**
 * Argo CD's own rules on the generated repository: every object an
 * Application writes must land in a namespace its AppProject allows (Argo CD
 * refuses the sync otherwise), and a tenant service writes only to its team's
 * namespaces.
 */
import type { K8sObject } from '../model/k8s.js';
import type { Platform } from '../model/platform.js';
import { TENANT_STACK, type Unit } from '../model/unit.js';
import { projectForStack, projectForTeam } from '../synth/argocd/constants.js';
import { stackNamespaces } from '../synth/argocd/projects.js';
import { CLUSTER_SCOPED_KINDS } from './builtin.js';
import { type Finding, objectOf } from './finding.js';

export function checkProjects(platform: Platform, units: readonly Unit[], rendered: ReadonlyMap<string, readonly K8sObject[]>): Finding[] {
  const findings: Finding[] = [];
  const byStack = new Map<string, Unit[]>();
  for (const u of units) if (u.stack !== TENANT_STACK) byStack.set(u.stack, [...(byStack.get(u.stack) ?? []), u]);
  const allowed = new Map([...byStack].map(([stack, us]) => [stack, new Set(stackNamespaces(us))]));
  const teamOf = (u: Unit) => u.name.split('/')[0]!;

  for (const u of units) {
    const tenant = u.stack === TENANT_STACK;
    const team = tenant ? platform.teams.find((t) => t.name === teamOf(u)) : undefined;
    const destinations = tenant ? new Set(team?.namespaces ?? []) : allowed.get(u.stack)!;
    const project = tenant ? projectForTeam(teamOf(u)) : projectForStack(u.stack);
    for (const o of [...u.manifests, ...(rendered.get(u.name) ?? [])]) {
      if (CLUSTER_SCOPED_KINDS.has(o.kind)) {
        if (tenant) findings.push(problem(u, o, `is cluster-scoped; project ${project} allows no cluster-scoped objects`, 'tenant services write only namespaced objects in their team\'s namespaces'));
        continue;
      }
      const ns = o.metadata.namespace ?? u.namespace;
      if (!destinations.has(ns)) {
        findings.push(problem(u, o, `is in namespace ${ns}, which project ${project} does not allow: Argo CD refuses to sync it`, tenant ? `team ${teamOf(u)} owns ${[...destinations].join(', ') || 'no namespace'}` : 'declare the namespace in the component (`extraNamespaces`) or set the chart to render into its own'));
      }
    }
  }
  return findings;
}

function problem(u: Unit, o: K8sObject, message: string, hint: string): Finding {
  return { check: 'graph', severity: 'error', object: objectOf(o), source: { component: u.name }, path: 'metadata.namespace', message, hint };
}
