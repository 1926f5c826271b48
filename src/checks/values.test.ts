import { beforeAll, describe, expect, it } from 'vitest';
import { chartFile, locateChartCache } from '../helm/cache.js';
import { type ChartModel, loadChartModel, pathKey } from '../helm/chart-model.js';
import type { Unit } from '../model/unit.js';
import { checkValues, isReadByChart } from './values.js';

const model: ChartModel = {
  defaults: {
    controller: { resources: {}, replicas: 1, extraArgs: [] },
    webhook: { resources: { limits: { memory: '128Mi' } } },
    config: { 'timeout.reconciliation': '180s' },
    nodeSelector: {},
  },
  schema: { type: 'object', properties: { features: { type: 'object', additionalProperties: { type: 'boolean' } } } },
  templatePaths: new Set([pathKey(['controller', 'resources']), pathKey(['webhook', 'resources']), pathKey(['legacy', 'flag'])]),
  wholeMaps: new Set([pathKey(['config'])]),
  keyPrefixes: new Map(),
};

const unit = (values: Record<string, unknown>): Unit =>
  ({ name: 'demo', chart: { chart: 'demo', version: '1.0.0', repoUrl: 'https://example.io' }, values }) as unknown as Unit;

describe('values checker', () => {
  it('accepts keys in the defaults, under empty default maps, in the schema, in whole maps, and read by templates', () => {
    expect(isReadByChart(model, ['controller', 'resources', 'limits', 'cpu'])).toBe(true);
    expect(isReadByChart(model, ['nodeSelector', 'plinth.dev/pool'])).toBe(true);
    expect(isReadByChart(model, ['features', 'fast'])).toBe(true);
    expect(isReadByChart(model, ['config', 'server.insecure'])).toBe(true);
    expect(isReadByChart(model, ['legacy', 'flag'])).toBe(true);
    // A template reads webhook.resources as a whole (nothing reads deeper): any resources key is read.
    expect(isReadByChart(model, ['webhook', 'resources', 'requests', 'cpu'])).toBe(true);
  });

  it('reports the highest unknown key once, with the real keys of the same name as hint', () => {
    const findings = checkValues(unit({ resources: { limits: { cpu: '1' }, requests: { cpu: '1' } }, controller: { replica: 2 } }), model, 'platform/core/demo/values.yaml');
    expect(findings).toEqual([
      {
        check: 'values',
        severity: 'error',
        source: { component: 'demo', file: 'platform/core/demo/values.yaml' },
        path: 'values.resources',
        message: 'chart demo 1.0.0 never reads resources: Helm ignores it',
        hint: 'did you mean controller.resources, webhook.resources?',
      },
      expect.objectContaining({ path: 'values.controller.replica', hint: 'did you mean controller.replicas?' }),
    ]);
  });

  it('quotes keys that contain dots', () => {
    const [f] = checkValues(unit({ settings: { 'a.b': 1 } }), model);
    expect(f!.path).toBe('values.settings');
    const [g] = checkValues(unit({ controller: { 'extra.key': 1 } }), model);
    expect(g!.path).toBe('values.controller["extra.key"]');
  });
});

const keys = (...paths: string[][]) => new Set(paths.map(pathKey));

