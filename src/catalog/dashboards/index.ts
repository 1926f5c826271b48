/**
 * Grafana dashboards Plinth ships, as ConfigMaps that Grafana's dashboard
 * sidecar loads (label `grafana_dashboard: "1"`, folder from an annotation).
 */
import { toJson } from '../../lib/yaml.js';
import type { K8sObject } from '../../model/k8s.js';
import { LOKI_STREAM } from '../components/fluent-bit.js';
import type { ComponentContext } from '../component.js';
import { namespaced } from '../glue.js';
import type { Dashboard } from './builder.js';
import { platformOverview } from './platform-overview.js';

export { Dashboard, type PanelSpec, type Query, type DataSourceRef } from './builder.js';
export { DATASOURCES, platformOverview, type OverviewOptions } from './platform-overview.js';

/** The label the Grafana sidecar of kube-prometheus-stack watches. */
export const DASHBOARD_LABEL = { key: 'grafana_dashboard', value: '1' } as const;
/** Annotation naming the Grafana folder of a dashboard ConfigMap. */
export const DASHBOARD_FOLDER_ANNOTATION = 'grafana_folder';
export const PLINTH_FOLDER = 'Plinth';

/** A dashboard as a ConfigMap the sidecar picks up; the JSON has sorted keys, so it is byte-stable. */
export function dashboardConfigMap(name: string, namespace: string, dashboard: Dashboard, folder = PLINTH_FOLDER): K8sObject {
  const cm = namespaced('v1', 'ConfigMap', name, namespace, { data: { [`${name}.json`]: toJson(dashboard.toJSON()) } }, { [DASHBOARD_LABEL.key]: DASHBOARD_LABEL.value });
  cm.metadata.annotations = { [DASHBOARD_FOLDER_ANNOTATION]: folder };
  return cm;
}

/** The Plinth dashboards for this platform, wired to the components it runs. */
export function platformDashboards(ctx: ComponentContext, namespace: string): K8sObject[] {
  const overview = platformOverview({
    argocd: ctx.enabled('argocd'),
    certManager: ctx.enabled('cert-manager'),
    ...(ctx.enabled('loki') && ctx.enabled('fluent-bit') ? { loki: { selector: LOKI_STREAM.selector, namespaceLabel: LOKI_STREAM.namespaceLabel } } : {}),
  });
  return [dashboardConfigMap('plinth-platform-overview', namespace, overview)];
}
