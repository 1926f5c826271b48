/**
 * Platform exceptions: components that cannot comply with a platform policy
 * (node-exporter needs the host network and privileges, Fluent Bit reads logs
 * from hostPath) get an explicit, documented Kyverno PolicyException
 * (policies.kyverno.io/v1) instead of silence. Each names its component, the
 * policies it exempts from, where it applies and why; `plinth check` shows the
 * results it covers as excepted. Cilium has none: it runs in kube-system, which
 * Kyverno's resourceFilters leave out (Kyverno never evaluates it in the
 * cluster); `plinth check` lists it as not evaluated.
 */
import type { K8sObject } from '../../model/k8s.js';
import { MANAGED_BY, MANAGED_BY_LABEL, UNIT_LABEL } from '../../model/labels.js';
import { closest } from '../../lib/suggest.js';
import { PolicyDefinitionError } from '../errors.js';
import { celList, VALIDATING_POLICY_API_VERSION } from './build.js';

export const REASON_ANNOTATION = 'plinth.dev/exception-reason';
/** Where Kyverno looks for exceptions: its chart must set features.policyExceptions.enabled=true and namespace to this. */
export const DEFAULT_EXCEPTION_NAMESPACE = 'kyverno';

export interface PlatformException {
  /** Name of the PolicyException (a DNS label), e.g. `cilium-host-access`. */
  name: string;
  /** The component (unit) that needs it. */
  component: string;
  /** The platform policies it exempts from (ValidatingPolicy names, e.g. `pss-baseline-host-namespaces`). */
  policies: string[];
  /** Where it applies: a namespace, optionally only some workloads (by name; their pods, `<name>-…`, too) and kinds. */
  match: { namespace: string; workloads?: string[]; kinds?: string[] };
  /**
   * Partial exception: only these images are let through (`exceptions.allowedImages`);
   * meaningful for `restrict-image-registries` only, which reads that list.
   */
  images?: string[];
  /** Why the component cannot comply. Required: an exception without a reason is silence. */
  reason: string;
  /** RFC 3339 instant after which Kyverno ignores the exception. */
  expiresAt?: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

// eslint-disable-next-line complexity -- one rule per field of a platform exception, all collected so that one error lists every problem of the input
function problems(e: PlatformException, index: number, policyNames: readonly string[]): string[] {
  const at = `exceptions[${index}] (${e.name || 'unnamed'})`;
  const out: string[] = [];
  if (!DNS_LABEL.test(e.name) || e.name.length > 63) out.push(`${at}: name ${JSON.stringify(e.name)} must be a DNS label`);
  if (!e.reason?.trim()) out.push(`${at}: a reason is required`);
  if (!e.match?.namespace) out.push(`${at}: match.namespace is required`);
  if (!e.policies?.length) out.push(`${at}: policies must name at least one policy`);
  for (const p of e.policies ?? []) {
    if (policyNames.includes(p)) continue;
    const guess = closest(p, policyNames);
    out.push(`${at}: unknown policy ${JSON.stringify(p)}${guess ? ` (did you mean ${guess}?)` : ''}`);
  }
  if (e.images?.length && (e.policies ?? []).some((p) => p !== 'restrict-image-registries')) {
    out.push(`${at}: images only narrow restrict-image-registries; list other policies in a separate exception`);
  }
  if (e.expiresAt && Number.isNaN(Date.parse(e.expiresAt))) out.push(`${at}: expiresAt ${JSON.stringify(e.expiresAt)} is not an RFC 3339 instant`);
  return out;
}

function conditions(m: PlatformException['match']): { name: string; expression: string }[] {
  const out = [{ name: 'namespace', expression: `object.metadata.?namespace.orValue('') == ${JSON.stringify(m.namespace)}` }];
  if (m.workloads?.length) {
    const names = celList([...m.workloads].sort());
    out.push({ name: 'workloads', expression: `object.metadata.name in ${names} || ${names}.exists(w, object.metadata.name.startsWith(w + '-'))` });
  }
  if (m.kinds?.length) out.push({ name: 'kinds', expression: `object.kind in ${celList([...m.kinds].sort())}` });
  return out;
}

/** The PolicyException objects; throws PolicyDefinitionError listing every problem of the input. */
export function platformPolicyExceptions(exceptions: readonly PlatformException[], policyNames: readonly string[], namespace = DEFAULT_EXCEPTION_NAMESPACE): K8sObject[] {
  const found = exceptions.flatMap((e, i) => problems(e, i, policyNames));
  const names = exceptions.map((e) => e.name);
  for (const n of new Set(names.filter((n, i) => names.indexOf(n) !== i))) found.push(`exception name ${n} is used twice`);
  if (found.length) throw new PolicyDefinitionError(found.map((message) => ({ path: 'policy exceptions', message })));
  return [...exceptions]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((e) => ({
      apiVersion: VALIDATING_POLICY_API_VERSION,
      kind: 'PolicyException',
      metadata: {
        name: e.name,
        namespace,
        labels: { [MANAGED_BY_LABEL]: MANAGED_BY, [UNIT_LABEL]: e.component },
        annotations: { [REASON_ANNOTATION]: e.reason },
      },
      spec: {
        policyRefs: [...new Set(e.policies)].sort().map((name) => ({ kind: 'ValidatingPolicy', name })),
        matchConditions: conditions(e.match),
        ...(e.images?.length ? { images: [...e.images].sort() } : {}),
        ...(e.expiresAt ? { expiresAt: e.expiresAt } : {}),
        properties: { component: e.component, reason: e.reason },
        // Kyverno's default, written out: the API server stores it, and a field Git lacks keeps Argo CD OutOfSync.
        reportResult: 'skip',
      },
    }));
}
