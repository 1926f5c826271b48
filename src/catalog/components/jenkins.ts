/**
 * Jenkins (seed 000 CI/CD stack) on `jenkins.<domain>`, configured as code
 * (JCasC): the controller runs no builds itself (no executors); every build
 * runs in an agent pod the kubernetes plugin starts in the apps pool.
 *
 * The admin account comes from Vault (`platform/jenkins`) through an
 * ExternalSecret into the Secret the chart mounts for JCasC
 * (`controller.admin.existingSecret`), so the chart never generates a random
 * password that Argo CD would see drift on. The JCasC sidecar reloads
 * configuration changes without a restart.
 *
 * Agents are created at run time, so the budget audit cannot see them: the
 * default pod template gets its resources here (`agent.resources`, the `jnlp`
 * container, where the build steps of the default template run), at most two
 * agent pods at once (`agent.containerCap`), placed in the apps pool.
 *
 * SonarQube (seed 000 "Jenkins sends analysis to SonarQube"): when it is
 * enabled, the SonarQube Scanner plugin is installed and JCasC declares the
 * in-cluster server (`withSonarQubeEnv('sonarqube')` in a pipeline). The
 * analysis token is a SonarQube user or project token, which only SonarQube
 * can issue; teams store theirs as Jenkins credentials.
 *
 * Plugins are downloaded from the Jenkins update center when the controller
 * starts (the `init` container), so the node needs outbound access.
 */
import { POOL_LABEL } from '../../model/profiles.js';
import { res } from '../../model/resources.js';
import type { WorkloadSpec } from '../../model/unit.js';
import { CHARTS } from '../charts.js';
import type { Component, ComponentContext } from '../component.js';
import { adminLoginFromVault } from '../glue.js';
import { SONARQUBE_SERVICE } from './sonarqube.js';
import { KEEP_ON_DELETE } from '../../model/labels.js';
import { inbound, service } from '../network.js';
import { mergeValues } from '../../lib/values.js';
import { labPipeline } from '../profiles/lab-pipeline.js';

const NAMESPACE = 'jenkins';
const POOL = 'apps';
const VAULT_PATH = 'platform/jenkins';
const ADMIN_SECRET = 'jenkins-admin';
/** Plugins beyond the chart's own, pinned like them. */
const SONAR_PLUGIN = 'sonar:2.18.2';
const PROMETHEUS_PLUGIN = 'prometheus:852.v317db_5d17a_b_0';

/** Both the init and the sidecar container of the JCasC reloader read this one path. */
const CONFIG_RELOAD = res('10m', '64Mi', '100m', '128Mi');

const workloads: WorkloadSpec[] = [
  {
    kind: 'StatefulSet',
    name: 'jenkins',
    podLabels: { 'app.kubernetes.io/component': 'jenkins-controller', 'app.kubernetes.io/instance': 'jenkins' },
    containers: [
      // Heap at most half the limit (JAVA_OPTS below); the rest is metaspace, threads and the page cache.
      { name: 'jenkins', resources: res('100m', '512Mi', '1500m', '1536Mi'), valuesPath: 'controller.resources' },
      { name: 'config-reload', resources: CONFIG_RELOAD, valuesPath: 'controller.sidecars.configAutoReload.resources' },
    ],
    initContainers: [
      { name: 'config-reload-init', resources: CONFIG_RELOAD, valuesPath: 'controller.sidecars.configAutoReload.resources' },
      // Installs the plugins (jenkins-plugin-cli, a JVM) before the controller starts.
      { name: 'init', resources: res('50m', '256Mi', '1', '768Mi'), valuesPath: 'controller.initContainerResources' },
    ],
    volumeClaims: ['jenkins'], // persistence: JENKINS_HOME
    values: {
      replicas: 'controller.replicas',
      affinity: 'controller.affinity',
      tolerations: 'controller.tolerations',
      priorityClassName: 'controller.priorityClassName',
    },
  },
];

