import { describe, expect, it } from 'vitest';
import { parseYamlStream } from '../../lib/yaml.js';
import { renderGoTemplate, TemplateUnsupported } from './gotemplate.js';
import { jsonMerge, strategicMerge } from './strategic-merge.js';

/** The templatePatch the per-stack ApplicationSets used before (ADR 002, first version). */
const OLD_PATCH = ['{{- if .preserveOnDelete }}', 'metadata:', '  finalizers: []', '{{- end }}', 'spec:', '  sources: {{ toJson .sources }}', ''].join('\n');
const TEMPLATE = { metadata: { name: '{{ .name }}', finalizers: ['resources-finalizer.argocd.argoproj.io'] }, spec: { project: 'p' } };

describe('Go templates as ApplicationSets render them', () => {
  it('renders paths, toJson, quote, pipelines and if/else with whitespace trimming', () => {
    const data = { name: 'vault', n: 2, sources: [{ repoURL: 'r' }], keep: false, path: { basename: 'vault' } };
    expect(renderGoTemplate('a: {{ .name }}\nb: {{ toJson .sources }}\nc: {{ .path.basename | quote }}', data)).toBe('a: vault\nb: [{"repoURL":"r"}]\nc: "vault"');
    expect(renderGoTemplate('x\n{{- if .keep }}\nyes\n{{- else }}\nno\n{{- end }}\n', data)).toBe('x\nno\n');
    expect(renderGoTemplate('{{ .missing }}', data)).toBe('<no value>');
    expect(() => renderGoTemplate('{{ .missing }}', data, { missingKeyError: true })).toThrow('map has no entry for key "missing"');
    expect(() => renderGoTemplate('{{ range .sources }}x{{ end }}', data)).toThrow(TemplateUnsupported);
    expect(() => renderGoTemplate('{{ lower .name }}', data)).toThrow('the function lower is not evaluated offline');
  });
});

describe('strategic merge of a templatePatch', () => {
  it('keeps the template finalizer under the old preserveOnDelete patch: the defect the new layout removes', () => {
    const patch = parseYamlStream(renderGoTemplate(OLD_PATCH, { preserveOnDelete: true, sources: [] }))[0];
    expect((jsonMerge(TEMPLATE, patch) as typeof TEMPLATE).metadata.finalizers).toEqual([]);
    expect((strategicMerge(TEMPLATE, patch) as typeof TEMPLATE).metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
  });

  it('replaces plain lists, merges maps, deletes on null and honours $deleteFromPrimitiveList', () => {
    const merged = strategicMerge({ spec: { sources: [{ a: 1 }], x: { y: 1, z: 2 } }, metadata: { finalizers: ['f'] } }, { spec: { sources: [{ b: 2 }], x: { z: null } }, metadata: { '$deleteFromPrimitiveList/finalizers': ['f'] } });
    expect(merged).toEqual({ spec: { sources: [{ b: 2 }], x: { y: 1 } }, metadata: { finalizers: [] } });
  });
});
