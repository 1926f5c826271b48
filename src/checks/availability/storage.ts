/**
 * Volumes on the chosen storage: when the platform chose networked storage
 * (Rook-Ceph), every claim of every workload names its class. A claim that
 * names none gets the cluster's default class, which on k3s is local-path
 * unless its provisioner is switched off: a volume pinned to one node, and
 * none of the failover the platform was built for.
 */
import type { DesiredState } from '../../desired/state.js';
import type { RenderedUnit } from '../../helm/render.js';
import { nodeLocal, STORAGE_CLASS_NAMES } from '../../model/choices.js';
import { claimsOf } from '../../model/claims.js';
import { objectOf, type Finding } from '../finding.js';
import { renderedWorkloads } from './objects.js';

const CHECK = 'availability';

export function checkStorageClasses(state: Pick<DesiredState, 'platform'>, rendered: readonly RenderedUnit[]): Finding[] {
  const choice = state.platform.choices.storage;
  if (nodeLocal(choice)) return [];
  const wanted = STORAGE_CLASS_NAMES[choice];
  const findings: Finding[] = [];
  const objects = rendered.flatMap((r) => [...r.chartObjects, ...r.glue]);
  for (const w of renderedWorkloads(rendered)) {
    for (const c of claimsOf(w.object, objects)) {
      if (c.storageClass === wanted) continue;
      findings.push({
        check: CHECK,
        severity: 'error',
        object: objectOf(w.object),
        source: { component: w.unit.name },
        path: w.object.kind === 'StatefulSet' ? 'spec.volumeClaimTemplates' : `${w.template.path}.spec.volumes`,
        message: `${w.object.kind} ${w.object.metadata.name} mounts claim ${c.name} of ${c.storageClass === undefined ? 'no storage class (the cluster default: local-path on k3s)' : `storage class ${c.storageClass}`}; storage.class is ${choice}, whose class is ${wanted}`,
        hint: `set the claim's storageClassName to ${wanted} in ${w.unit.name}'s values: a volume of another class does not follow its pod to another node`,
      });
    }
  }
  return findings;
}
