import { describe, expect, it } from 'vitest';
import { TIERS, TIER_VALUES } from '../../model/tiers.js';
import { Dashboard } from './builder.js';
import { DASHBOARD_FOLDER_ANNOTATION, DASHBOARD_LABEL, DATASOURCES, dashboardConfigMap, platformOverview } from './index.js';
import { byPool, POOL_METRIC_LABEL } from './platform-overview.js';

type Panel = { id: number; type: string; title: string; gridPos: { h: number; w: number; x: number; y: number }; targets?: { refId: string; expr: string; datasource: { uid: string } }[]; fieldConfig?: { overrides: { matcher: { options: string }; properties: { id: string; value: unknown }[] }[] } };

const everything = { argocd: true, certManager: true, loki: { selector: '{job="fluent-bit"}', namespaceLabel: 'namespace' } };
const panels = (d: Dashboard) => (d.toJSON() as { panels: Panel[] }).panels;

describe('the dashboard builder', () => {
  it('lays panels out left to right, wraps full lines and puts rows on their own line', () => {
    const d = new Dashboard({ uid: 'u', title: 't', description: '', tags: [] });
    const ts = { kind: 'timeseries' as const, queries: [{ datasource: DATASOURCES.prometheus, expr: 'up' }] };
    d.panel({ ...ts, title: 'a', width: 16, height: 4 })
      .panel({ ...ts, title: 'b', width: 8, height: 6 })
      .panel({ ...ts, title: 'c', width: 12, height: 4 })
      .row('r')
      .panel({ ...ts, title: 'd', width: 24, height: 2 });
    expect(panels(d).map((p) => [p.id, p.title, p.gridPos])).toEqual([
      [1, 'a', { h: 4, w: 16, x: 0, y: 0 }],
      [2, 'b', { h: 6, w: 8, x: 16, y: 0 }],
      [3, 'c', { h: 4, w: 12, x: 0, y: 6 }],
      [4, 'r', { h: 1, w: 24, x: 0, y: 10 }],
      [5, 'd', { h: 2, w: 24, x: 0, y: 11 }],
    ]);
  });

  it('refuses panels wider than the grid or without a query', () => {
    const d = new Dashboard({ uid: 'u', title: 't', description: '', tags: [] });
    expect(() => d.panel({ kind: 'stat', title: 'wide', width: 25, height: 1, queries: [{ datasource: DATASOURCES.prometheus, expr: 'up' }] })).toThrow(/width 25/);
    expect(() => d.panel({ kind: 'stat', title: 'empty', width: 4, height: 1, queries: [] })).toThrow(/queries/);
  });
});

describe('the Plinth platform overview', () => {
  it('is the same JSON every time', () => {
    const a = dashboardConfigMap('plinth-platform-overview', 'observability', platformOverview(everything));
    const b = dashboardConfigMap('plinth-platform-overview', 'observability', platformOverview(everything));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('has unique ids and no overlapping panels', () => {
    const ps = panels(platformOverview(everything));
    expect(new Set(ps.map((p) => p.id)).size).toBe(ps.length);
    const cells = new Set<string>();
    for (const p of ps) {
      for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++) {
        for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
          const key = `${x},${y}`;
          expect(cells.has(key), `${p.title} overlaps at ${key}`).toBe(false);
          cells.add(key);
        }
      }
      expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
    }
  });

  it('queries only the provisioned data sources, Loki only for logs', () => {
    for (const p of panels(platformOverview(everything))) {
      for (const t of p.targets ?? []) expect([DATASOURCES.prometheus.uid, DATASOURCES.loki.uid]).toContain(t.datasource.uid);
    }
    const logs = panels(platformOverview(everything)).filter((p) => p.targets?.some((t) => t.datasource.uid === 'loki'));
    expect(logs.map((p) => p.title)).toEqual(['Log volume by namespace', 'Error lines by namespace']);
    expect(logs[0]!.targets![0]!.expr).toBe('sum by (namespace) (bytes_rate({job="fluent-bit"} [$__auto]))');
  });

  it('covers pools, tiers, restarts, GitOps, certificates and logs, and leaves out what is off', () => {
    const rows = (o: Parameters<typeof platformOverview>[0]) => panels(platformOverview(o)).filter((p) => p.type === 'row').map((p) => p.title);
    expect(rows(everything)).toEqual(['At a glance', 'Capacity by node pool', 'Pods by tier', 'Restarts', 'GitOps: Argo CD Applications', 'Certificates', 'Logs']);
    expect(rows({ argocd: false, certManager: false })).toEqual(['At a glance', 'Capacity by node pool', 'Pods by tier', 'Restarts']);
    const exprs = panels(platformOverview(everything)).flatMap((p) => (p.targets ?? []).map((t) => t.expr)).join('\n');
    expect(exprs).toContain('argocd_app_info');
    expect(exprs).toContain('certmanager_certificate_expiration_timestamp_seconds');
    expect(exprs).toContain('kube_node_labels');
    expect(panels(platformOverview({ argocd: false, certManager: false })).flatMap((p) => (p.targets ?? []).map((t) => t.expr)).join('\n')).not.toMatch(/argocd|certmanager/);
  });

  it('joins node metrics to pools through the pool label kube-state-metrics exports', () => {
    expect(POOL_METRIC_LABEL).toBe('label_plinth_dev_pool');
    expect(byPool('x')).toBe('sum by (label_plinth_dev_pool) ((x) * on (node) group_left (label_plinth_dev_pool) max by (node, label_plinth_dev_pool) (kube_node_labels))');
  });

  it('names every tier in the pods-by-tier legend', () => {
    const tiers = panels(platformOverview(everything)).find((p) => p.title === 'Running pods by tier')!;
    const names = tiers.fieldConfig!.overrides.map((o) => o.matcher.options);
    for (const t of TIER_VALUES) expect(names).toContain(TIERS[t].priorityClassName);
  });

  it('ships as a ConfigMap the Grafana sidecar picks up, in the Plinth folder', () => {
    const cm = dashboardConfigMap('plinth-platform-overview', 'observability', platformOverview(everything));
    expect(cm.metadata).toMatchObject({
      name: 'plinth-platform-overview',
      namespace: 'observability',
      labels: { [DASHBOARD_LABEL.key]: DASHBOARD_LABEL.value },
      annotations: { [DASHBOARD_FOLDER_ANNOTATION]: 'Plinth' },
    });
    const json = JSON.parse((cm.data as Record<string, string>)['plinth-platform-overview.json']!) as { uid: string; title: string };
    expect(json).toMatchObject({ uid: 'plinth-platform-overview', title: 'Plinth platform overview' });
  });
});
