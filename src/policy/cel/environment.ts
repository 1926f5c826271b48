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
 * built once and then only read; the evaluation environment and the typing
 * environments (`typingEnvironment`) are cheap clones of one base per flavor.
 */
import { registerKubernetesLibrary } from './library/index.js';
import { routeMatchesToRe2, withMatchesName } from './matches.js';
import { Environment, type ParseResult } from './vendor.js';

export type CelFlavor = 'kubernetes' | 'kyverno';

export const BINDINGS: Record<CelFlavor, readonly string[]> = {
  kubernetes: ['object', 'oldObject', 'request', 'namespaceObject', 'params', 'variables'],
  kyverno: ['object', 'oldObject', 'request', 'namespaceObject', 'variables', 'exceptions'],
};

/**
 * Bindings the cluster declares with a type (the rest are `dyn` there too). Plinth
 * evaluates them as `dyn`, and types them only to tell an expression's result type
 * as the cluster's checker sees it (`request.dryRun` is bool there, not dyn).
 */
const TYPED_BINDINGS = ['request', 'namespaceObject', 'variables'];

type Schema = { [field: string]: string | Schema };

/** The API server's `kubernetes.AdmissionRequest` (Kyverno declares the same fields). */
const GVK: Schema = { group: 'string', version: 'string', kind: 'string' };
const GVR: Schema = { group: 'string', version: 'string', resource: 'string' };
const REQUEST: Schema = {
  kind: GVK,
  resource: GVR,
  subResource: 'string',
  requestKind: GVK,
  requestResource: GVR,
  requestSubResource: 'string',
  name: 'string',
  namespace: 'string',
  operation: 'string',
  userInfo: { username: 'string', uid: 'string', groups: 'list<string>', extra: 'map<string, list<string>>' },
  dryRun: 'bool',
  options: 'dyn',
};

/** The API server's `kubernetes.Namespace` (the fields it declares for `namespaceObject`). */
const NAMESPACE: Schema = {
  metadata: {
    name: 'string',
    generateName: 'string',
    namespace: 'string',
    labels: 'map<string, string>',
    annotations: 'map<string, string>',
    UID: 'string',
    creationTimestamp: 'google.protobuf.Timestamp',
    deletionGracePeriodSeconds: 'int',
    deletionTimestamp: 'google.protobuf.Timestamp',
    generation: 'int',
    resourceVersion: 'string',
    finalizers: 'list<string>',
  },
  spec: { finalizers: 'list<string>' },
  status: {
    conditions: 'list<dyn>',
    phase: 'string',
  },
};

const bases = new Map<CelFlavor, Environment>();
const built = new Map<CelFlavor, Environment>();

function base(flavor: CelFlavor): Environment {
  let env = bases.get(flavor);
  if (!env) {
    env = new Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: flavor === 'kyverno' });
    for (const name of BINDINGS[flavor]) if (!TYPED_BINDINGS.includes(name)) env.registerVariable(name, 'dyn');
    registerKubernetesLibrary(env);
    bases.set(flavor, env);
  }
  return env;
}

/** The environment expressions are evaluated in: every binding `dyn`. */
export function celEnvironment(flavor: CelFlavor): Environment {
  let env = built.get(flavor);
  if (!env) {
    env = base(flavor).clone();
    for (const name of TYPED_BINDINGS) env.registerVariable(name, 'dyn');
    built.set(flavor, env);
  }
  return env;
}

/** Types a variable may be declared with in a typing environment; anything else is declared `dyn`. */
const DECLARABLE = /^(bool|string|int|uint|double|bytes|null|list|map|google\.protobuf\.(Timestamp|Duration)|kubernetes\.\w+|net\.(IP|CIDR|URL)|(list|map)<[\w.<>, ]+>)$/;

/**
 * An environment for type checking only, with `request` and `namespaceObject`
 * typed as the cluster declares them and `variables` typed by the result types
 * of the variables declared before (`variableTypes`), as the API server's and
 * Kyverno's compilers do. Never used to evaluate.
 */
export function typingEnvironment(flavor: CelFlavor, variableTypes: Readonly<Record<string, string>>): Environment {
  const env = base(flavor).clone();
  const fields = Object.fromEntries(Object.entries(variableTypes).map(([name, type]) => [name, DECLARABLE.test(type) ? type : 'dyn']));
  env.registerVariable({ name: 'request', schema: REQUEST } as never);
  env.registerVariable({ name: 'namespaceObject', schema: NAMESPACE } as never);
  env.registerVariable({ name: 'variables', schema: fields } as never);
  return env;
}

/**
 * Parses an expression in an environment (by default the flavor's evaluation
 * environment), with `matches` bound to RE2. Throws the engine's ParseError;
 * `check()` of the result reports type errors.
 */
export function parseCel(flavor: CelFlavor, source: string, env: Environment = celEnvironment(flavor)): ParseResult {
  const parsed = env.parse(source);
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
