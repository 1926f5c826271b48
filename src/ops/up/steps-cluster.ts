/** The first steps of `plinth up`: preflight, node pools, and the network plugin (Cilium, when it is Plinth's to install). */
import { ClusterApiError, type ClusterClient, nodeReady, refOf, waitFor } from '../../cluster/index.js';
import { PlinthError } from '../../lib/errors.js';
import { getIn } from '../../lib/values.js';
import type { K8sObject } from '../../model/k8s.js';
import { type ObjectAction, reconcileObjects } from '../apply.js';
import { networkPluginObjects } from '../../desired/bootstrap.js';
import { sortForApply } from '../order.js';
import { CNI_UNIT, cniConflict, cniState } from './cni.js';
import { describeNodeChange, type NodeChange, nodeChanges, nodePatch } from './nodes.js';
import { formatDifferences, k3sAddonDifferences, preflightDifferences } from './preflight.js';
import { GATEWAY_UNIT } from '../../desired/units.js';
import type { UpRun } from './run.js';

export { CNI_UNIT } from './cni.js';

/** Chart Secrets hold keys and certificates the chart generates anew on each render: create once, never overwrite. */
export const chartSecretsOnce = (o: { kind: string; apiVersion: string }) => o.kind === 'Secret' && o.apiVersion === 'v1';

export class PreflightError extends PlinthError {}

export async function preflight(run: UpRun): Promise<string> {
  const { client } = run;
  const version = await client.version();
  const nodes = await client.list('v1', 'Node');
  const daemonSets = await client.list('apps/v1', 'DaemonSet');
  // ServiceLB's DaemonSets live in kube-system unless k3s runs with --servicelb-namespace: all of them.
  const workloads = [...(await client.list('apps/v1', 'Deployment', { namespace: 'kube-system' })), ...daemonSets];
  const facts = { version, nodes, workloads };
  const cni = run.unit(CNI_UNIT);
  const gatewayOnHostPorts = cni !== undefined && run.unit(GATEWAY_UNIT) !== undefined && getIn(cni.values, 'gatewayAPI.hostNetwork.enabled') === true;
  const diffs = [...preflightDifferences(run.state.platform, facts), ...k3sAddonDifferences(facts, gatewayOnHostPorts)];
  const cniNow = cniState(nodes, daemonSets);
  if (nodes.length > 0 && cniNow.kind === 'missing' && !cni) {
    diffs.push({
      severity: 'error',
      message: `the cluster has no network plugin (nodes ${cniNow.waiting.join(', ')} wait for one) and the ${CNI_UNIT} component is disabled`,
      hint: `enable ${CNI_UNIT} in plinth.yaml, or install a network plugin first`,
    });
  }
  const conflict = nodes.length > 0 && cni ? cniConflict(cniNow) : undefined;
  if (conflict) diffs.push({ severity: 'error', ...conflict });
  const errors = diffs.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    throw new PreflightError(`the cluster at ${client.server} (context ${client.context}) is not the one plinth.yaml describes:\n${formatDifferences(diffs)}`);
  }
  for (const w of diffs) run.ops.report.warn(`${w.message}${w.hint ? ` (${w.hint})` : ''}`);
  // Past the errors above, every node of plinth.yaml is in the cluster; say so, and what else is.
  const declared = new Set(run.state.platform.nodes.map((n) => n.name));
  const others = nodes.filter((n) => !declared.has(n.metadata.name)).length;
  const which = declared.size === 1 ? 'the node' : `all ${declared.size} nodes`;
  return `Kubernetes ${version.gitVersion}, ${which} of plinth.yaml present${others > 0 ? `, ${others} more not in plinth.yaml` : ''}`;
}

export async function nodePools(run: UpRun): Promise<string> {
  const changes = nodeChanges(run.state.platform, await run.client.list('v1', 'Node'));
  for (const c of changes) {
    if (!run.dryRun) await patchNode(run.client, run.state.platform, c);
    run.ops.report.line(`      ${describeNodeChange(c)}`);
  }
  return changes.length === 0 ? 'every node has the labels and taints of its pool' : `${changes.length} node${changes.length === 1 ? '' : 's'} ${run.dryRun ? 'to label and taint' : 'labelled and tainted'}`;
}

const NODE_PATCH_ATTEMPTS = 5;

/** Patches one node, reading it again when another writer changed it in between (409 Conflict). */
async function patchNode(client: ClusterClient, platform: UpRun['state']['platform'], change: NodeChange): Promise<void> {
  const ref = { apiVersion: 'v1', kind: 'Node', name: change.node };
  let c: NodeChange | undefined = change;
  for (let attempt = 1; c; attempt++) {
    try {
      await client.patch(ref, nodePatch(c), 'merge');
      return;
    } catch (e) {
      if (!(e instanceof ClusterApiError && e.status === 409) || attempt >= NODE_PATCH_ATTEMPTS) throw e;
      const fresh = await client.get(ref);
      c = fresh ? nodeChanges(platform, [fresh])[0] : undefined;
    }
  }
}

