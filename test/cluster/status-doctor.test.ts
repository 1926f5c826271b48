/** `plinth status` and `plinth doctor` on the API test double: a failing Application, reports, pending pods, webhooks. */
import { afterEach, describe, expect, it } from 'vitest';
import { doctorCommandWith } from '../../src/cli/commands/doctor.js';
import { statusCommandWith } from '../../src/cli/commands/status.js';
import { ClusterTimeoutError } from '../../src/cluster/index.js';
import type { DesiredState } from '../../src/desired/index.js';
import type { K8sObject } from '../../src/model/k8s.js';
import { diagnose } from '../../src/ops/doctor/diagnose.js';
import { formatDoctor } from '../../src/ops/doctor/render.js';
import { DEFAULT_DEPS } from '../../src/ops/session.js';
import { runUp } from '../../src/ops/up/index.js';
import type { KubeApiTestDouble } from '../double/kube-api-double.js';
import { testState } from './fixtures.js';
import { capture, startCluster, type TestCluster, testOps, up, upOptions } from './harness.js';

let cluster: TestCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

const NOW = Date.parse('2026-03-01T12:00:00Z');
const day = 86_400_000;
const ARGO_MESSAGE = 'one or more objects failed to apply, reason: ExternalSecret.external-secrets.io "grafana-admin" is invalid: spec.target.name: Invalid value';

// eslint-disable-next-line max-params -- a CRD fixture called as one table row per type the test registers (group, version, kind, plural, scope)
function registerCrd(double: KubeApiTestDouble, group: string, version: string, kind: string, plural: string, scope = 'Namespaced'): void {
  double.put({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: { group, scope, names: { kind, plural }, versions: [{ name: version, served: true, storage: true, subresources: { status: {} } }] },
  });
  double.establishCrd(`${plural}.${group}`);
}

async function run(command: ReturnType<typeof statusCommandWith>, c: TestCluster, values: Record<string, string> = {}) {
  const cap = capture({}, c.dir);
  const code = await command.run!(cap.io, { values: { kubeconfig: c.kubeconfig, ...values }, positionals: [] });
  return { code, cap };
}

const deps = (state: DesiredState) => ({ ...DEFAULT_DEPS, desired: () => state, now: () => NOW, pollMs: 10 });

async function failingPlatform(): Promise<{ state: DesiredState; c: TestCluster }> {
  const state = testState(['vault', 'external-secrets', 'dashboards']);
  const c = await startCluster(state, {
    argo: { fail: { dashboards: { message: ARGO_MESSAGE, resource: { kind: 'ExternalSecret', name: 'grafana-admin', message: 'admission webhook denied: spec.target.name: Invalid value' } } } },
  });
  const err = await up(c, state, { followMs: 3000 }).catch((e: Error) => e);
  expect(err).toBeInstanceOf(ClusterTimeoutError);
  expect((err as Error).message).toContain(`dashboards: OutOfSync/Degraded: ${ARGO_MESSAGE}`);
  return { state, c };
}

