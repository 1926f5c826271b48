import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tgz } from './test-archive.js';
import { type ChartModel, loadChartModel, pathKey } from './chart-model.js';


let dir: string;
let model: ChartModel;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plinth-chart-model-'));
  const cache = tgz({
    'cache/Chart.yaml': 'name: cache\nexports:\n  data:\n    port: 6379\n',
    'cache/values.yaml': 'exports:\n  data:\n    port: 6379\nresources: {}\n',
    'cache/templates/deploy.yaml': '{{ toYaml .Values.resources }}',
  });
  await writeFile(
    join(dir, 'app-1.0.0.tgz'),
    tgz({
      'app/Chart.yaml': [
        'name: app',
        'dependencies:',
        '  - name: cache',
        '    alias: sessions',
        '    condition: sessions.enabled',
        '    import-values: [data]',
        '  - name: cache',
        '    alias: queue',
        '    import-values: [{ child: resources, parent: queueResources }]',
        '  - name: common',
        '',
      ].join('\n'),
      'app/values.yaml': 'replicas: 1\nsessions:\n  enabled: false\n',
      'app/templates/deploy.yaml': '{{ include "common.image" . }} {{ .Values.port }}',
      'app/charts/cache-2.0.0.tgz': cache,
      'app/charts/common/Chart.yaml': 'name: common\ntype: library\n',
      'app/charts/common/templates/_image.tpl': '{{- define "common.image" -}}{{ .Values.image.tag }}{{- end -}}',
    }),
  );
  model = await loadChartModel(join(dir, 'app-1.0.0.tgz'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('chart model', () => {
  it('reads packaged subcharts, once per alias, with their own defaults and templates', () => {
    expect([...model.subcharts!.keys()].sort()).toEqual(['common', 'queue', 'sessions']);
    const sessions = model.subcharts!.get('sessions')!;
    expect(sessions.defaults).toMatchObject({ resources: {} });
    expect(sessions.wholeMaps.has(pathKey(['resources']))).toBe(true);
    expect(model.subcharts!.get('queue')).toBe(sessions);
  });

  it('takes in the values subcharts export through import-values', () => {
    expect(model.defaults).toMatchObject({ port: 6379, queueResources: {}, replicas: 1 });
  });

  it('counts dependency conditions as read, and library templates as reads of the parent', () => {
    expect(model.templatePaths.has(pathKey(['sessions', 'enabled']))).toBe(true);
    expect(model.templatePaths.has(pathKey(['image', 'tag']))).toBe(true);
  });
});
