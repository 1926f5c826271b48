/** Small builders of policies and resources, used by the policy engine's unit tests. */
import type { K8sObject } from '../model/k8s.js';
import type { MatchResources, ValidatingPolicySpec } from './types.js';

export const POD_RULES: MatchResources = { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'] }] };

export function vpol(name: string, spec: Partial<ValidatingPolicySpec>, annotations?: Record<string, string>): K8sObject {
  return {
    apiVersion: 'policies.kyverno.io/v1',
    kind: 'ValidatingPolicy',
    metadata: { name, ...(annotations ? { annotations } : {}) },
    spec: { validationActions: ['Audit'], matchConstraints: POD_RULES, ...spec },
  };
}

export function pod(name: string, spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): K8sObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'team-a', ...meta }, spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/app:1.0' }], ...spec } };
}

export function namespace(name: string, labels: Record<string, string> = {}): K8sObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

export function deployment(name: string, podSpec: Record<string, unknown>, namespace = 'team-a'): K8sObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: podSpec } },
  };
}

export function cronJob(name: string, podSpec: Record<string, unknown>, namespace = 'team-a'): K8sObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace },
    spec: { schedule: '@daily', jobTemplate: { spec: { template: { metadata: { labels: { app: name } }, spec: podSpec } } } },
  };
}
