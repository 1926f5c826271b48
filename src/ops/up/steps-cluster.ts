/** The first steps of `plinth up`: preflight, node pools, and the network plugin when there is none. */
import { nodeReady, waitFor } from '../../cluster/index.js';
import { PlinthError } from '../../lib/errors.js';
import { reconcileObjects } from '../apply.js';
import { helmHook, isCrd, sortForApply } from '../order.js';
import { cniState } from './cni.js';
import { describeNodeChange, nodeChanges, nodePatch } from './nodes.js';
import { formatDifferences, preflightDifferences } from './preflight.js';
import type { UpRun } from './run.js';

export const CNI_UNIT = 'cilium';

/** Chart Secrets hold keys and certificates the chart generates anew on each render: create once, never overwrite. */
export const chartSecretsOnce = (o: { kind: string; apiVersion: string }) => o.kind === 'Secret' && o.apiVersion === 'v1';

export class PreflightError extends PlinthError {}

export async function preflight(run: UpRun): Promise<string> {
  const { client } = run;
  const version = await client.version();
  const nodes = await client.list('v1', 'Node');
  const diffs = preflightDifferences(run.state.platform, { version, nodes });
  const daemonSets = await client.list('apps/v1', 'DaemonSet');
  const cni = cniState(nodes, daemonSets);
  if (cni.kind === 'missing' && !run.unit(CNI_UNIT)) {
    diffs.push({
      severity: 'error',
      message: `the cluster has no network plugin (nodes ${cni.waiting.join(', ')} wait for one) and the ${CNI_UNIT} component is disabled`,
      hint: `enable ${CNI_UNIT} in plinth.yaml, or install a network plugin first`,
    });
  }
  const errors = diffs.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    throw new PreflightError(`the cluster at ${client.server} (context ${client.context}) is not the one plinth.yaml describes:\n${formatDifferences(diffs)}`);
  }
  for (const w of diffs) run.ops.report.warn(`${w.message}${w.hint ? ` (${w.hint})` : ''}`);
  const present = run.state.platform.nodes.length;
  return `Kubernetes ${version.gitVersion}, ${present} of ${present} nodes present`;
}

export async function nodePools(run: UpRun): Promise<string> {
  const changes = nodeChanges(run.state.platform, await run.client.list('v1', 'Node'));
  for (const c of changes) {
    if (!run.dryRun) await run.client.patch({ apiVersion: 'v1', kind: 'Node', name: c.node }, nodePatch(c), 'merge');
    run.ops.report.line(`      ${describeNodeChange(c)}`);
  }
  return changes.length === 0 ? 'every node has the labels and taints of its pool' : `${changes.length} node${changes.length === 1 ? '' : 's'} ${run.dryRun ? 'to label and taint' : 'labelled and tainted'}`;
}

export async function network(run: UpRun): Promise<string> {
  const { client } = run;
  const state = cniState(await client.list('v1', 'Node'), await client.list('apps/v1', 'DaemonSet'));
  if (state.kind === 'present') return `present: ${state.name}`;
  if (state.kind === 'cilium' && state.notReady.length === 0) return 'Cilium runs and every node is Ready';
  const unit = run.unit(CNI_UNIT)!;
  const objects = sortForApply((await run.render(unit)).filter((o) => !isCrd(o) && helmHook(o) !== 'test'));
  run.ops.report.line(`      ${state.kind === 'missing' ? `no network plugin (${state.waiting.join(', ')} wait for one): Cilium first` : `Cilium installed, ${state.notReady.join(', ')} not Ready yet`}`);
  run.printActions(await reconcileObjects(client, objects, { dryRun: run.dryRun, defaultNamespace: unit.namespace, createOnly: chartSecretsOnce }));
  if (run.dryRun) return 'then wait until every node is Ready';
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
  return `every node is Ready (${Math.round((run.ops.now() - started) / 1000)}s)`;
}