describe('plinth status', () => {
  it('reports the failing Application with Argo CD message, and the platform signals', async () => {
    const { state, c } = await failingPlatform();
    cluster = c;
    const d = c.double;
    registerCrd(d, 'wgpolicyk8s.io', 'v1alpha2', 'PolicyReport', 'policyreports');
    registerCrd(d, 'wgpolicyk8s.io', 'v1alpha2', 'ClusterPolicyReport', 'clusterpolicyreports', 'Cluster');
    registerCrd(d, 'aquasecurity.github.io', 'v1alpha1', 'VulnerabilityReport', 'vulnerabilityreports');
    registerCrd(d, 'cert-manager.io', 'v1', 'Certificate', 'certificates');
    d.put({ apiVersion: 'wgpolicyk8s.io/v1alpha2', kind: 'PolicyReport', metadata: { name: 'a', namespace: 'argocd' }, summary: { pass: 10, fail: 2, warn: 0, error: 0, skip: 1 } });
    d.put({ apiVersion: 'wgpolicyk8s.io/v1alpha2', kind: 'PolicyReport', metadata: { name: 'b', namespace: 'vault' }, summary: { pass: 5, fail: 1, warn: 1 } });
    d.put({ apiVersion: 'wgpolicyk8s.io/v1alpha2', kind: 'ClusterPolicyReport', metadata: { name: 'c' }, summary: { pass: 3 } });
    d.put({ apiVersion: 'aquasecurity.github.io/v1alpha1', kind: 'VulnerabilityReport', metadata: { name: 'v1', namespace: 'argocd' }, report: { summary: { criticalCount: 1, highCount: 4 } } });
    d.put({ apiVersion: 'aquasecurity.github.io/v1alpha1', kind: 'VulnerabilityReport', metadata: { name: 'v2', namespace: 'vault' }, report: { summary: { criticalCount: 0, highCount: 2 } } });
    d.put({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'vault-tls', namespace: 'vault' }, spec: {}, status: { notAfter: new Date(NOW + 3 * day).toISOString() } });
    d.put({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'wildcard', namespace: 'argocd' }, spec: {}, status: { notAfter: new Date(NOW + 90 * day).toISOString() } });
    d.put({ apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'grafana-admin', namespace: 'observability' }, spec: {}, status: { conditions: [{ type: 'Ready', status: 'False', reason: 'SecretSyncedError', message: 'could not get secret data from provider' }] } });
    d.put({ apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'fine', namespace: 'argocd' }, spec: {}, status: { conditions: [{ type: 'Ready', status: 'True' }] } });

    const json = await run(statusCommandWith(deps(state)), c, { format: 'json' });
    expect(json.code).toBe(1);
    const report = JSON.parse(json.cap.out());
    expect(report.context).toBe('plinth-test-double');
    expect(report.components.find((x: { component: string }) => x.component === 'dashboards')).toEqual({
      component: 'dashboards',
      stack: 'observability',
      tier: 3,
      wave: state.units.find((u) => u.name === 'dashboards')!.wave,
      sync: 'OutOfSync',
      health: 'Degraded',
      message: ARGO_MESSAGE,
    });
    expect(report.components.find((x: { component: string }) => x.component === 'argocd')).toMatchObject({ sync: 'Synced', health: 'Healthy' });
    expect(report.policies).toEqual({ pass: 18, fail: 3, warn: 1, error: 0, skip: 1, reports: 3 });
    expect(report.vulnerabilities).toEqual({ critical: 1, high: 6, reports: 2 });
    expect(report.certificatesExpiring).toEqual([{ namespace: 'vault', name: 'vault-tls', notAfter: new Date(NOW + 3 * day).toISOString(), daysLeft: 3 }]);
    expect(report.externalSecretsNotSynced).toEqual([{ namespace: 'observability', name: 'grafana-admin', reason: 'SecretSyncedError', message: 'could not get secret data from provider' }]);

    const text = await run(statusCommandWith(deps(state)), c);
    expect(text.cap.out()).toMatch(/COMPONENT\s+TIER\s+WAVE\s+SYNC\s+HEALTH\s+MESSAGE/);
    expect(text.cap.out()).toMatch(new RegExp(`dashboards\\s+3\\s+${state.units.find((u) => u.name === 'dashboards')!.wave}\\s+OutOfSync\\s+Degraded\\s+${ARGO_MESSAGE.slice(0, 40)}`));
    expect(text.cap.out()).toContain('Policies: 18 pass, 3 fail, 1 warn, 0 error (3 reports)');
    expect(text.cap.out()).toContain('Vulnerabilities: 1 critical, 6 high (2 reports)');
    expect(text.cap.out()).toContain('  vault/vault-tls: 3 days left');
    expect(text.cap.out()).toContain('  observability/grafana-admin: SecretSyncedError: could not get secret data from provider');
  });

  it('says which signals are not installed yet', async () => {
    const state = testState();
    cluster = await startCluster(state);
    await up(cluster, state);
    const { code, cap } = await run(statusCommandWith(deps(state)), cluster);
    expect(code).toBe(0);
    expect(cap.out()).toContain('Policies: no PolicyReport CRD (Kyverno not installed yet)');
    expect(cap.out()).toContain('Every component is Synced and Healthy.');
  });
});

