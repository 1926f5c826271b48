/**
 * Schema agreement on the real API server (edge platform): every object of every
 * unit (glue and the charts as Helm renders them, through the product's own
 * desired state and render) and the bootstrap objects `plan` writes, each applied
 * with server-side dry-run (dryRun=All, field manager plinth) once the CRDs exist
 * and are Established (created for real), the namespaces exist (created for real)
 * and the ValidatingAdmissionPolicies the charts ship are in force (created for
 * real, with their bindings). Per object, the real server's verdict is set beside
 * `plinth check`'s schema findings for it: rejected ⇔ an error. The server's verdict
 * includes the CRDs' x-kubernetes-validations (CEL) and the policies.
 *
 * Seeded known-bad objects show that the oracle rejects what it must (a wrong field
 * type, an unknown field, a CRD CEL rule broken) and that the comparison sees a
 * disagreement when there is one.
 */
import { describe, expect, inject, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { BUILTIN_EXAMPLE_NAME, starterConfig } from '../../src/config/starter.js';
import { desiredState } from '../../src/desired/index.js';
import { bootstrapObjects, repositoryFiles, runChecks } from '../../src/checks/run.js';
import { checkSchemas } from '../../src/checks/schema/index.js';
import type { K8sObject } from '../../src/model/k8s.js';
import { helmSetup } from '../support/charts.js';
import { FIGURES_KEY, recordFigure } from './agreement/figures.js';
import { type CheckedObject, checkerErrors, compare, type Comparison, dryRunVerdict, establishCrds, keyOf, placed } from './agreement/schema.js';
import { useE2eCluster } from './harness/cluster.js';

const cluster = useE2eCluster();

const isKind = (o: K8sObject, apiVersion: string, kind: string) => o.apiVersion === apiVersion && o.kind === kind;
const VAP_KINDS = ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'];

/**
 * Known-bad objects: each breaks one rule the server enforces. `gap` names what
 * plinth check's schema checker does not judge, so the comparison must count a
 * disagreement there (the proof that it can).
 */
const SEEDS: { why: string; object: K8sObject; gap?: string }[] = [
  {
    why: 'a wrong field type (ConfigMap data value a number)',
    object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'seed-wrong-type', namespace: 'default' }, data: { answer: 42 } } as unknown as K8sObject,
  },
  {
    why: 'an unknown field in a Deployment',
    object: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'seed-unknown-field', namespace: 'default' },
      spec: { replica: 2, selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'x', image: 'busybox:1.37' }] } } },
    } as unknown as K8sObject,
  },
  {
    why: 'a Gateway API CRD CEL rule broken (tls on an HTTP listener)',
    object: {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'seed-cel', namespace: 'default' },
      spec: { gatewayClassName: 'cilium', listeners: [{ name: 'web', port: 80, protocol: 'HTTP', tls: { mode: 'Terminate', certificateRefs: [{ name: 'cert' }] } }] },
    } as unknown as K8sObject,
  },
  {
    why: 'a CRD schema type broken (ClusterIssuer selfSigned.crlDistributionPoints a string, not a list)',
    object: {
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name: 'seed-crd-schema' },
      spec: { selfSigned: { crlDistributionPoints: 'not-a-list' } },
    } as unknown as K8sObject,
  },
  {
    why: "the Cilium chart's ValidatingAdmissionPolicy broken (a Terminate listener of the cilium class with two certificateRefs)",
    gap: "the schema checker judges schemas and CRD rules, not the admission policies a chart ships (a ValidatingAdmissionPolicy's verdict is the policy checker's domain, and it evaluates only the platform's own Kyverno policies)",
    object: {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'seed-vap', namespace: 'default' },
      spec: { gatewayClassName: 'cilium', listeners: [{ name: 'https', port: 443, protocol: 'HTTPS', hostname: 'a.example.com', tls: { mode: 'Terminate', certificateRefs: [{ name: 'a' }, { name: 'b' }] } }] },
    } as unknown as K8sObject,
  },
];

