/**
 * `plinth doctor`: the usual failures, each with the object concerned, what
 * is wrong (in the words of the component that reported it) and the fix:
 * Argo CD's root Application, ApplicationSets and Applications (see
 * applications.ts), pending pods, StatefulSet pods stranded on a lost node, missing CRDs, webhooks without endpoints,
 * ExternalSecrets and Certificates not ready, a sealed Vault.
 * Pure: facts in, findings out.
 */
import { condition } from '../../cluster/index.js';
import { type Finding, objectOf, sortFindings } from '../../checks/finding.js';
import type { DesiredState } from '../../desired/index.js';
import { apiGroup, type K8sObject } from '../../model/k8s.js';
import { isVaultServerPod, VAULT_UNIT, vaultTarget } from '../vault/target.js';
import { applicationFindings, sourceFindings } from './applications.js';
import { type FluxFacts, fluxSourceFindings, fluxUnitFindings } from '../flux.js';
import { obj, type Obj } from './fields.js';
import { plannerReason } from './scheduling.js';
import { OUT_OF_SERVICE_TAINT } from '../../planner/index.js';

export interface DoctorFacts {
  pods: K8sObject[];
  nodes: K8sObject[];
  /** For affinity terms with a namespaceSelector (absent: only the namespaces' names are known). */
  namespaces?: K8sObject[];
  /** undefined: Argo CD is not installed. */
  applications?: K8sObject[];
  /** Under Flux: its objects; undefined when Flux's CRDs are not served. */
  flux?: FluxFacts;
  /** undefined: the ApplicationSet type is not served. */
  applicationSets?: K8sObject[];
  webhooks: K8sObject[];
  endpointSlices: K8sObject[];
  externalSecrets?: K8sObject[];
  certificates?: K8sObject[];
  /** `apiVersion kind` of the custom resources the desired state uses → served by the cluster. */
  served: Map<string, boolean>;
}

const quote = (s: string) => `"${s.trim()}"`;

function unitOf(state: DesiredState, o: K8sObject): string | undefined {
  const label = o.metadata.labels?.['plinth.dev/unit'] ?? o.metadata.labels?.['app.kubernetes.io/instance'];
  if (label && state.units.some((u) => u.name === label)) return label;
  return state.units.find((u) => u.namespace === o.metadata.namespace && u.namespace !== 'default' && u.namespace !== 'kube-system')?.name;
}

/** What to do about a FailedScheduling message, by its first reason Plinth recognises. */
export function schedulingHint(message: string): string {
  // Kubernetes 1.36 says "node(s) didn't match PersistentVolume's node affinity"; earlier releases "volume node affinity conflict".
  if (/volume node affinity conflict|didn't match PersistentVolume's node affinity/.test(message)) return 'its volume lives on one node\'s disk (a node-local class such as local-path) and that node is not available to it: bring the node back; if it is gone for good, restore the data into a new claim (kubectl get pv shows the node a volume is on)';
  if (/Insufficient (cpu|memory)/.test(message)) return 'the requests do not fit the free capacity: add capacity to the pool, or lower the budget of the component (`plinth plan` shows each pool\'s budget)';
  if (/untolerated taint/.test(message)) return 'the pod does not tolerate a node taint: only tier 0/1 pods run on the tainted control plane; check that the worker nodes carry their pool labels (`plinth up` sets them)';
  if (/node affinity|node selector|NodeAffinity/.test(message)) return 'no node matches the pool the pod asks for: `plinth up` labels the nodes with plinth.dev/pool; or add a node to that pool';
  if (/PersistentVolumeClaim|volume/i.test(message)) return 'a PersistentVolumeClaim is not bound: check the StorageClass and the claim (kubectl get pvc -A)';
  if (/too many pods/i.test(message)) return 'the node runs its maximum number of pods: add a node or move workloads';
  return 'kubectl describe pod shows the scheduler\'s events';
}

