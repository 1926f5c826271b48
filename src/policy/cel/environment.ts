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
import { routeMatchesToRe2, withMatchesName } from './matches.js';
import { Environment, type ParseResult } from './vendor.js';

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

/**
 * Parses an expression in a flavor's environment, with `matches` bound to RE2.
 * Throws the engine's ParseError; `check()` of the result reports type errors.
 */
export function parseCel(flavor: CelFlavor, source: string): ParseResult {
  const parsed = celEnvironment(flavor).parse(source);
  const restore = routeMatchesToRe2(parsed.ast);
  const check = parsed.check.bind(parsed);
  parsed.check = () => {
    const checked = check();
    restore();
    if (!checked.valid && checked.error) checked.error.message = withMatchesName(checked.error.message);
    return checked;
  };
  return parsed;
}
