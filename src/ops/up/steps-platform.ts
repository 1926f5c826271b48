/** Namespaces and PriorityClasses, every CRD, then the GitOps engine from its chart. */
import { crdEstablished, workloadReady, waitFor } from '../../cluster/index.js';
import { PLATFORM_BASE_UNIT } from '../../desired/index.js';
import type { K8sObject } from '../../model/k8s.js';
import { engineOf, helmOwned } from './engine.js';
import { reconcileObjects } from '../apply.js';
import { engineObjects } from '../../desired/bootstrap.js';
import { helmHook, sortForApply } from '../order.js';
import type { UpRun } from './run.js';
import { chartSecretsOnce } from './steps-cluster.js';

export async function platformBase(run: UpRun): Promise<string> {
  const base = run.unit(PLATFORM_BASE_UNIT);
  const objects = sortForApply(base?.manifests ?? []);
  run.printActions(await reconcileObjects(run.client, objects, { dryRun: run.dryRun }));
  return `${objects.filter((o) => o.kind === 'Namespace').length} namespaces, ${objects.filter((o) => o.kind === 'PriorityClass').length} PriorityClasses`;
}

export async function customResourceDefinitions(run: UpRun): Promise<string> {
  const crds = await run.crds();
  if (engineOf(run.state).kind === 'flux') {
    // helm-controller adopts each chart's CRDs on install (see helmOwned).
    const owners = await run.crdOwners();
    for (const [i, c] of crds.entries()) {
      const owner = owners.get(c.metadata.name);
      if (owner?.chart) crds[i] = helmOwned([c], owner.name, owner.namespace)[0]!;
    }
  }
  run.printActions(await reconcileObjects(run.client, crds, { dryRun: run.dryRun }));
  if (run.dryRun) return `${crds.length} CRDs, then wait until each is Established`;
  const names = new Set(crds.map((c) => c.metadata.name));
  await waitFor(run.client, {
    what: 'the CRDs to become Established',
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    check: (live) => {
      const ready = new Set(live.filter(crdEstablished).map((c) => c.metadata.name));
      const pending = [...names].filter((n) => !ready.has(n)).map((n) => `CRD ${n} is not Established`);
      return { done: pending.length === 0, pending };
    },
    timeoutMs: run.options.waitMs,
    pollMs: run.ops.pollMs,
    hint: 'kubectl get crd NAME -o yaml shows the conditions (NamesAccepted, Established)',
  });
  return `${crds.length} CRDs Established`;
}

function engineWorkloads(objects: readonly K8sObject[]): K8sObject[] {
  return objects.filter((o) => (o.kind === 'Deployment' || o.kind === 'StatefulSet') && !helmHook(o));
}

/** Whether every Deployment and StatefulSet of the engine is ready, and which are not. */
export async function engineStatus(run: UpRun): Promise<{ ready: boolean; pending: string[] }> {
  const unit = run.unit(engineOf(run.state).unit)!;
  const wanted = engineWorkloads(await run.render(unit));
  const pending: string[] = [];
  for (const w of wanted) {
    const live = await run.client.get({ apiVersion: w.apiVersion, kind: w.kind, name: w.metadata.name, namespace: w.metadata.namespace ?? unit.namespace });
    if (!live || !workloadReady(live)) pending.push(`${w.kind} ${unit.namespace}/${w.metadata.name} is not ${w.kind === 'Deployment' ? 'Available' : 'ready'}`);
  }
  return { ready: pending.length === 0, pending };
}

export async function gitopsEngine(run: UpRun): Promise<string> {
  const engine = engineOf(run.state);
  const unit = run.unit(engine.unit)!;
  const rendered = await run.render(unit);
  const before = await engineStatus(run);
  // Install hooks (Argo CD's redis secret job) run until the install is finished, that is
  // until a run got past this phase and wrote the root Application; from then on Argo CD
  // runs them itself. (Engine readiness alone would skip them after an interruption that
  // came between the workloads and the hooks.)
  const installed = before.ready && (await run.client.get(engine.root)) !== undefined;
  const own = engineObjects(rendered, installed);
  const objects = sortForApply(engine.kind === 'flux' ? helmOwned(own, unit.name, unit.namespace) : own);
  const skippedHooks = rendered.filter((o) => helmHook(o) && helmHook(o) !== 'test' && installed).length;
  run.printActions(
    await reconcileObjects(run.client, objects, {
      dryRun: run.dryRun,
      defaultNamespace: unit.namespace,
      createOnly: chartSecretsOnce,
      servedLater: await run.servedLater(),
    }),
  );
  if (skippedHooks > 0) run.ops.report.line(`      ${skippedHooks} install hooks not run again (the engine is installed)`);
  if (run.dryRun) return before.ready ? `${engine.title} is Available` : 'then wait until its Deployments are Available';
  if (before.ready) return `${engine.title} is Available`;
  const names = new Set(engineWorkloads(rendered).map((w) => `${w.kind}/${w.metadata.name}`));
  for (const kind of ['Deployment', 'StatefulSet']) {
    if (![...names].some((n) => n.startsWith(`${kind}/`))) continue;
    await waitFor(run.client, {
      what: `the ${engine.title} ${kind}s to become ${kind === 'Deployment' ? 'Available' : 'ready'}`,
      apiVersion: 'apps/v1',
      kind,
      list: { namespace: unit.namespace },
      check: (live) => {
        const ready = new Set(live.filter(workloadReady).map((w) => `${kind}/${w.metadata.name}`));
        const pending = [...names].filter((n) => n.startsWith(`${kind}/`) && !ready.has(n)).map((n) => `${n} is not ready`);
        return { done: pending.length === 0, pending };
      },
      timeoutMs: run.options.waitMs,
      pollMs: run.ops.pollMs,
      hint: `\`plinth doctor\` explains pending pods; kubectl -n ${unit.namespace} get pods`,
    });
  }
  return `${engine.title} is Available`;
}
