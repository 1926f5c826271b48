import { describe, expect, it } from 'vitest';
import { emptyReads, pathKey, scanTemplate } from './template-reads.js';

const scan = (text: string) => {
  const reads = emptyReads();
  scanTemplate(text, reads);
  const keys = (set: Iterable<string>) => [...set].map((k) => k.split('\u0001').join('.')).sort();
  return { paths: keys(reads.templatePaths), whole: keys(reads.wholeMaps), prefixes: Object.fromEntries([...reads.keyPrefixes].map(([k, v]) => [k.split('\u0001').join('.'), v])) };
};

describe('what templates read', () => {
  it('names paths through .Values, index, dig and hasKey', () => {
    const { paths } = scan(`
      {{ .Values.a.b }} {{ index .Values "grafana.ini" "server" }} {{ (index .Values "node-exporter").rbac.enabled }}
      {{ with dig "resources" "limits" "cpu" "" .Values.trivy }}{{ . }}{{ end }} {{ if hasKey .Values.c "d" }}{{ end }}`);
    expect(paths).toEqual(['a.b', 'c', 'c.d', 'grafana.ini.server', 'node-exporter.rbac.enabled', 'trivy', 'trivy.resources.limits.cpu']);
  });

  it('takes maps emitted by toYaml, tpl or range as whole, in either call form', () => {
    const { whole } = scan(`
      {{- toYaml .Values.podAnnotations | nindent 4 }} {{- .Values.resources | toYaml | nindent 12 }}
      {{- tpl (toYaml .Values.extraConfig) . }} {{- range $k, $v := .Values.env }}{{ $k }}{{ end }}
      {{- with .Values.affinity }}{{ toYaml . }}{{ end }}`);
    expect(whole).toEqual(['affinity', 'env', 'extraConfig', 'podAnnotations', 'resources']);
  });

  it('does not take a map as whole when it is only hashed, copied or commented on', () => {
    const { whole, paths } = scan(`
      {{/* save .Values.ignored */}}
      id: {{ sha256sum (toYaml .Values.agent) }}
      {{- include "flags" (pick (mergeOverwrite (deepCopy .Values.features) .Values.override) "a") }}`);
    expect(whole).toEqual([]);
    expect(paths).toEqual(['agent', 'features', 'override']);
  });

  it('follows a map through a variable to the range that emits it', () => {
    const { whole } = scan(`
      {{- $config := omit .Values.configs.params "create" "annotations" }}
      {{- range $key, $value := $config }}{{ $key }}: {{ $value }}{{ end }}`);
    expect(whole).toEqual(['configs.params']);
  });

  it('keeps only the key prefixes a range filters on', () => {
    const { whole, prefixes } = scan(`
      {{- range $k, $v := .Values.trivy }}
      {{- if hasPrefix "ignorePolicy" $k }}{{ $k }}: {{ $v }}{{- end }}
      {{- end }}`);
    expect(whole).toEqual([]);
    expect(prefixes).toEqual({ trivy: ['ignorePolicy'] });
  });

  it('joins keys with a separator no key has', () => {
    expect(pathKey(['grafana.ini', 'server'])).not.toBe(pathKey(['grafana', 'ini.server']));
  });
});

describe('what templates read through variables and the whole tree', () => {
  it('reads keys through a variable holding a copy of values (Pyroscope: $values.priorityClassName)', () => {
    const { paths } = scan(`
      {{- $values := mustMergeOverwrite (deepCopy .Values.pyroscope) ($cfg | default dict) }}
      {{- if hasKey $values "priorityClassName" }}{{ $values.priorityClassName }}{{ end }} {{ $values.resources | toYaml }}`);
    expect(paths).toEqual(expect.arrayContaining(['pyroscope', 'pyroscope.priorityClassName', 'pyroscope.resources']));
  });

  it('takes the whole tree as emitted when a copy of .Values is written out (Kiali), and not otherwise', () => {
    const kiali = emptyReads();
    scanTemplate('{{- $cm := omit .Values "kiali_route_url" }}{{- $_ := set $cm.deployment "namespace" .Release.Namespace }}{{- toYaml $cm | nindent 4 }}', kiali);
    expect(kiali.wholeMaps.has(pathKey([]))).toBe(true);
    const hashed = emptyReads();
    scanTemplate('{{ sha256sum (toYaml .Values) }} {{ .Values.a }}', hashed);
    expect(hashed.wholeMaps.has(pathKey([]))).toBe(false);
  });
});
