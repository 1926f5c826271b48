/**
 * Trivy Operator (seed 000 §6): watches workloads and writes
 * VulnerabilityReports, ConfigAuditReports, RBAC and exposed-secret reports,
 * and the cluster compliance reports (CIS, NSA, Pod Security Standards) the
 * portal's compliance view reads.
 *
 * Budget. The chart renders one workload, the operator. The scans themselves
 * run in Jobs the operator creates at run time, so Helm never renders them and
 * the budget audit cannot see them: their resources are set here through
 * `trivy.resources` (the same for the scanner and its DB-download init
 * container), and the operator runs at most ONE scan job at a time
 * (`operator.scanJobsConcurrentLimit: 1`) and one node-collector job, so the
 * scans add at most one scan pod (128Mi requested, 512Mi limit) to the
 * infra pool at any moment. Scans take longer; reports of a 3-node
 * platform still refresh well within the 24h report TTL.
 *
 * Standalone mode: each scan job downloads the vulnerability DB itself. The
 * built-in Trivy server (ClientServer mode) would download it once but keeps
 * a 512Mi+ StatefulSet and a 5Gi volume running, more than the edge infra node
 * can spare; on a bigger profile it is the better trade. SBOM reports are
 * off: they are large objects in etcd and only feed ClusterVulnerabilityReports.
 * Misconfiguration checks use the policies embedded in the operator, so
 * nothing else is pulled at run time.
 */
import { POOL_LABEL } from '../../model/profiles.js';
import { res } from '../../model/resources.js';
import { TIERS } from '../../model/tiers.js';
import type { WorkloadSpec } from '../../model/unit.js';
import { CHARTS } from '../charts.js';
import type { Component, ComponentContext } from '../component.js';
import { service } from '../network.js';

const NAMESPACE = 'trivy-system';
const TIER = 3;
const POOL = 'infra';

/** Resources of every scan job container (and its init container), created at run time by the operator. */
const SCAN_JOB = res('100m', '128Mi', '500m', '512Mi');

const workloads: WorkloadSpec[] = [
  {
    kind: 'Deployment',
    name: 'trivy-operator',
    podLabels: { 'app.kubernetes.io/name': 'trivy-operator', 'app.kubernetes.io/instance': 'trivy-operator' },
    containers: [{ name: 'trivy-operator', resources: res('25m', '128Mi', '500m', '384Mi'), valuesPath: 'resources' }],
    values: { replicas: 'operator.replicas', affinity: 'affinity', tolerations: 'tolerations', priorityClassName: 'priorityClassName' },
  },
];

export const trivyOperator: Component = {
  name: 'trivy-operator',
  description: 'vulnerability, configuration and compliance reports for every workload',
  stack: 'security',
  tier: TIER,
  pool: POOL,
  namespace: NAMESPACE,
  chart: CHARTS.trivyOperator,
  dependsOn: [],
  crdGroups: ['aquasecurity.github.io'],
  policyExceptions: [
    {
      name: 'trivy-operator-restricted-profile',
      component: 'trivy-operator',
      policies: ['pss-restricted-run-as-non-root', 'pss-restricted-seccomp'],
      match: { namespace: 'trivy-system', workloads: ['trivy-operator'], kinds: ['Deployment', 'Pod'] },
      reason: 'the chart sets neither runAsNonRoot nor a seccomp profile for the operator (its image runs as a non-root user)',
    },
  ],
  profiles: ['edge', 'lab'],
  build(ctx: ComponentContext) {
    const monitored = ctx.enabled('kube-prometheus-stack');
    return {
      values: {
        operator: {
          scanJobsConcurrentLimit: 1,
          scanNodeCollectorLimit: 1,
          sbomGenerationEnabled: false,
          scannerReportTTL: '24h',
        },
        trivyOperator: {
          // Scan pods are not rendered by Helm, so scheduling.ts cannot place them: they follow the
          // component's tier and home pool here.
          scanJobPodPriorityClassName: TIERS[TIER].priorityClassName,
          scanJobNodeSelector: { [POOL_LABEL]: POOL },
        },
        trivy: { mode: 'Standalone', resources: SCAN_JOB },
        serviceMonitor: { enabled: monitored },
      },
      workloads,
      usesGroups: monitored ? ['monitoring.coreos.com'] : [],
      network: { services: [service('trivy-operator', 'trivy-operator', [80, 8080])], scraped: monitored ? [{ service: 'trivy-operator', port: 80 }] : [] },
    };
  },
};
