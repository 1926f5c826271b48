/**
 * Argo Workflows (seed 003 "Automation & Governance Engines"): the workflow
 * controller and the Argo Server (API and UI on `workflows.<domain>`).
 *
 * Auth mode `client`: the server acts with the Kubernetes bearer token the user
 * presents (`kubectl create token ...`), so Kubernetes RBAC decides what each
 * person may see and submit, and the server holds no credentials of its own.
 * Mode `server` would give everyone who reaches the URL the server's own
 * cluster-wide service account: unacceptable on a shared platform. `sso` is
 * the target once the platform has an OIDC provider.
 *
 * CRDs: the minimal CRDs the chart ships (`crds.full: false`). The full ones
 * are applied by a pre-install hook Job that downloads them from GitHub at
 * install time: no priority class (the budget audit rejects it), no offline
 * install, and `plinth check` could not see the CRDs. The minimal CRDs are
 * what the upstream install manifests use too; the controller validates specs.
 *
 * Argo Workflows shares the API group argoproj.io with Argo CD, so it declares
 * its CRDs kind by kind (`argoproj.io/Workflow`, ...), and Argo CD declares
 * Application, ApplicationSet and AppProject.
 *
 * Workflow pods are created at run time, so the budget audit cannot see them:
 * the executor (init and wait containers) and a default for main containers
 * that set none are given here, they run in the apps pool (default
 * nodeSelector), at most two workflows run at once (`parallelism`), and finished pods and workflows are cleaned up so an edge
 * etcd does not fill with them (logs go to Loki through Fluent Bit).
 */
import { POOL_LABEL } from '../../model/profiles.js';
import { res } from '../../model/resources.js';
import type { WorkloadSpec } from '../../model/unit.js';
import { CHARTS } from '../charts.js';
import type { Component, ComponentContext } from '../component.js';
import { service } from '../network.js';

const NAMESPACE = 'argo';
const POOL = 'apps';
const RELEASE = 'argo-workflows';

/** Kinds of the argoproj.io CRDs this chart installs (Argo CD owns the other kinds of the group). */
const CRD_KINDS = [
  'ClusterWorkflowTemplate',
  'CronWorkflow',
  'Workflow',
  'WorkflowArtifactGCTask',
  'WorkflowEventBinding',
  'WorkflowTaskResult',
  'WorkflowTaskSet',
  'WorkflowTemplate',
];

/** Init and wait containers the controller adds to every workflow pod. */
const EXECUTOR = res('10m', '32Mi', '200m', '128Mi');
/** Main containers of workflow steps that declare no resources of their own. */
const MAIN_CONTAINER_DEFAULT = res('50m', '64Mi', '500m', '512Mi');

const section = (key: string, component: string, container: string, resources: ReturnType<typeof res>): WorkloadSpec => ({
  kind: 'Deployment',
  name: `${RELEASE}-${component}`,
  podLabels: { 'app.kubernetes.io/name': `${RELEASE}-${component}`, 'app.kubernetes.io/instance': RELEASE },
  containers: [{ name: container, resources, valuesPath: `${key}.resources` }],
  values: { replicas: `${key}.replicas`, affinity: `${key}.affinity`, tolerations: `${key}.tolerations`, priorityClassName: `${key}.priorityClassName` },
});

const workloads: WorkloadSpec[] = [
  section('controller', 'workflow-controller', 'controller', res('25m', '96Mi', '500m', '256Mi')),
  section('server', 'server', 'argo-server', res('10m', '64Mi', '250m', '192Mi')),
];

export const argoWorkflows: Component = {
  name: 'argo-workflows',
  description: 'workflow engine for CI/CD pipelines and automation, with its UI',
  stack: 'cicd',
  tier: 3,
  pool: POOL,
  namespace: NAMESPACE,
  chart: CHARTS.argoWorkflows,
  dependsOn: [],
  crdGroups: CRD_KINDS.map((kind) => `argoproj.io/${kind}`),
  policyExceptions: [
    {
      name: 'argo-workflows-controllers',
      component: 'argo-workflows',
      policies: ['pss-restricted-seccomp', 'require-probes'],
      match: { namespace: 'argo', workloads: ['argo-workflows-server', 'argo-workflows-workflow-controller'], kinds: ['Deployment', 'Pod'] },
      reason: 'the chart sets no seccomp profile and no probes for the server and the workflow controller',
    },
  ],
  profiles: ['edge'],
  build(ctx: ComponentContext) {
    const monitored = ctx.enabled('kube-prometheus-stack');
    return {
      values: {
        crds: { install: true, keep: true, full: false },
        // Tags are pinned: no need to hit the registry on every pod start (the chart says Always).
        images: { pullPolicy: 'IfNotPresent' },
        workflow: {
          serviceAccount: { create: true, name: 'argo-workflow' },
          rbac: { create: true },
        },
        controller: {
          workflowNamespaces: [NAMESPACE],
          parallelism: 2,
          workflowDefaults: {
            spec: {
              // The chart's `argo-workflow` account: only what the executor needs (WorkflowTaskResults).
              serviceAccountName: 'argo-workflow',
              ttlStrategy: { secondsAfterCompletion: 86400 },
              podGC: { strategy: 'OnPodCompletion' },
              // Workflow pods are not rendered by Helm, so scheduling.ts cannot place them: home pool.
              nodeSelector: { [POOL_LABEL]: POOL },
            },
          },
          retentionPolicy: { completed: 10, failed: 5, errored: 5 },
          // One event per step fills etcd on a small cluster; workflow-level events stay.
          nodeEvents: { enabled: false },
          metricsConfig: { enabled: monitored },
          serviceMonitor: { enabled: monitored },
        },
        executor: { resources: EXECUTOR },
        mainContainer: { resources: MAIN_CONTAINER_DEFAULT },
        server: {
          authModes: ['client'],
          // TLS ends at the platform Gateway.
          secure: false,
        },
      },
      workloads,
      usesGroups: monitored ? ['monitoring.coreos.com'] : [],
      network: {
        services: [service(`${RELEASE}-server`, `${RELEASE}-server`, [2746]), service(`${RELEASE}-workflow-controller`, `${RELEASE}-workflow-controller`, [8080, 9090])],
        scraped: monitored ? [{ service: `${RELEASE}-workflow-controller`, port: 8080 }] : [],
      },
      endpoints: [{ name: 'argo-workflows', subdomain: 'workflows', title: 'Argo Workflows', service: `${RELEASE}-server`, port: 2746 }],
    };
  },
};