describe('plinth doctor', () => {
  it('explains the failed sync with Argo CD message and the failing resource', async () => {
    const { state, c } = await failingPlatform();
    cluster = c;
    const { code, cap } = await run(doctorCommandWith(deps(state)), c);
    expect(code).toBe(1);
    const out = cap.out();
    expect(out).toContain('ERROR sync Application/argocd/dashboards (dashboards)');
    expect(out).toContain(`Application dashboards is OutOfSync/Degraded: Argo CD says "${ARGO_MESSAGE}"; failing: ExternalSecret/observability/grafana-admin: "admission webhook denied: spec.target.name: Invalid value"`);
    expect(out).toContain('fix: argocd app get dashboards shows the operation');
  });

  it('explains a pending pod with the scheduler and the planner, a webhook without endpoints, secrets and certificates not ready, a sealed Vault', async () => {
    const state = testState(['vault', 'external-secrets', 'dashboards']);
    cluster = await startCluster(state);
    await up(cluster, state);
    const d = cluster.double;
    const scheduler = '0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient memory. no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.'; // 8Gi is more than any node has: as kube-scheduler 1.36 writes it
    d.put({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'grafana-0', namespace: 'observability', labels: { 'app.kubernetes.io/instance': 'dashboards' } },
      spec: { containers: [{ name: 'grafana', image: 'grafana/grafana:12', resources: { requests: { cpu: '100m', memory: '8Gi' } } }] },
      status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: scheduler }] },
    });
    d.put({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'grafana-1', namespace: 'observability', labels: { 'app.kubernetes.io/instance': 'dashboards' } },
      spec: { containers: [{ name: 'grafana', image: 'grafana/grafana:12', resources: { requests: { cpu: '100m', memory: '8Gi' } } }] },
      status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector." }] },
    });
    d.put({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'externalsecret-validate' },
      webhooks: [{ name: 'validate.externalsecret.external-secrets.io', failurePolicy: 'Fail', clientConfig: { service: { name: 'external-secrets-webhook', namespace: 'external-secrets' } }, rules: [{ resources: ['externalsecrets'] }] }],
    });
    d.put({ apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'grafana-admin', namespace: 'observability' }, spec: { data: [{ remoteRef: { key: 'platform/grafana' } }] }, status: { conditions: [{ type: 'Ready', status: 'False', reason: 'SecretSyncedError', message: 'could not get secret data from provider' }] } });
    registerCrd(d, 'cert-manager.io', 'v1', 'Certificate', 'certificates');
    d.put({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'vault-tls', namespace: 'vault' }, spec: {}, status: { conditions: [{ type: 'Ready', status: 'False', reason: 'DoesNotExist', message: 'Issuing certificate as Secret does not exist' }] } });
    d.setStatus({ apiVersion: 'v1', kind: 'Pod', namespace: 'vault', name: 'vault-0' }, { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] });

    const { code, cap } = await run(doctorCommandWith(deps(state)), cluster);
    expect(code).toBe(1);
    const out = cap.out();
    expect(out).toContain('ERROR pending-pod Pod/observability/grafana-0 (dashboards)');
    expect(out).toContain(`the scheduler says "${scheduler}"`);
    expect(out).toContain('(the planner finds the same on the live nodes)');
    // A stale scheduler message: the planner says what holds now.
    expect(out).toContain('pod observability/grafana-1 is Pending: the scheduler says "0/3 nodes are available: 3 node(s) didn\'t match Pod\'s node affinity/selector."; the planner, on the live nodes now: "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient memory.');
    expect(out).toContain('fix: the requests do not fit the free capacity');
    expect(out).toContain('ERROR webhook ValidatingWebhookConfiguration/externalsecret-validate');
    expect(out).toContain('calls service external-secrets/external-secrets-webhook, which has no ready endpoints');
    expect(out).toContain('ERROR external-secret ExternalSecret/observability/grafana-admin (dashboards)');
    expect(out).toContain('holds platform/grafana');
    expect(out).toContain('ERROR certificate Certificate/vault/vault-tls (vault)');
    expect(out).toContain('"Issuing certificate as Secret does not exist"');
    expect(out).toContain('ERROR vault Pod/vault/vault-0 (vault)');
    expect(out).toContain('fix: `plinth vault unseal`');

    // Ready endpoints make the webhook finding go away.
    d.put({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'external-secrets-webhook-x', namespace: 'external-secrets', labels: { 'kubernetes.io/service-name': 'external-secrets-webhook' } },
      endpoints: [{ addresses: ['10.42.0.9'], conditions: { ready: true } }],
    });
    const again = await run(doctorCommandWith(deps(state)), cluster);
    expect(again.cap.out()).not.toContain('ERROR webhook');
  });

  it('explains a StatefulSet pod stranded on a lost node, with the out-of-service taint as the fix', async () => {
    const state = testState(['vault']);
    cluster = await startCluster(state);
    await up(cluster, state);
    const d = cluster.double;
    d.setStatus({ apiVersion: 'v1', kind: 'Node', name: 'k3s-agent-0' }, { conditions: [{ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' }] });
    // Deleted, but the kubelet of a lost node never confirms: the finalizer stands for that wait.
    const stranded = (name: string, node: string) => {
      d.put({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name,
          namespace: 'vault',
          labels: { 'app.kubernetes.io/instance': 'vault' },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'vault', uid: 'u1', controller: true }],
          finalizers: ['test.plinth.dev/kubelet-confirms'],
        },
        spec: { nodeName: node, containers: [{ name: 'vault', image: 'hashicorp/vault:1.20.4' }] },
        status: { phase: 'Running' },
      });
      d.remove({ apiVersion: 'v1', kind: 'Pod', namespace: 'vault', name });
    };
    stranded('vault-0', 'k3s-agent-0');
    stranded('vault-9', 'k3s-agent-1'); // on a Ready node: only slow to terminate, nothing to say
    const { code, cap } = await run(doctorCommandWith(deps(state)), cluster);
    expect(code).toBe(1);
    const out = cap.out();
    expect(out).toContain('ERROR lost-node Pod/vault/vault-0 (vault)');
    expect(out).toContain('pod vault/vault-0 of StatefulSet vault is Terminating on node k3s-agent-0, which is not Ready');
    expect(out).toContain('fix: if k3s-agent-0 is down for good: kubectl taint node k3s-agent-0 node.kubernetes.io/out-of-service=nodeshutdown:NoExecute');
    expect(out).not.toContain('Pod/vault/vault-9');
  });

  it('names missing CRDs and a missing engine on a bare cluster', async () => {
    const state = testState(['vault', 'external-secrets', 'dashboards']);
    cluster = await startCluster(state);
    const { code, cap } = await run(doctorCommandWith(deps(state)), cluster);
    expect(code).toBe(1);
    expect(cap.out()).toContain('Argo CD is not installed (the Application CRD is not served)');
    expect(cap.out()).toContain("Widget (widgets.example.com/v1) is not served by the cluster: its CustomResourceDefinition is missing, so widgets's Widget objects cannot be created");
    expect(cap.out()).toContain('fix: the CRD comes with widgets');
    expect(cap.out()).toContain('ClusterSecretStore (external-secrets.io/v1) is not served');
  });

  it('finds nothing on a healthy platform', async () => {
    const state = testState();
    cluster = await startCluster(state);
    await up(cluster, state);
    const { code, cap } = await run(doctorCommandWith(deps(state)), cluster);
    expect(cap.out()).toContain('No problem found');
    expect(code).toBe(0);
  });
});