function pendingPods(state: DesiredState, facts: DoctorFacts): Finding[] {
  const out: Finding[] = [];
  for (const pod of facts.pods) {
    const status = obj(pod.status);
    const where = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const component = unitOf(state, pod);
    const source = component ? { source: { component } } : {};
    const scheduled = condition(pod, 'PodScheduled');
    if (status.phase === 'Pending' && scheduled?.status === 'False') {
      const said = scheduled.message ?? scheduled.reason ?? 'not scheduled';
      const planner = plannerReason(pod, facts.nodes, facts.pods, facts.namespaces ?? []);
      out.push({
        check: 'doctor/pending-pod',
        severity: 'error',
        object: objectOf(pod),
        ...source,
        message: `pod ${where} is Pending: the scheduler says ${quote(said)}${
          planner === undefined ? '' : planner === said ? ' (the planner finds the same on the live nodes)' : `; the planner, on the live nodes now: ${quote(planner)}`
        }`,
        hint: schedulingHint(`${said} ${planner ?? ''}`),
      });
      continue;
    }
    const statuses = [...((status.initContainerStatuses as Obj[] | undefined) ?? []), ...((status.containerStatuses as Obj[] | undefined) ?? [])];
    for (const cs of statuses) {
      const waiting = obj(obj(cs.state).waiting);
      const reason = String(waiting.reason ?? '');
      if (!/ImagePull|ErrImage|CreateContainerConfigError|CrashLoopBackOff|InvalidImageName/.test(reason)) continue;
      const message = String(waiting.message ?? '');
      const hint = /ImagePull|ErrImage|InvalidImageName/.test(reason)
        ? 'the image cannot be pulled: check its name and tag, and that the node reaches the registry'
        : reason === 'CreateContainerConfigError' && /secret/i.test(message)
          ? 'a Secret the pod needs is missing; it comes from an ExternalSecret: see `plinth status`, and that Vault holds the key (`plinth up` creates platform secrets)'
          : reason === 'CrashLoopBackOff'
            ? `the container keeps exiting: kubectl logs -n ${pod.metadata.namespace} ${pod.metadata.name} -c ${String(cs.name)} --previous`
            : 'kubectl describe pod shows the events';
      out.push({ check: 'doctor/pod', severity: 'error', object: objectOf(pod), ...source, message: `pod ${where}, container ${String(cs.name)}: ${reason}${message ? ` ${quote(message)}` : ''}`, hint });
    }
  }
  return out;
}

/**
 * Pods of a StatefulSet left Terminating on a node that stopped reporting:
 * Kubernetes starts them elsewhere only once the Node object is deleted or
 * tainted out-of-service (a StatefulSet never runs two pods of one identity).
 */
function strandedOnLostNodes(state: DesiredState, facts: DoctorFacts): Finding[] {
  const lost = new Set(facts.nodes.filter((n) => condition(n, 'Ready')?.status !== 'True').map((n) => n.metadata.name));
  const out: Finding[] = [];
  for (const pod of facts.pods) {
    const node = obj(pod.spec).nodeName;
    if (typeof node !== 'string' || !lost.has(node) || !pod.metadata.deletionTimestamp) continue;
    const owner = (pod.metadata.ownerReferences as { kind?: string; name?: string }[] | undefined)?.find((o) => o.kind === 'StatefulSet');
    if (!owner) continue;
    const component = unitOf(state, pod);
    out.push({
      check: 'doctor/lost-node',
      severity: 'error',
      object: objectOf(pod),
      ...(component ? { source: { component } } : {}),
      message: `pod ${pod.metadata.namespace}/${pod.metadata.name} of StatefulSet ${owner.name} is Terminating on node ${node}, which is not Ready: the StatefulSet starts it again on another node only once ${node} is known to be gone`,
      hint: `if ${node} is down for good: kubectl taint node ${node} ${OUT_OF_SERVICE_TAINT} (or kubectl delete node ${node}); remove the taint once the node is back. If the pod has a local-path volume, it stays with ${node}`,
    });
  }
  return out;
}

function missingCrds(state: DesiredState, facts: DoctorFacts): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const u of state.units) {
    for (const m of u.manifests) {
      const key = `${m.apiVersion} ${m.kind}`;
      if (facts.served.get(key) !== false || seen.has(key)) continue;
      seen.add(key);
      const group = apiGroup(m.apiVersion);
      const owner = state.units.find((x) => x.crdGroups.some((g) => g === group || g === `${group}/${m.kind}`));
      out.push({
        check: 'doctor/missing-crd',
        severity: 'error',
        object: objectOf(m),
        source: { component: u.name },
        message: `${m.kind} (${m.apiVersion}) is not served by the cluster: its CustomResourceDefinition is missing, so ${u.name}'s ${m.kind} objects cannot be created`,
        hint: owner ? `the CRD comes with ${owner.name}: \`plinth up\` installs every CRD first; or check the ${owner.name} Application` : `no component installs the CRDs of ${group}: enable the component that does`,
      });
    }
  }
  return out;
}

function readyEndpoints(facts: DoctorFacts, namespace: string, service: string): number {
  return facts.endpointSlices
    .filter((s) => s.metadata.namespace === namespace && s.metadata.labels?.['kubernetes.io/service-name'] === service)
    .flatMap((s) => (s.endpoints as Obj[] | undefined) ?? [])
    .filter((e) => obj(e.conditions).ready !== false && Array.isArray(e.addresses) && e.addresses.length > 0).length;
}