export async function network(run: UpRun): Promise<string> {
  const { client } = run;
  const state = cniState(await client.list('v1', 'Node'), await client.list('apps/v1', 'DaemonSet'));
  const unit = run.unit(CNI_UNIT);
  if (state.kind === 'present') return `present: ${state.name}`;
  if (!unit) return 'Cilium runs (the cilium component is disabled: Plinth leaves it alone)';
  // Cilium is Plinth's to install: every object is compared and applied on every run, not
  // only while the DaemonSet is missing, so that a run interrupted inside this phase (the
  // DaemonSet written, the operator not yet) is finished by the next one.
  // Only Kubernetes' own types: the chart's custom resources (ServiceMonitors, a GatewayClass)
  // are Argo CD's, on every run alike (applying them here would make a second `up` write).
  // The CRDs, namespaces and PriorityClasses the pods need were applied by the phases before.
  const { apply, leftToEngine } = networkPluginObjects(await run.render(unit));
  const objects = sortForApply(apply);
  const leftToArgo = leftToEngine.map((o): ObjectAction => ({ verb: 'skip', ref: refOf(o), note: 'a custom resource of the network plugin: left to Argo CD' }));
  if (state.kind === 'missing') run.ops.report.line(`      no network plugin (${state.waiting.join(', ')} wait for one): Cilium first`);
  else if (state.notReady.length > 0) run.ops.report.line(`      Cilium installed, ${state.notReady.join(', ')} not Ready yet`);
  run.printActions([...(await reconcileObjects(client, objects, { dryRun: run.dryRun, defaultNamespace: unit.namespace, createOnly: chartSecretsOnce })), ...leftToArgo]);
  if (!run.dryRun && state.kind === 'cilium') await restartStaleDiscoverers(run, unit, apply);
  const settled = state.kind === 'cilium' && state.notReady.length === 0;
  if (run.dryRun) return settled ? 'Cilium runs and every node is Ready' : 'then wait until every node is Ready';
  const started = run.ops.now();
  await waitFor(client, {
    what: 'the nodes to become Ready once Cilium runs',
    apiVersion: 'v1',
    kind: 'Node',
    check: (nodes) => {
      const pending = nodes.filter((n) => !nodeReady(n)).map((n) => `node ${n.metadata.name} is not Ready`);
      return { done: pending.length === 0, pending };
    },
    timeoutMs: run.options.waitMs,
    pollMs: run.ops.pollMs,
    hint: 'check the Cilium pods: kubectl -n kube-system get pods -l k8s-app=cilium; `plinth up` resumes from here',
  });
  return settled ? 'Cilium runs and every node is Ready' : `every node is Ready (${Math.round((run.ops.now() - started) / 1000)}s)`;
}

/**
 * A controller that looks for CRDs only at start-up (cilium-operator and the
 * Gateway API) and started before they were there never enables what needs
 * them; nothing restarts it (the engine applies the same pod template). On a
 * cluster installed in the wrong order, its pods that started before the CRDs
 * were created are deleted, and their Deployment starts them again.
 */
async function restartStaleDiscoverers(run: UpRun, unit: NonNullable<ReturnType<UpRun['unit']>>, objects: readonly K8sObject[]): Promise<void> {
  const groups = unit.startupCrdGroups ?? [];
  if (groups.length === 0) return;
  const crds = (await run.client.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition')).filter((c) => groups.includes((c.spec as { group?: string }).group ?? ''));
  if (crds.length === 0) return;
  const crdsSince = Math.max(...crds.map((c) => Date.parse(String(c.metadata.creationTimestamp ?? ''))).filter((t) => !Number.isNaN(t)));
  if (!Number.isFinite(crdsSince)) return;
  for (const d of objects.filter((o) => o.kind === 'Deployment')) {
    const labels = (d.spec as { selector?: { matchLabels?: Record<string, string> } }).selector?.matchLabels;
    if (!labels) continue;
    const selector = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
    const namespace = d.metadata.namespace ?? unit.namespace;
    for (const pod of await run.client.list('v1', 'Pod', { namespace, labelSelector: selector })) {
      const started = Date.parse(String((pod.status as { startTime?: string } | undefined)?.startTime ?? ''));
      if (Number.isNaN(started) || started >= crdsSince) continue;
      await run.client.delete({ apiVersion: 'v1', kind: 'Pod', namespace, name: pod.metadata.name });
      run.ops.report.line(`      restarted Pod/${namespace}/${pod.metadata.name}: it started before the ${groups.join(', ')} CRDs, which ${unit.name} looks for only at start-up`);
    }
  }
}