describe('maps with defaults, subcharts and globals', () => {
  const emitted: ChartModel = {
    defaults: { resources: { limits: { memory: '128Mi' } }, podAnnotations: {}, trivy: { mode: 'Standalone', resources: { requests: { cpu: '100m' } } } },
    templatePaths: keys(['trivy', 'mode'], ['trivy', 'resources', 'requests', 'cpu']),
    wholeMaps: keys(['resources'], ['podAnnotations']),
    keyPrefixes: new Map([[pathKey(['trivy']), ['ignorePolicy']]]),
  };

  it('takes new keys under a map emitted whole, but not near-misses of its defaults', () => {
    expect(isReadByChart(emitted, ['resources', 'requests', 'cpu'])).toBe(true);
    expect(isReadByChart(emitted, ['resources', 'limits', 'cpu'])).toBe(true);
    expect(isReadByChart(emitted, ['resources', 'limitz', 'cpu'])).toBe(false);
    expect(isReadByChart(emitted, ['resources', 'limits', 'memroy'])).toBe(false);
    expect(isReadByChart(emitted, ['podAnnotations', 'plinth.dev/tier'])).toBe(true);
  });

  it('reads a ranged map only for the key prefixes the range keeps', () => {
    expect(isReadByChart(emitted, ['trivy', 'ignorePolicy.kube-system'])).toBe(true);
    expect(isReadByChart(emitted, ['trivy', 'resourcez'])).toBe(false);
    expect(isReadByChart(emitted, ['trivy', 'resources', 'limits', 'cpu'])).toBe(false);
    const [f] = checkValues(unit({ trivy: { resourcez: { limits: { cpu: '1' } } } }), emitted);
    expect(f).toMatchObject({ path: 'values.trivy.resourcez', hint: 'did you mean trivy.resources?' });
  });

  const sub: ChartModel = {
    defaults: { resources: {}, image: { tag: '1' }, global: { imageRegistry: '' } },
    templatePaths: keys(['resources'], ['image', 'tag'], ['global', 'imageRegistry']),
    wholeMaps: keys(['resources']),
    keyPrefixes: new Map(),
  };
  const parent: ChartModel = {
    defaults: { metrics: { enabled: true, extra: 1 }, global: { rbac: { create: true } } },
    templatePaths: keys(['metrics', 'enabled'], ['metrics', 'replicas']),
    // The parent hands its subchart's values on whole (`index .Values "metrics"`): that does not make them free-form.
    wholeMaps: keys(['metrics']),
    keyPrefixes: new Map(),
    subcharts: new Map([['metrics', sub]]),
  };

  it('checks keys under a subchart against the subchart, and what the parent itself sets or reads', () => {
    expect(isReadByChart(parent, ['metrics', 'resources', 'limits', 'cpu'])).toBe(true);
    expect(isReadByChart(parent, ['metrics', 'enabled'])).toBe(true);
    expect(isReadByChart(parent, ['metrics', 'extra'])).toBe(true);
    expect(isReadByChart(parent, ['metrics', 'replicas'])).toBe(true);
    expect(isReadByChart(parent, ['metrics', 'resourcez'])).toBe(false);
    expect(isReadByChart(parent, ['metrics', 'totallyBogus', 'x'])).toBe(false);
    const [f] = checkValues(unit({ metrics: { resourcez: { limits: { cpu: '1' } } } }), parent);
    expect(f).toMatchObject({ path: 'values.metrics.resourcez', hint: 'did you mean metrics.resources?' });
  });

  it('reads a global key when any chart of the tree reads it', () => {
    expect(isReadByChart(parent, ['global', 'imageRegistry'])).toBe(true);
    expect(isReadByChart(parent, ['global', 'rbac', 'create'])).toBe(true);
    expect(isReadByChart(parent, ['metrics', 'global', 'imageRegistry'])).toBe(true);
    expect(isReadByChart(parent, ['global', 'imageRegistri'])).toBe(false);
  });
});

