/**
 * Where objects may land: a tenant service writes only to its team's
 * namespaces (its AppProject, or under Flux the team's ServiceAccount, refuses
 * anything else), and a platform component only to namespaces some component
 * declares, since Plinth creates only those and neither engine creates one on
 * the fly (Argo CD syncs with CreateNamespace=false).
 */
import type { K8sObject } from '../model/k8s.js';
import type { Platform } from '../model/platform.js';
import { TENANT_STACK, type Unit } from '../model/unit.js';
import { projectForTeam } from '../synth/argocd/constants.js';
import { SYSTEM_NAMESPACES } from '../desired/resolve.js';
import { stackNamespaces } from '../synth/argocd/projects.js';
import { CLUSTER_SCOPED_KINDS } from './builtin.js';
import { type Finding, objectOf } from './finding.js';

export function checkProjects(platform: Platform, units: readonly Unit[], rendered: ReadonlyMap<string, readonly K8sObject[]>): Finding[] {
  const findings: Finding[] = [];
  const declared = new Set([...stackNamespaces(units.filter((u) => u.stack !== TENANT_STACK)), ...platform.teams.flatMap((t) => t.namespaces), ...SYSTEM_NAMESPACES]);
  const teamOf = (u: Unit) => u.name.split('/')[0]!;
  const flux = platform.choices.engine === 'flux';

  for (const u of units) {
    const tenant = u.stack === TENANT_STACK;
    const team = tenant ? platform.teams.find((t) => t.name === teamOf(u)) : undefined;
    const destinations = tenant ? new Set(team?.namespaces ?? []) : declared;
    const project = projectForTeam(teamOf(u));
    for (const o of [...u.manifests, ...(rendered.get(u.name) ?? [])]) {
      if (CLUSTER_SCOPED_KINDS.has(o.kind)) {
        if (tenant) findings.push(problem(u, o, flux ? `is cluster-scoped; team ${teamOf(u)}'s Kustomization runs as a ServiceAccount with no cluster-wide rights` : `is cluster-scoped; project ${project} allows no cluster-scoped objects`, 'tenant services write only namespaced objects in their team\'s namespaces'));
        continue;
      }
      const ns = o.metadata.namespace ?? u.namespace;
      if (!destinations.has(ns)) {
        const message = !tenant
          ? `is in namespace ${ns}, which no component declares: Plinth creates only declared namespaces, and ${flux ? 'Flux does not create one' : 'Argo CD syncs with CreateNamespace=false'}, so the sync fails`
          : flux
            ? `is in namespace ${ns}, outside team ${teamOf(u)}'s namespaces: its Kustomization runs as the team's ServiceAccount, which may not write there`
            : `is in namespace ${ns}, which project ${project} does not allow: Argo CD refuses to sync it`;
        findings.push(problem(u, o, message, tenant ? `team ${teamOf(u)} owns ${[...destinations].join(', ') || 'no namespace'}` : 'declare the namespace in the component (`extraNamespaces`) or set the chart to render into its own'));
      }
    }
  }
  return findings;
}

function problem(u: Unit, o: K8sObject, message: string, hint: string): Finding {
  return { check: 'graph', severity: 'error', object: objectOf(o), source: { component: u.name }, path: 'metadata.namespace', message, hint };
}
