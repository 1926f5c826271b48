import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../model/k8s.js';
import { validateBuiltin } from './builtin.js';
import { CrdSchemas, strictSchema } from './crd.js';

const crd = (schema: Record<string, unknown>): K8sObject =>
  ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.io' },
    spec: { group: 'example.io', names: { kind: 'Widget' }, versions: [{ name: 'v1', served: true, schema: { openAPIV3Schema: schema } }] },
  }) as K8sObject;

const widget = (spec: unknown): K8sObject => ({ apiVersion: 'example.io/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'n' }, spec }) as K8sObject;

describe('built-in kinds', () => {
  it('reports unknown fields at any depth, bad quantities and missing required fields', async () => {
    const issues = await validateBuiltin({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x', lables: {} },
      spec: { template: { spec: { containers: [{ name: 'c', image: 'i:1', resources: { limits: { memory: '1GB' } }, livenessprobe: {} }] } } },
    } as unknown as K8sObject);
    expect(issues).toEqual([
      { path: 'spec.selector', message: 'missing required field' },
      { path: 'spec.template.spec.containers[0].resources.limits.memory', message: 'not a valid quantity' },
      { path: 'metadata.lables', message: 'unknown field "lables"' },
      { path: 'spec.template.spec.containers[0].livenessprobe', message: 'unknown field "livenessprobe"' },
    ]);
  });

  it('accepts numbers as quantities and free-form label maps', async () => {
    const ok = await validateBuiltin({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', labels: { 'any.key/x': 'y' } }, spec: { hard: { cpu: 2, memory: '4Gi' } } } as unknown as K8sObject);
    expect(ok).toEqual([]);
  });

  it('says when it has no schema', async () => {
    expect(await validateBuiltin({ apiVersion: 'nope.k8s.io/v9', kind: 'Thing', metadata: { name: 't' } })).toBeUndefined();
  });
});

describe('CRD schemas, strict as the API server', () => {
  const schemas = new CrdSchemas();
  schemas.add(
    crd({
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            size: { 'x-kubernetes-int-or-string': true },
            name: { type: 'string', pattern: '(?i)^[a-z]+$' },
            config: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          },
        },
      },
    }),
  );

  it('rejects unknown fields but keeps preserved ones open', () => {
    expect(schemas.validate(widget({ size: 3, config: { anything: { goes: true } }, colour: 'red' }))).toEqual([{ path: 'spec.colour', message: 'unknown field "colour"' }]);
  });

  it('reads int-or-string and Go case-insensitive patterns', () => {
    expect(schemas.validate(widget({ size: '50%', name: 'MiXeD' }))).toEqual([]);
    expect(schemas.validate(widget({ size: true, name: 'a-b' }))?.map((i) => i.path)).toEqual(['spec.size', 'spec.name']);
  });

  it('serves only the kinds and versions of the CRDs added', () => {
    expect(schemas.validate({ ...widget({}), apiVersion: 'example.io/v2' })).toBeUndefined();
    expect(schemas.has('example.io/v1', 'Widget')).toBe(true);
  });

  it('closes objects with properties, never those without', () => {
    expect(strictSchema({ type: 'object', properties: { a: { type: 'object' } } })).toMatchObject({ additionalProperties: false, properties: { a: { type: 'object' } } });
  });
});