/** The charts of the chart cache (the same files `plinth check` reads), by file name. */
describe('values checker on real charts', () => {
  const models = new Map<string, ChartModel>();
  const cache = locateChartCache(process.env);
  const charts = { 'trivy-operator': '0.34.0', jenkins: '5.9.53', 'kube-prometheus-stack': '88.5.3', 'argo-cd': '10.1.1', kyverno: '3.9.0' };
  beforeAll(async () => {
    for (const [chart, version] of Object.entries(charts)) models.set(chart, await loadChartModel(chartFile(cache, { chart, version, repoUrl: '' })));
  });
  const hintFor = (chart: string, values: Record<string, unknown>) =>
    checkValues({ name: chart, chart: { chart, version: '', repoUrl: '' }, values } as unknown as Unit, models.get(chart)!).map((f) => [f.path, f.hint]);

  it('trivy-operator: a typo under trivy (ranged for ignorePolicy keys only) or under trivy.resources', () => {
    const m = models.get('trivy-operator')!;
    expect(isReadByChart(m, ['trivy', 'resourcez'])).toBe(false);
    expect(isReadByChart(m, ['trivy', 'resources', 'limitz', 'cpu'])).toBe(false);
    expect(isReadByChart(m, ['trivy', 'resources', 'limits', 'cpux'])).toBe(false);
    expect(isReadByChart(m, ['trivy', 'totallyBogus'])).toBe(false);
    // What Plinth sets, and keys the chart reads though its defaults only show them in comments.
    expect(isReadByChart(m, ['trivy', 'resources', 'limits', 'cpu'])).toBe(true);
    expect(isReadByChart(m, ['trivy', 'resources', 'requests', 'memory'])).toBe(true);
    expect(isReadByChart(m, ['trivy', 'resources', 'limits', 'ephemeralStorage'])).toBe(true);
    expect(isReadByChart(m, ['trivy', 'ignorePolicy.kube-system.coredns'])).toBe(true);
    expect(hintFor('trivy-operator', { trivy: { resourcez: { limits: { cpu: '1' } } } })).toEqual([['values.trivy.resourcez', 'did you mean trivy.resources?']]);
  });

  it('jenkins: agent is hashed into a checksum, not emitted whole', () => {
    expect(isReadByChart(models.get('jenkins')!, ['agent', 'enabeld'])).toBe(false);
    expect(hintFor('jenkins', { agent: { enabeld: true } })).toEqual([['values.agent.enabeld', 'did you mean agent.enabled?']]);
  });

  it('kube-prometheus-stack: subchart keys are checked against the subchart', () => {
    const m = models.get('kube-prometheus-stack')!;
    expect(isReadByChart(m, ['kube-state-metrics', 'totallyBogus', 'x'])).toBe(false);
    expect(isReadByChart(m, ['prometheus-node-exporter', 'resourcez'])).toBe(false);
    expect(isReadByChart(m, ['kube-state-metrics', 'resources', 'limits', 'cpu'])).toBe(true);
    expect(isReadByChart(m, ['prometheus-node-exporter', 'resources', 'requests', 'memory'])).toBe(true);
    expect(isReadByChart(m, ['grafana', 'grafana.ini', 'server', 'root_url'])).toBe(true);
    expect(hintFor('kube-prometheus-stack', { 'prometheus-node-exporter': { resourcez: { limits: { cpu: '1' } } }, 'kube-state-metrics': { totallyBogus: { x: 1 } } })).toEqual([
      ['values.prometheus-node-exporter.resourcez', 'did you mean prometheus-node-exporter.resources?'],
      ['values.kube-state-metrics.totallyBogus', expect.any(String)],
    ]);
  });

  it('argo-cd: redis-ha keys are checked against the redis-ha subchart', () => {
    const m = models.get('argo-cd')!;
    expect(isReadByChart(m, ['redis-ha', 'bogusKey'])).toBe(false);
    expect(isReadByChart(m, ['redis-ha', 'redis', 'resourcez'])).toBe(false);
    expect(isReadByChart(m, ['redis-ha', 'enabled'])).toBe(true);
    expect(isReadByChart(m, ['redis-ha', 'haproxy', 'resources', 'limits', 'cpu'])).toBe(true);
    expect(isReadByChart(m, ['configs', 'params', 'server.insecure'])).toBe(true);
    expect(hintFor('argo-cd', { 'redis-ha': { redis: { resourcez: {} } } })).toEqual([['values.redis-ha.redis.resourcez', 'did you mean redis-ha.redis.resources?']]);
  });

  it('kyverno: features are copied into flags key by key, not emitted whole', () => {
    const m = models.get('kyverno')!;
    expect(isReadByChart(m, ['features', 'bogus'])).toBe(false);
    expect(isReadByChart(m, ['features', 'policyExceptions', 'enabeld'])).toBe(false);
    expect(isReadByChart(m, ['features', 'policyExceptions', 'enabled'])).toBe(true);
    expect(hintFor('kyverno', { features: { policyExceptions: { enabeld: true } } })).toEqual([['values.features.policyExceptions.enabeld', 'did you mean features.policyExceptions.enabled?']]);
  });
});
