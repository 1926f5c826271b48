/** Errors of the policy engine: expressions that do not compile, policy documents that cannot be used. */
import { ConfigError, type ErrorDetail } from '../lib/errors.js';

/** Where an expression sits: the policy (`ValidatingPolicy/disallow-latest-tag`) and the field path. */
export interface ExpressionSite {
  policy: string;
  path: string;
  /** File the policy came from, when known. */
  file?: string;
}

/** One expression that did not compile, with the engine's reason. */
export interface CompileProblem {
  site: ExpressionSite;
  expression: string;
  reason: string;
  /** The expression uses a library that only exists in the cluster (Kyverno's resource, image, http, ...). */
  offline?: boolean;
  /** The cluster accepts the expression; Plinth's offline engine does not implement what it uses. */
  unsupported?: boolean;
}

export function compileProblemDetail(p: CompileProblem): ErrorDetail {
  return {
    ...(p.site.file ? { file: p.site.file } : {}),
    path: `${p.site.policy}: ${p.site.path}`,
    message: `expression ${JSON.stringify(p.expression)} does not compile: ${p.reason}`,
    hint: p.offline
      ? 'this library reads the cluster or the registry: evaluate the policy in the cluster, or keep it out of offline checks'
      : p.unsupported
        ? 'not supported offline by Plinth (the cluster accepts it): evaluate the policy in the cluster, or keep it out of offline checks'
        : 'fix the CEL expression: the cluster would reject this policy too',
  };
}

/** Every expression of the given policies that does not compile (collected, then thrown once). */
export class PolicyCompileError extends ConfigError {
  readonly problems: readonly CompileProblem[];

  constructor(problems: readonly CompileProblem[]) {
    super(problems.map(compileProblemDetail));
    this.problems = problems;
  }
}

/** A policy document that cannot be evaluated: missing fields, a dangling reference. */
export class PolicyDefinitionError extends ConfigError {}
