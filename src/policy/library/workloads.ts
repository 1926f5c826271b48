/** Workload hygiene (Audit): resource requests and limits, image tags and registries, probes. */
import { ALL_CONTAINERS, celList, PODS, type PolicyDefinition, resourceRule } from './build.js';

const BEST_PRACTICES = 'Best Practices';
const SUPPLY_CHAIN = 'Supply Chain Security';

/** The registry-qualified reference of `img` (CEL): Docker Hub names get `docker.io/` (and `library/`). */
function qualified(img: string): string {
  const first = `${img}.split('/')[0]`;
  return `(${img}.contains('/') && (${first}.contains('.') || ${first}.contains(':') || ${first} == 'localhost') ? ${img} : (${img}.contains('/') ? 'docker.io/' + ${img} : 'docker.io/library/' + ${img}))`;
}

export function requestsAndLimits(): PolicyDefinition {
  const q = (path: string) => `quantity(string(c.resources.${path}))`;
  return {
    name: 'require-requests-limits',
    title: 'Require resource requests and limits',
    category: BEST_PRACTICES,
    severity: 'medium',
    description:
      'Every container must request CPU and memory and set a memory limit, so the scheduler can place it and a leak cannot starve its neighbours; limits may not be below requests.',
    action: 'Audit',
    subject: 'Pod',
    matchConstraints: PODS,
    variables: [
      { name: 'unbounded', expression: 'object.spec.containers.filter(c, !c.?resources.?requests.?cpu.hasValue() || !c.?resources.?requests.?memory.hasValue() || !c.?resources.?limits.?memory.hasValue()).map(c, c.name)' },
      {
        name: 'inverted',
        expression: `object.spec.containers.filter(c, ['cpu', 'memory'].exists(r, c.?resources.?requests[?r].hasValue() && c.?resources.?limits[?r].hasValue() && ${q('limits[r]')}.isLessThan(${q('requests[r]')}))).map(c, c.name)`,
      },
    ],
    validations: [
      { expression: 'size(variables.unbounded) == 0', messageExpression: "'CPU and memory requests and a memory limit are required: ' + variables.unbounded.join(', ')" },
      { expression: 'size(variables.inverted) == 0', messageExpression: "'limits must not be below requests: ' + variables.inverted.join(', ')" },
    ],
  };
}

export function disallowLatestTag(): PolicyDefinition {
  return {
    name: 'disallow-latest-tag',
    title: 'Disallow latest and untagged images',
    category: SUPPLY_CHAIN,
    severity: 'medium',
    description: 'Images must name a tag other than latest, or a digest, so what runs is what was reviewed.',
    action: 'Audit',
    subject: 'Pod',
    matchConstraints: PODS,
    variables: [
      ALL_CONTAINERS,
      { name: 'floating', expression: "variables.allContainers.map(c, c.image).filter(i, !i.contains('@') && (i.lastIndexOf(':') <= i.lastIndexOf('/') || i.endsWith(':latest')))" },
    ],
    validations: [{ expression: 'size(variables.floating) == 0', messageExpression: "'images need a pinned tag (not latest) or a digest: ' + variables.floating.join(', ')" }],
  };
}

/** Registries (and path prefixes) images may come from: plinth.yaml `policy.allowedRegistries`. */
export function restrictImageRegistries(allowedRegistries: readonly string[]): PolicyDefinition {
  return {
    name: 'restrict-image-registries',
    title: 'Restrict image registries',
    category: SUPPLY_CHAIN,
    severity: 'medium',
    description: `Images must come from the registries plinth.yaml allows (policy.allowedRegistries): ${allowedRegistries.join(', ')}. Docker Hub short names count as docker.io.`,
    action: 'Audit',
    subject: 'Pod',
    matchConstraints: PODS,
    variables: [
      ALL_CONTAINERS,
      { name: 'allowed', expression: celList(allowedRegistries) },
      {
        name: 'foreign',
        expression: `variables.allContainers.map(c, c.image).filter(i, !(i in exceptions.allowedImages) && !cel.bind(ref, ${qualified('i')}, variables.allowed.exists(r, ref.startsWith(r + '/'))))`,
      },
    ],
    validations: [{ expression: 'size(variables.foreign) == 0', messageExpression: "'images from registries outside ' + variables.allowed.join(', ') + ': ' + variables.foreign.join(', ')" }],
  };
}

export function requireProbes(): PolicyDefinition {
  return {
    name: 'require-probes',
    title: 'Require liveness and readiness probes',
    category: BEST_PRACTICES,
    severity: 'medium',
    description: 'Every container of a Deployment needs a liveness and a readiness probe, so the platform can restart it and route traffic only when it is ready.',
    action: 'Audit',
    subject: 'Deployment',
    matchConstraints: resourceRule('apps', 'deployments'),
    variables: [{ name: 'unprobed', expression: 'object.spec.template.spec.containers.filter(c, !has(c.livenessProbe) || !has(c.readinessProbe)).map(c, c.name)' }],
    validations: [{ expression: 'size(variables.unprobed) == 0', messageExpression: "'containers need liveness and readiness probes: ' + variables.unprobed.join(', ')" }],
  };
}
