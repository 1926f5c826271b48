import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../model/k8s.js';
import { celRuleIssues, withDefaults } from './cel-rules.js';
import { CrdSchemas } from './crd.js';

/** A CRD in the shape Gateway API's listeners take: a list with rules over its items, a default, a nested rule. */
const schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        listeners: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              protocol: { type: 'string' },
              tls: { type: 'object', properties: { mode: { type: 'string', default: 'Terminate' }, refs: { type: 'array', items: { type: 'string' } } }, 'x-kubernetes-validations': [{ rule: "self.mode == 'Terminate' ? size(self.refs) > 0 : true", message: 'refs must be set when mode is Terminate' }] },
            },
          },
          'x-kubernetes-validations': [
            { rule: "self.all(l, l.protocol == 'HTTP' ? !has(l.tls) : true)", message: 'tls must not be set for HTTP' },
            { rule: 'self.all(l1, self.exists_one(l2, l1.name == l2.name))', message: 'names must be unique' },
            { rule: 'self.size() <= oldSelf.size()', message: 'a transition rule' },
            { rule: 'self.all(l, l.name.noSuchFunction())', message: 'a rule the engine cannot type' },
          ],
        },
      },
      'x-kubernetes-validations': [{ rule: "self.listeners.all(l, l.name.matches('^[a-z]+$'))", message: 'names are lower-case letters', fieldPath: '.listeners' }],
    },
  },
};

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'gates.example.io' },
  spec: { group: 'example.io', names: { kind: 'Gate' }, versions: [{ name: 'v1', served: true, schema: { openAPIV3Schema: schema } }] },
} as unknown as K8sObject;

const gate = (listeners: unknown[]) => ({ apiVersion: 'example.io/v1', kind: 'Gate', metadata: { name: 'g', namespace: 'n' }, spec: { listeners } });

describe('CRD x-kubernetes-validations, evaluated offline', () => {
  it('passes an object that keeps every rule', () => {
    expect(celRuleIssues(gate([{ name: 'web', protocol: 'HTTP' }, { name: 'tls', protocol: 'HTTPS', tls: { refs: ['cert'] } }]), schema)).toEqual([]);
  });

  it('reports a broken rule with its message, at the schema node that holds it', () => {
    expect(celRuleIssues(gate([{ name: 'web', protocol: 'HTTP', tls: { refs: ['c'] } }, { name: 'web', protocol: 'TCP' }]), schema)).toEqual([
      { path: 'spec.listeners', message: 'tls must not be set for HTTP' },
      { path: 'spec.listeners', message: 'names must be unique' },
    ]);
  });

  it('applies the schema defaults first, as the API server does on create', () => {
    expect(withDefaults({ spec: { listeners: [{ tls: {} }] } }, schema)).toEqual({ spec: { listeners: [{ tls: { mode: 'Terminate' } }] } });
    // mode defaults to Terminate, so refs are required; without refs, size() errors out: left to the server, not reported.
    expect(celRuleIssues(gate([{ name: 'tls', protocol: 'HTTPS', tls: { refs: [] } }]), schema)).toEqual([{ path: 'spec.listeners[0].tls', message: 'refs must be set when mode is Terminate' }]);
    expect(celRuleIssues(gate([{ name: 'tls', protocol: 'HTTPS', tls: { mode: 'Passthrough', refs: [] } }]), schema)).toEqual([]);
  });

  it('uses fieldPath and RE2 matches; skips transition rules and rules it cannot type', () => {
    expect(celRuleIssues(gate([{ name: 'Web', protocol: 'HTTP' }]), schema)).toEqual([{ path: 'spec.listeners', message: 'names are lower-case letters' }]);
  });

  it('is part of the schema check of custom resources (CrdSchemas)', () => {
    const crds = new CrdSchemas();
    crds.add(crd);
    expect(crds.validate(gate([{ name: 'a', protocol: 'HTTP', tls: { refs: ['x'] } }]) as unknown as K8sObject)).toEqual([{ path: 'spec.listeners', message: 'tls must not be set for HTTP' }]);
    // A value that does not fit the schema is reported by the schema; its rules do not run (as on the server).
    expect(crds.validate(gate([{ name: 1 }]) as unknown as K8sObject)).toEqual([{ path: 'spec.listeners[0].name', message: 'must be string' }]);
  });
});
