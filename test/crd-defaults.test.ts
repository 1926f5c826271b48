/**
 * Glue manifests carry every field their CRD defaults. The API server fills a
 * CRD's `default`s in before it stores an object; a field Git leaves out but
 * the server defaults is a difference Argo CD reports for ever (the
 * Application stays OutOfSync and self-heal syncs it again and again): the
 * e2e suite's real Argo CD found HTTPRoutes without a backendRef's weight or a
 * rule's match, and Kyverno PolicyExceptions without `reportResult`, this way.
 * Reproduced offline: the CRDs of every built-in profile (upstream manifests,
 * and the charts that install CRDs, rendered with Helm) and the API server's structural
 * defaulting (a missing property with a `default` gets it, inside every
 * object and array item that is there), applied to every glue manifest of
 * every built-in profile.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { starterConfig } from '../src/config/starter.js';
import { desiredState } from '../src/desired/index.js';
import { renderUnits, upstreamManifests } from '../src/helm/index.js';
import type { K8sObject } from '../src/model/k8s.js';
import type { Unit } from '../src/model/unit.js';
import { helmSetup } from './support/charts.js';

interface Schema {
  type?: string;
  default?: unknown;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Structural defaulting as the API server applies it (apiextensions-apiserver's
 * `Default`); `added` collects the path and value of every default filled in.
 */
// eslint-disable-next-line complexity -- the API server's structural defaulting as it walks a value: lists, maps, each property with a default, then additionalProperties
function withDefaults(value: unknown, schema: Schema | undefined, added: string[] = [], path = ''): unknown {
  if (!schema) return value;
  if (Array.isArray(value)) return value.map((v, i) => withDefaults(v, schema.items, added, `${path}[${i}]`));
  if (!isMap(value)) return value;
  const out: Record<string, unknown> = { ...value };
  for (const [k, sub] of Object.entries(schema.properties ?? {})) {
    if (out[k] === undefined && sub.default !== undefined) {
      out[k] = structuredClone(sub.default);
      added.push(`${path}.${k}=${JSON.stringify(sub.default)}`);
    }
    if (out[k] !== undefined) out[k] = withDefaults(out[k], sub, added, `${path}.${k}`);
  }
  if (isMap(schema.additionalProperties)) {
    for (const k of Object.keys(out)) if (!(k in (schema.properties ?? {}))) out[k] = withDefaults(out[k], schema.additionalProperties, added, `${path}.${k}`);
  }
  return out;
}

/** Every glue manifest of every built-in profile's desired state, with its profile and unit. */
function glueOfProfiles(): { profile: string; u: Unit; m: K8sObject }[] {
  return ['edge', 'compact', 'standard', 'lab'].flatMap((profile) =>
    desiredState(parseConfig(starterConfig(profile), 'plinth.yaml')).units.flatMap((u) => u.manifests.map((m) => ({ profile, u, m }))),
  );
}

/** `group/version/Kind` → the version's schema. */
const schemas = new Map<string, Schema>();

function addSchemas(objects: readonly K8sObject[]): void {
  for (const crd of objects.filter((o) => o.kind === 'CustomResourceDefinition')) {
    const spec = crd.spec as { group: string; names: { kind: string }; versions: { name: string; schema?: { openAPIV3Schema?: Schema } }[] };
    for (const v of spec.versions) if (v.schema?.openAPIV3Schema) schemas.set(`${spec.group}/${v.name}/${spec.names.kind}`, v.schema.openAPIV3Schema);
  }
}

beforeAll(async () => {
  const { helm, cache } = await helmSetup();
  // The CRDs of every built-in profile: upstream manifests, and the charts that install CRDs, rendered for real.
  const seen = new Set<string>();
  for (const profile of ['edge', 'standard', 'lab']) {
    const state = desiredState(parseConfig(starterConfig(profile), 'plinth.yaml'));
    const units = state.units.filter((u) => u.crdGroups.length > 0 && !seen.has(u.name));
    for (const u of units) seen.add(u.name);
    for (const u of units.filter((x) => x.git)) addSchemas(await upstreamManifests(cache, u.git!));
    for (const r of await renderUnits(units.filter((x) => x.chart), { helm, cache, concurrency: 2 })) addSchemas(r.chartObjects);
  }
});

describe('glue manifests against the defaults of their CRDs', () => {
  it('reads the Gateway API and Prometheus Operator CRDs from the cache', () => {
    expect(schemas.has('gateway.networking.k8s.io/v1/HTTPRoute')).toBe(true);
    expect(schemas.has('monitoring.coreos.com/v1/ServiceMonitor')).toBe(true);
    expect(schemas.has('policies.kyverno.io/v1beta1/PolicyException') || schemas.has('policies.kyverno.io/v1alpha1/PolicyException')).toBe(true);
  });

  it('finds a missing default (the HTTPRoute the e2e suite found)', () => {
    const route: K8sObject = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'r', namespace: 'n' },
      spec: { rules: [{ backendRefs: [{ name: 's', port: 80 }] }] },
    };
    const defaulted = withDefaults(route, schemas.get('gateway.networking.k8s.io/v1/HTTPRoute')) as K8sObject;
    expect((defaulted.spec as { rules: unknown[] }).rules).toEqual([{ backendRefs: [{ group: '', kind: 'Service', name: 's', port: 80, weight: 1 }], matches: [{ path: { type: 'PathPrefix', value: '/' } }] }]);
  });

  it('every glue object of an upstream CRD is stored as written, in every built-in profile', () => {
    const differ: string[] = [];
    let checked = 0;
    for (const { profile, u, m } of glueOfProfiles()) {
      const [group, version] = m.apiVersion.includes('/') ? m.apiVersion.split('/') : ['', m.apiVersion];
      const schema = schemas.get(`${group}/${version}/${m.kind}`);
      if (!schema) continue;
      checked++;
      const added: string[] = [];
      // The status is the controller's (a subresource Argo CD does not compare): only what Git says is checked.
      const specOnly = { ...schema, properties: Object.fromEntries(Object.entries(schema.properties ?? {}).filter(([k]) => k !== 'status')) };
      withDefaults(m, specOnly, added);
      if (added.length > 0) differ.push(`${profile}: ${u.name}: ${m.kind} ${m.metadata.namespace ?? ''}/${m.metadata.name}: the server adds ${added.join(', ')}`);
    }
    expect([...new Set(differ)]).toEqual([]);
    expect(checked).toBeGreaterThan(20);
  });

  // Built-in types are defaulted by the API server's Go code, not a schema: the one the e2e suite's real Argo CD
  // found (a glue StatefulSet's volume claim template without apiVersion, kind and volumeMode) is checked as such.
  it('every glue StatefulSet writes its volume claim templates as the server stores them', () => {
    const missing: string[] = [];
    let checked = 0;
    for (const { profile, u, m } of glueOfProfiles().filter((x) => x.m.kind === 'StatefulSet')) {
      for (const t of ((m.spec as { volumeClaimTemplates?: { apiVersion?: string; kind?: string; spec: { volumeMode?: string } }[] }).volumeClaimTemplates ?? [])) {
        checked++;
        if (t.apiVersion !== 'v1' || t.kind !== 'PersistentVolumeClaim' || !t.spec.volumeMode) missing.push(`${profile}: ${u.name}: StatefulSet ${m.metadata.name}: ${JSON.stringify(t)}`);
      }
    }
    expect([...new Set(missing)]).toEqual([]);
    expect(checked).toBeGreaterThan(0);
  });
});
