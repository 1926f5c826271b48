import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../model/k8s.js';
import { evaluatePolicies } from '../engine.js';
import { cronJob, deployment, pod, vpol } from '../test-helpers.js';
import { autogenControllers, autogenRules } from './cluster-policy.js';
import { replaceAll } from './rewrite.js';
import { autogenVariants, canAutogen } from './validating-policy.js';

const noHostNetwork = vpol('no-host-network', {
  validations: [{ expression: '!object.spec.?hostNetwork.orValue(false)', messageExpression: "'hostNetwork in ' + object.metadata.?labels[?'app'].orValue('?')" }],
});

function controllers(spec: Record<string, unknown>): K8sObject[] {
  const template = (kind: string) => ({ metadata: { labels: { app: kind.toLowerCase() } }, spec });
  return [
    pod('pod', spec, { labels: { app: 'pod' } }),
    deployment('deployment', spec),
    cronJob('cronjob', spec),
    { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'statefulset', namespace: 'team-a' }, spec: { template: template('StatefulSet') } },
    { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'daemonset', namespace: 'team-a' }, spec: { template: template('DaemonSet') } },
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'replicaset', namespace: 'team-a' }, spec: { template: template('ReplicaSet') } },
    { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'job', namespace: 'team-a' }, spec: { template: template('Job') } },
  ];
}

const bad = { hostNetwork: true, containers: [{ name: 'app', image: 'ghcr.io/acme/app:1' }] };

describe('ValidatingPolicy autogen', () => {
  it('applies a Pod policy to every pod controller through its template', () => {
    const out = evaluatePolicies([noHostNetwork], controllers(bad)).results;
    expect(out.map((r) => `${r.resource.kind}:${r.result}`).sort()).toEqual(
      ['CronJob', 'DaemonSet', 'Deployment', 'Job', 'Pod', 'ReplicaSet', 'StatefulSet'].map((k) => `${k}:fail`),
    );
    // object.metadata is rewritten too: the message reads the template's labels
    expect(out.find((r) => r.resource.kind === 'CronJob')!.message).toBe('hostNetwork in cronjob');
    const good = evaluatePolicies([noHostNetwork], controllers({ containers: bad.containers })).results;
    expect(good.every((r) => r.result === 'pass')).toBe(true);
  });

  it('builds match constraints per template location, keeping operations and namespaceSelector', () => {
    const spec = { ...(noHostNetwork.spec as object), matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }], namespaceSelector: { matchLabels: { a: 'b' } } } };
    const variants = autogenVariants(spec);
    expect(variants.map((v) => [v.template, v.kinds])).toEqual([
      ['cronjobs', ['CronJob']],
      ['defaults', ['DaemonSet', 'Deployment', 'Job', 'ReplicaSet', 'StatefulSet']],
    ]);
    expect(variants[1]!.spec.matchConstraints).toEqual({
      resourceRules: [
        { apiGroups: ['apps'], apiVersions: ['v1'], resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'], operations: ['CREATE'] },
        { apiGroups: ['batch'], apiVersions: ['v1'], resources: ['jobs'], operations: ['CREATE'] },
      ],
      namespaceSelector: { matchLabels: { a: 'b' } },
    });
    expect(variants[0]!.spec.validations![0]!.expression).toBe('!object.spec.jobTemplate.spec.template.spec.?hostNetwork.orValue(false)');
  });

  it('honours spec.autogen.podControllers.controllers', () => {
    const onlyDeployments = vpol('only-deployments', { ...(noHostNetwork.spec as object), autogen: { podControllers: { controllers: ['deployments'] } } });
    const kinds = evaluatePolicies([onlyDeployments], controllers(bad)).results.map((r) => r.resource.kind).sort();
    expect(kinds).toEqual(['Deployment', 'Pod']);
    const none = vpol('none', { ...(noHostNetwork.spec as object), autogen: { podControllers: { controllers: [] } } });
    expect(evaluatePolicies([none], controllers(bad)).results.map((r) => r.resource.kind)).toEqual(['Pod']);
  });

  it('does not autogenerate with an objectSelector, exclusions or several resources', () => {
    const rule = { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] };
    expect(canAutogen({ resourceRules: [rule] })).toBe(true);
    expect(canAutogen({ resourceRules: [rule], objectSelector: { matchLabels: { a: 'b' } } })).toBe(false);
    expect(canAutogen({ resourceRules: [rule], excludeResourceRules: [rule] })).toBe(false);
    expect(canAutogen({ resourceRules: [{ ...rule, resources: ['pods', 'services'] }] })).toBe(false);
    expect(canAutogen({ resourceRules: [{ ...rule, resourceNames: ['x'] }] })).toBe(false);
  });

  it('keeps object.metadata.namespace on the controller', () => {
    expect(replaceAll("object.metadata.namespace == 'a' && object.metadata.name != '' && object.metadata.namespaces", 'object.metadata', 'object.spec.template.metadata', true)).toBe(
      "object.metadata.namespace == 'a' && object.spec.template.metadata.name != '' && object.spec.template.metadata.namespaces",
    );
  });
});

describe('ClusterPolicy autogen', () => {
  const rule = {
    name: 'no-host-network',
    match: { any: [{ resources: { kinds: ['Pod'] } }] },
    validate: { cel: { expressions: [{ expression: '!object.spec.?hostNetwork.orValue(false)' }] } },
  };
  const policy: K8sObject = {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: { name: 'host-network' },
    spec: { validationFailureAction: 'Enforce', rules: [rule] },
  };

  it('adds autogen-<rule> and autogen-cronjob-<rule>', () => {
    const generated = autogenRules(rule, autogenControllers(policy.spec as never, undefined));
    expect(generated.map((r) => [r.name, r.match?.any?.[0]?.resources?.kinds])).toEqual([
      ['autogen-no-host-network', ['DaemonSet', 'Deployment', 'Job', 'ReplicaSet', 'ReplicationController', 'StatefulSet']],
      ['autogen-cronjob-no-host-network', ['CronJob']],
    ]);
    expect(generated[1]!.validate!.cel!.expressions![0]!.expression).toBe('!object.spec.jobTemplate.spec.template.spec.?hostNetwork.orValue(false)');
    const out = evaluatePolicies([policy], controllers(bad)).results;
    expect(Object.fromEntries(out.map((r) => [r.resource.kind, `${r.rule}:${r.result}:${r.action}`]))).toMatchObject({
      Pod: 'no-host-network:fail:Enforce',
      Deployment: 'autogen-no-host-network:fail:Enforce',
      CronJob: 'autogen-cronjob-no-host-network:fail:Enforce',
    });
  });

  it('follows the autogen-controllers annotation', () => {
    expect(autogenControllers(policy.spec as never, { 'pod-policies.kyverno.io/autogen-controllers': 'none' })).toEqual([]);
    expect(autogenControllers(policy.spec as never, { 'pod-policies.kyverno.io/autogen-controllers': 'Deployment,CronJob' })).toEqual(['Deployment', 'CronJob']);
  });
});
