import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../model/k8s.js';
import { validateBuiltin } from './builtin.js';
import { CrdSchemas, strictSchema } from './crd.js';
import { checkSchemas } from './index.js';
import { emptyUnitParts, type Unit } from '../../model/unit.js';

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

describe('metadata of custom resources', () => {
  const certificateCrd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'certificates.cert-manager.io' },
    spec: {
      group: 'cert-manager.io',
      names: { kind: 'Certificate' },
      versions: [{ name: 'v1', served: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { secretName: { type: 'string' } } } } } } }],
    },
  } as K8sObject;
  const certificate = (metadata: Record<string, unknown>): K8sObject => ({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'web', namespace: 'app', ...metadata }, spec: { secretName: 'web-tls' } }) as K8sObject;

  it('checks them as ObjectMeta, like the metadata of built-in kinds', async () => {
    const schemas = new CrdSchemas();
    schemas.add(certificateCrd);
    expect(schemas.validate(certificate({ labels: { team: 'a' }, annotations: { 'example.io/x': 'y' } }))).toEqual([]);
    expect(schemas.validate(certificate({ labelz: { team: 'a' }, labels: { replicas: 2 }, ownerReferences: [{ kind: 'Issuer' }] }))).toEqual([
      { path: 'metadata.labels.replicas', message: 'must be string' },
      { path: 'metadata.ownerReferences[0].apiVersion', message: 'missing required field' },
      { path: 'metadata.ownerReferences[0].name', message: 'missing required field' },
      { path: 'metadata.ownerReferences[0].uid', message: 'missing required field' },
      { path: 'metadata.labelz', message: 'unknown field "labelz"' },
    ]);
    // The same word as for a built-in kind.
    expect(await validateBuiltin({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app', labelz: {} } } as unknown as K8sObject)).toEqual([{ path: 'metadata.labelz', message: 'unknown field "labelz"' }]);
  });

  it('reports an unknown metadata field of a glue Certificate as a schema finding', async () => {
    const app: Unit = { name: 'app', description: 'app', stack: 'core', tier: 2, pool: 'infra', namespace: 'app', ...emptyUnitParts(), wave: 1, manifests: [certificate({ labelz: { team: 'a' } })] };
    const findings = await checkSchemas({ units: [app], rendered: new Map([['cert-manager', [certificateCrd]]]), fileOf: () => 'platform/core/app/manifests/certificate-web.yaml' });
    expect(findings).toEqual([
      {
        check: 'schema',
        severity: 'error',
        object: { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', namespace: 'app', name: 'web' },
        source: { component: 'app', file: 'platform/core/app/manifests/certificate-web.yaml' },
        path: 'metadata.labelz',
        message: 'unknown field "labelz"',
      },
    ]);
  });
});

describe('structural schemas: oneOf branches only validate', () => {
  it('keeps objects inside oneOf/anyOf/allOf/not open, the fields being those of the properties outside (a Gateway address of type Hostname)', () => {
    const schema = {
      type: 'object',
      properties: { type: { type: 'string' }, value: { type: 'string' } },
      oneOf: [{ properties: { type: { enum: ['IPAddress'] }, value: { format: 'ipv4' } } }, { properties: { type: { not: { enum: ['IPAddress'] } } } }],
    };
    const strict = strictSchema(schema) as { additionalProperties: boolean; oneOf: { additionalProperties?: boolean }[] };
    expect(strict.additionalProperties).toBe(false);
    expect(strict.oneOf.map((b) => b.additionalProperties)).toEqual([undefined, undefined]);
  });
});