export const jenkins: Component = {
  name: 'jenkins',
  description: 'CI server with Kubernetes agents, configured as code',
  stack: 'cicd',
  tier: 3,
  pool: POOL,
  namespace: NAMESPACE,
  chart: CHARTS.jenkins,
  dependsOn: [],
  policyExceptions: [
    {
      name: 'jenkins-restricted-profile',
      component: 'jenkins',
      policies: ['pss-restricted-capabilities', 'pss-restricted-seccomp'],
      match: { namespace: 'jenkins', workloads: ['jenkins'], kinds: ['StatefulSet', 'Pod'] },
      reason: 'the chart sets no seccomp profile and does not drop capabilities for the controller and its config-reload sidecars (it runs them as non-root, UID 1000)',
    },
  ],
  profiles: ['edge', 'lab'],
  // eslint-disable-next-line complexity -- the chart's values as one literal; the count is its optional pieces for monitoring, SonarQube and the lab's pipeline, each present only when that is enabled
  build(ctx: ComponentContext) {
    const login = adminLoginFromVault(ctx.refs, { secretName: ADMIN_SECRET, namespace: NAMESPACE, vaultPath: VAULT_PATH, userKey: 'jenkins-admin-user', passwordKey: 'jenkins-admin-password' });
    const monitored = ctx.enabled('kube-prometheus-stack');
    const sonar = ctx.enabled('sonarqube');
    const configScripts: Record<string, string> = {};
    if (sonar) {
      const url = `http://${SONARQUBE_SERVICE.name}.${ctx.namespaceOf('sonarqube')}.svc:${SONARQUBE_SERVICE.port}`;
      configScripts['sonarqube'] = [
        'unclassified:',
        '  sonarGlobalConfiguration:',
        '    buildWrapperEnabled: true',
        '    installations:',
        '      - name: sonarqube',
        `        serverUrl: ${url}`,
        '',
      ].join('\n');
    }
    // The lab's pipeline (Jenkinsfile, job, credentials): src/catalog/profiles/lab-pipeline.ts.
    const lab = labPipeline(ctx, NAMESPACE);
    Object.assign(configScripts, lab?.configScripts ?? {});
    const values = {
        controller: {
          jenkinsUrl: `https://${ctx.host('jenkins')}`,
          javaOpts: '-XX:MaxRAMPercentage=50',
          numExecutors: 0,
          admin: { createSecret: true, existingSecret: ADMIN_SECRET },
          additionalPlugins: [...(monitored ? [PROMETHEUS_PLUGIN] : []), ...(sonar ? [SONAR_PLUGIN] : []), ...(lab?.plugins ?? [])],
          JCasC: { defaultConfig: true, configScripts },
          sidecars: { configAutoReload: { enabled: true } },
          // A ServiceMonitor on /prometheus, served by the prometheus plugin (added above: the chart does not).
          prometheus: { enabled: monitored },
          testEnabled: false,
        },
        persistence: { enabled: true, size: '4Gi', annotations: { ...KEEP_ON_DELETE } },
        agent: {
          resources: res('200m', '384Mi', '1', '1Gi'),
          containerCap: 2,
          // Agent pods are not rendered by Helm, so scheduling.ts cannot place them: home pool.
          nodeSelector: { [POOL_LABEL]: POOL },
        },
      };
    return {
      values: lab ? mergeValues(values, lab.values) : values,
      workloads,
      usesGroups: monitored ? ['monitoring.coreos.com'] : [],
      network: {
        services: [service('jenkins', 'jenkins', [8080]), service('jenkins-agent', 'jenkins', [50000])],
        // Build agents are pods the Kubernetes plugin starts in this namespace; they call back to the controller.
        inbound: [inbound('namespace', 'jenkins', 8080, 'build agents reach the controller'), inbound('namespace', 'jenkins-agent', 50000, 'build agents connect to the agent listener')],
        scraped: monitored ? [{ service: 'jenkins', port: 8080 }] : [],
      },
      endpoints: [{ name: 'jenkins', title: 'Jenkins', service: 'jenkins', port: 8080 }],
      secrets: [login.secret, ...(lab?.secrets ?? [])],
      manifests: [login.externalSecret, ...(lab?.manifests ?? [])],
      ...(lab ? { files: lab.files } : {}),
    };
  },
};