describe("Argo CD's own objects: the root Application and the ApplicationSets", () => {
  const AUTH = 'Failed to load target state: failed to generate manifest for source 1 of 1: rpc error: code = Unknown desc = authentication required';
  const NO_BRANCH = "error generating params from git: error retrieving Git files: rpc error: code = Internal desc = unable to resolve 'main' to a commit SHA";

  async function followFailing(c: TestCluster, state: DesiredState) {
    const cap = capture();
    const err = await runUp(testOps(c.client, cap), state, upOptions(c, { followMs: 3000 })).catch((e: Error) => e);
    expect(err).toBeInstanceOf(ClusterTimeoutError);
    return { cap, err: err as Error };
  }

  it('a root app that cannot read the repository: up says why while it follows, doctor explains it with the fix', async () => {
    const state = testState(['vault', 'external-secrets', 'dashboards']);
    cluster = await startCluster(state, { argo: { rootError: { type: 'ComparisonError', message: AUTH } } });
    const { cap, err } = await followFailing(cluster, state);
    const said = `the root Application plinth-root has a ComparisonError, so no component can sync: Argo CD says "${AUTH}"`;
    // Once, with the fix, while the components show Missing.
    expect(cap.err().split(said).length - 1).toBe(1);
    expect(cap.err()).toContain(`warning: ${said}\n  fix: Argo CD cannot read https://git.example.com/platform/gitops.git: give it credentials with \`plinth up --repo-credentials FILE\``);
    expect(err.message).toContain(`\n  - ${said}\n  - platform-base: Missing/Missing`);

    const { code, cap: doctor } = await run(doctorCommandWith(deps(state)), cluster);
    expect(code).toBe(1);
    expect(doctor.out()).toContain(`ERROR root Application/argocd/plinth-root\n  ${said}\n  fix: Argo CD cannot read`);
    // Every component waits for the root: no finding of its own.
    expect(doctor.out()).not.toContain('doctor/waiting');
    expect(doctor.out()).not.toContain('WARNING waiting');
  });

  it('the tenants ApplicationSet that cannot generate: up says why, doctor names it and the fix', async () => {
    const state = testState(['vault', 'external-secrets', 'dashboards']);
    cluster = await startCluster(state, { argo: { applicationSetErrors: { apps: NO_BRANCH }, stall: ['dashboards'] } });
    const { cap, err } = await followFailing(cluster, state);
    const said = `ApplicationSet apps cannot generate its Applications: Argo CD says "${NO_BRANCH}"`;
    expect(cap.err()).toContain(`warning: ${said}\n  fix: https://git.example.com/platform/gitops.git (branch main) does not hold what plinth.yaml describes: run \`plinth plan\` and push its output there`);
    expect(err.message).toContain(said);

    const { cap: doctor } = await run(doctorCommandWith(deps(state)), cluster);
    expect(doctor.out()).toContain(`ERROR applicationset ApplicationSet/argocd/apps\n  ${said}`);
  });
});

