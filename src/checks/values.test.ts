import { describe, expect, it } from 'vitest';
import { type ChartModel, pathKey } from '../helm/chart-model.js';
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
