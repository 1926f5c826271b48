/**
 * Every name the desired state uses must resolve: the issuer of a
 * Certificate, the store of an ExternalSecret, the Gateway of an HTTPRoute,
 * the Secret of a Gateway listener. Objects come from glue manifests, from
 * what charts are known to create (`provides`), and Secrets from their producers.
 */
import type { Unit } from '../model/unit.js';
import { objectRef } from '../model/k8s.js';
import { type ObjectKey, keyOf, keyText, referencesOf, secretsProducedBy } from './references.js';

type UnitObjects = Pick<Unit, 'name' | 'manifests' | 'provides'>;

/** Which unit creates each object, by `keyText`. */
export function indexObjects(units: readonly UnitObjects[]): Map<string, string> {
  const index = new Map<string, string>();
  for (const u of units) {
    for (const m of u.manifests) {
      index.set(keyText(keyOf(m)), u.name);
      for (const s of secretsProducedBy(m)) index.set(keyText(s), u.name);
    }
    for (const p of u.provides) index.set(keyText(keyOf({ apiVersion: p.apiVersion, kind: p.kind, metadata: { name: p.name, namespace: p.namespace } })), u.name);
  }
  return index;
}

export interface DanglingReference {
  unit: string;
  from: string;
  path: string;
  to: ObjectKey;
}

export function danglingReferences(units: readonly UnitObjects[]): DanglingReference[] {
  const index = indexObjects(units);
  const out: DanglingReference[] = [];
  for (const u of units) {
    for (const m of u.manifests) {
      const dangling = referencesOf(m).filter((r) => !index.has(keyText(r.to)));
      out.push(...dangling.map((r) => ({ unit: u.name, from: objectRef(m), path: r.path, to: r.to })));
    }
  }
  return out;
}
