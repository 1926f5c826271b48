/**
 * Schema checker: every object (glue and rendered) against the Kubernetes
 * OpenAPI schemas (built-in kinds) and the CRDs the platform installs
 * (rendered charts and upstream manifests). Unknown fields are errors.
 */
import { apiGroup, type K8sObject } from '../../model/k8s.js';
import type { Unit } from '../../model/unit.js';
import { BUILTIN_GROUPS } from '../builtin.js';
import { type Finding, objectOf } from '../finding.js';
import { validateBuiltin } from './builtin.js';
import { type CompiledSchemas, CrdSchemas } from './crd.js';

const CHECK = 'schema';

export interface SchemaInput {
  units: readonly Unit[];
  /** Rendered chart objects by unit; their CRDs are the custom schemas. */
  rendered: ReadonlyMap<string, readonly K8sObject[]>;
  /** Where each unit's glue manifests are written, for findings. */
  fileOf?: (unit: Unit, obj: K8sObject) => string | undefined;
  /** Compiled CRD validators to reuse across checks. */
  compiled?: CompiledSchemas;
  /** Objects outside the units (the bootstrap: root Application, AppProjects, ApplicationSets), with their files. */
  extra?: readonly { component: string; file: string; object: K8sObject }[];
}

export async function checkSchemas(input: SchemaInput): Promise<Finding[]> {
  const crds = new CrdSchemas(input.compiled);
  for (const objs of input.rendered.values()) for (const o of objs) if (o.kind === 'CustomResourceDefinition') crds.add(o);

  const findings: Finding[] = [];
  const sets = input.units.map((u) => ({
    component: u.name,
    objects: [...u.manifests.map((o) => ({ o, file: input.fileOf?.(u, o) })), ...(input.rendered.get(u.name) ?? []).map((o) => ({ o, file: undefined as string | undefined }))],
  }));
  for (const e of input.extra ?? []) sets.push({ component: e.component, objects: [{ o: e.object, file: e.file }] });
  for (const { component, objects } of sets) {
    for (const { o, file } of objects) {
      const group = apiGroup(o.apiVersion);
      const issues = BUILTIN_GROUPS.has(group) ? await validateBuiltin(o) : crds.validate(o);
      const source = { component, ...(file ? { file } : {}) };
      if (issues === undefined) {
        const known = BUILTIN_GROUPS.has(group) || crds.has(o.apiVersion, o.kind);
        findings.push({
          check: CHECK,
          severity: 'warning',
          object: objectOf(o),
          source,
          message: known ? `no schema for ${o.apiVersion} ${o.kind}` : `no installed CRD serves ${o.apiVersion} ${o.kind}; not validated`,
          hint: 'the API server of the cluster is the only judge of this object',
        });
        continue;
      }
      for (const issue of issues) findings.push({ check: CHECK, severity: 'error', object: objectOf(o), source, path: issue.path, message: issue.message });
    }
  }
  return findings;
}