describe('schema agreement: plinth check against the real API server (edge platform)', () => {
  const results: Comparison[] = [];
  const objects: (CheckedObject & { namespace: string })[] = [];
  let errors = new Map<string, string[]>();

  it('creates the CRDs (Established), the namespaces and the charts\' ValidatingAdmissionPolicies for real', async () => {
    const { helm, cache } = await helmSetup();
    const { client } = cluster.get();
    const state = desiredState(parseConfig(starterConfig('edge'), BUILTIN_EXAMPLE_NAME));
    const report = await runChecks(state, { helm, cache });
    expect(report.findings.filter((f) => f.check === 'render')).toEqual([]);
    const ctx = report.context!;
    errors = checkerErrors(report.findings);
    // The objects exactly as checkSchemas walks them: glue, rendered, then the bootstrap objects.
    for (const u of state.units) {
      for (const o of [...u.manifests, ...(ctx.renderedByUnit.get(u.name) ?? [])]) objects.push({ component: u.name, object: o, namespace: u.namespace });
    }
    for (const e of bootstrapObjects(repositoryFiles(state, {}))) objects.push({ component: e.component, object: e.object, namespace: 'argocd' });
    expect(objects.length).toBeGreaterThan(500);

    await establishCrds(client, objects.map((c) => c.object).filter((o) => isKind(o, 'apiextensions.k8s.io/v1', 'CustomResourceDefinition')));
    const namespaces = new Set([...objects.map((c) => c.namespace), ...objects.map((c) => c.object.metadata.namespace).filter((n): n is string => !!n)]);
    for (const o of objects.map((c) => c.object).filter((o) => isKind(o, 'v1', 'Namespace'))) await client.apply(o, { force: true });
    for (const ns of namespaces) await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, { force: true });
    const vaps = objects.filter((c) => c.object.apiVersion === 'admissionregistration.k8s.io/v1' && VAP_KINDS.includes(c.object.kind));
    expect(vaps.length, 'the edge charts ship ValidatingAdmissionPolicies').toBeGreaterThan(0);
    for (const c of vaps.sort((a, b) => VAP_KINDS.indexOf(a.object.kind) - VAP_KINDS.indexOf(b.object.kind))) await client.apply(await placed(client, c.object, c.namespace), { force: true });
    // The admission plugin picks policies up from an informer: give it its resync.
    await new Promise((r) => setTimeout(r, 3_000));
  });

  it('every object: the server rejects it exactly when plinth check has a schema error for it', async () => {
    const { client } = cluster.get();
    for (const c of objects) {
      const server = await dryRunVerdict(client, await placed(client, c.object, c.namespace));
      results.push(compare(keyOf(c), server, errors));
    }
    const agree = results.filter((r) => r.agree).length;
    recordFigure(inject(FIGURES_KEY), { oracle: 'schema', platform: 'edge', agree, total: results.length, unit: 'objects' });
    console.log(`schema: ${agree} of ${results.length} objects agree (edge)`);
    const disagreements = results.filter((r) => !r.agree).map((r) => `${r.key}: server ${r.server.accepted ? 'accepts' : `rejects (${r.server.message})`}; checker ${r.checker.length ? r.checker.join('; ') : 'no error'}`);
    expect(disagreements).toEqual([]);
    expect(results.length).toBe(objects.length);
  });

  it('seeded known-bad objects: the server rejects each, and the comparison counts the checker\'s verdict on it', async () => {
    const { client } = cluster.get();
    const seeded = SEEDS.map((s) => ({ component: 'seed', object: s.object }));
    const findings = await checkSchemas({ units: [], rendered: new Map([['crds', objects.map((c) => c.object).filter((o) => o.kind === 'CustomResourceDefinition')]]), extra: seeded.map((s) => ({ ...s, file: 'seed.yaml' })) });
    const seedErrors = checkerErrors(findings);
    const out: string[] = [];
    for (const [i, s] of seeded.entries()) {
      const server = await dryRunVerdict(client, s.object);
      expect(server.accepted, `${SEEDS[i]!.why}: the server must reject it`).toBe(false);
      const c = compare(keyOf(s), server, seedErrors);
      out.push(`${SEEDS[i]!.why}: ${c.agree ? 'agree' : 'DISAGREE'} (server: ${server.message}; checker: ${c.checker.join('; ') || 'no error'})`);
      expect(c.agree, `${SEEDS[i]!.why}: ${out.at(-1)}`).toBe(SEEDS[i]!.gap === undefined);
    }
    console.log(`schema seeds:\n  ${out.join('\n  ')}`);
    // A checker that says nothing is wrong disagrees on every seed: the comparison can fail.
    const blind = seeded.map((s, i) => compare(keyOf(s), { accepted: false, message: SEEDS[i]!.why }, new Map()));
    expect(blind.every((c) => !c.agree)).toBe(true);
    expect(out.filter((l) => l.includes('DISAGREE')).length).toBe(SEEDS.filter((s) => s.gap).length);
  });
});