function webhooks(facts: DoctorFacts): Finding[] {
  const out: Finding[] = [];
  for (const config of facts.webhooks) {
    for (const w of (config.webhooks as Obj[] | undefined) ?? []) {
      const svc = obj(obj(w.clientConfig).service);
      if (!svc.name || !svc.namespace) continue;
      if (readyEndpoints(facts, String(svc.namespace), String(svc.name)) > 0) continue;
      const fail = (w.failurePolicy ?? 'Fail') === 'Fail';
      const rules = ((w.rules as Obj[] | undefined) ?? []).flatMap((r) => (r.resources as string[] | undefined) ?? []);
      out.push({
        check: 'doctor/webhook',
        severity: fail ? 'error' : 'warning',
        object: objectOf(config),
        message: `${config.kind} ${config.metadata.name}: webhook ${String(w.name)} calls service ${String(svc.namespace)}/${String(svc.name)}, which has no ready endpoints`,
        hint: `${fail ? 'until its pods are ready the API server refuses' : 'until its pods are ready the API server skips the webhook for'} every matching change${rules.length ? ` (${[...new Set(rules)].join(', ')})` : ''}: kubectl -n ${String(svc.namespace)} get pods`,
      });
    }
  }
  return out;
}

function applications(state: DesiredState, facts: DoctorFacts): Finding[] {
  if (state.platform.choices.engine === 'flux') {
    if (!facts.flux) return [{ check: 'doctor/flux', severity: 'error', message: 'Flux is not installed (the Kustomization CRD is not served)', hint: 'run `plinth up`' }];
    const source = fluxSourceFindings(state, facts.flux);
    return source.length > 0 ? source : fluxUnitFindings(state, facts.flux);
  }
  if (!facts.applications) {
    return [{ check: 'doctor/argocd', severity: 'error', message: 'Argo CD is not installed (the Application CRD is not served)', hint: 'run `plinth up`' }];
  }
  const argo = { applications: facts.applications, ...(facts.applicationSets ? { applicationSets: facts.applicationSets } : {}) };
  return [...sourceFindings(state, argo), ...applicationFindings(state, argo)];
}

function notReady(kind: 'ExternalSecret' | 'Certificate', objects: K8sObject[] | undefined, state: DesiredState): Finding[] {
  return (objects ?? []).flatMap((o) => {
    const ready = condition(o, 'Ready');
    if (ready?.status === 'True') return [];
    const where = `${o.metadata.namespace}/${o.metadata.name}`;
    const component = unitOf(state, o);
    const hint =
      kind === 'ExternalSecret'
        ? `check the ClusterSecretStore (kubectl get clustersecretstore), that Vault is unsealed (\`plinth vault unseal\`) and holds ${((o.spec as { data?: { remoteRef?: { key?: string } }[] } | undefined)?.data ?? []).map((d) => d.remoteRef?.key).filter(Boolean).join(', ') || 'the keys'} (\`plinth up\` creates missing platform secrets)`
        : `check the issuer and the CertificateRequest: kubectl -n ${o.metadata.namespace} describe certificate ${o.metadata.name}`;
    return [
      {
        check: kind === 'ExternalSecret' ? 'doctor/external-secret' : 'doctor/certificate',
        severity: 'error' as const,
        object: objectOf(o),
        ...(component ? { source: { component } } : {}),
        message: `${kind} ${where} is not ready: ${quote(ready?.message ?? ready?.reason ?? 'no Ready condition yet')}`,
        hint,
      },
    ];
  });
}

function sealedVault(state: DesiredState, facts: DoctorFacts): Finding[] {
  const vault = state.units.find((u) => u.name === VAULT_UNIT);
  if (!vault) return [];
  const target = vaultTarget(vault);
  return facts.pods
    .filter((p) => isVaultServerPod(target, p) && obj(p.status).phase === 'Running' && condition(p, 'Ready')?.status === 'False')
    .map((p) => ({
      check: 'doctor/vault',
      severity: 'error' as const,
      object: objectOf(p),
      source: { component: VAULT_UNIT },
      message: `Vault pod ${vault.namespace}/${p.metadata.name} runs but is not ready: Vault is sealed (after a restart) or not initialised`,
      hint: '`plinth vault unseal` with the keys file written by `plinth up`',
    }));
}

export function diagnose(state: DesiredState, facts: DoctorFacts): Finding[] {
  return sortFindings([
    ...pendingPods(state, facts),
    ...strandedOnLostNodes(state, facts),
    ...missingCrds(state, facts),
    ...webhooks(facts),
    ...applications(state, facts),
    ...notReady('ExternalSecret', facts.externalSecrets, state),
    ...notReady('Certificate', facts.certificates, state),
    ...sealedVault(state, facts),
  ]);
}