describe('plinth doctor on Applications that do not sync', () => {
  const state = testState(['vault', 'external-secrets', 'dashboards']);
  const app = (name: string, status: object): K8sObject => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: 'argocd' }, status });
  const synced = { sync: { status: 'Synced' }, health: { status: 'Healthy' } };
  const facts = (applications: K8sObject[], applicationSets: K8sObject[] = []) => ({ pods: [], nodes: [], applications, applicationSets, webhooks: [], endpointSlices: [], served: new Map<string, boolean>() });
  const root = app('plinth-root', synced);

  it('quotes the ComparisonError of a component', () => {
    const message = 'rpc error: code = Unknown desc = Manifest generation error (cached): app path does not exist';
    const out = formatDoctor(diagnose(state, facts([root, ...state.units.map((u) => app(u.name, u.name === 'dashboards' ? { sync: { status: 'Unknown' }, health: { status: 'Healthy' }, conditions: [{ type: 'ComparisonError', message }] } : synced))])));
    expect(out).toContain(`ERROR sync Application/argocd/dashboards (dashboards)\n  Application dashboards is Unknown/Healthy with a ComparisonError: Argo CD says "${message}"\n  fix: https://git.example.com/platform/gitops.git (branch main) does not hold what plinth.yaml describes`);
  });

  it('says so when the root Application was never reconciled (the controller is not running), not that Applications are missing', () => {
    const out = formatDoctor(diagnose(state, facts([app('plinth-root', {})])));
    expect(out).toContain("the root Application plinth-root has no status: Argo CD's application-controller has never reconciled it, so nothing is synced");
    expect(out).not.toContain('does not exist');
  });

  it('says which wave the root Application is waiting on while it syncs', () => {
    const running = { ...synced, operationState: { phase: 'Running', message: 'waiting for healthy state of argoproj.io/Application/vault' } };
    const out = formatDoctor(diagnose(state, facts([app('plinth-root', running), ...state.units.map((u) => app(u.name, synced))])));
    expect(out).toContain('the root Application plinth-root is syncing one wave at a time: Argo CD says "waiting for healthy state of argoproj.io/Application/vault"');
    expect(out).toContain('Argo CD ends it itself after 30 minutes');
  });

  it('explains an InvalidSpecError of the root Application', () => {
    const message = 'Application referencing project plinth-bootstrap which does not exist';
    const out = formatDoctor(diagnose(state, facts([app('plinth-root', { sync: { status: 'Unknown' }, health: { status: 'Healthy' }, conditions: [{ type: 'InvalidSpecError', message }] })])));
    expect(out).toContain(`the root Application plinth-root has an InvalidSpecError, so no component can sync: Argo CD says "${message}"\n  fix: the AppProject does not exist or does not allow it: \`plinth up\` writes the AppProjects`);
  });

  it('says what an OutOfSync/Missing component waits for, with no error anywhere', () => {
    const waiting = { sync: { status: 'OutOfSync' }, health: { status: 'Missing' } };
    const apps = state.units.map((u) => app(u.name, u.name === 'vault' || u.name === 'external-secrets' ? waiting : synced));
    const out = formatDoctor(diagnose(state, facts([root, ...apps], [])));
    expect(out).toContain('WARNING waiting Application/argocd/vault (vault)\n  Application vault is OutOfSync/Missing and Argo CD reports no error');
    // external-secrets is in a later wave than vault: the root Application creates it only once vault is ready.
    expect(out).toContain(`WARNING waiting Application/argocd/external-secrets (external-secrets)\n  Application external-secrets is OutOfSync/Missing: the root Application waits for wave ${state.units.find((u) => u.name === 'vault')!.wave} first (vault: OutOfSync/Missing)`);
    expect(out).toContain('0 errors, 2 other findings.');
  });
});
