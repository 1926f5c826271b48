/**
 * The two CEL environments policies are compiled in, mirroring the cluster:
 *
 * - `kubernetes`: ValidatingAdmissionPolicy and Kyverno ClusterPolicy `validate.cel`
 *   (the API server's admission environment: object, oldObject, request,
 *   namespaceObject, params, variables; mixed-type list literals allowed);
 * - `kyverno`: Kyverno ValidatingPolicy and its PolicyExceptions (no params,
 *   an `exceptions` binding, and homogeneous list and map literals, as Kyverno enforces).
 *
 * Both carry the optional syntax (`.?`, `orValue`, `hasValue`) and the Kubernetes
 * library functions Plinth registers. Building an environment is costly: each is
 * built once and then only read.
 */
import { registerKubernetesLibrary } from './library/index.js';
import { Environment } from './vendor.js';

export type CelFlavor = 'kubernetes' | 'kyverno';

export const BINDINGS: Record<CelFlavor, readonly string[]> = {
  kubernetes: ['object', 'oldObject', 'request', 'namespaceObject', 'params', 'variables'],
  kyverno: ['object', 'oldObject', 'request', 'namespaceObject', 'variables', 'exceptions'],
};

const built = new Map<CelFlavor, Environment>();

function build(flavor: CelFlavor): Environment {
  const env = new Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: flavor === 'kyverno' });
  for (const name of BINDINGS[flavor]) env.registerVariable(name, 'dyn');
  return registerKubernetesLibrary(env);
}

export function celEnvironment(flavor: CelFlavor): Environment {
  let env = built.get(flavor);
  if (!env) {
    env = build(flavor);
    built.set(flavor, env);
  }
  return env;
}
