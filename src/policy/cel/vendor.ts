/**
 * The one door to third-party engines of the policy module: the CEL engine
 * (@marcbachmann/cel-js) and RE2 (re2js, a pure JavaScript port of RE2, the
 * regular expression syntax CEL uses in the cluster). Every policy module imports them from here.
 */
export { Environment, EvaluationError, Optional, ParseError, TypeError as CelTypeError } from '@marcbachmann/cel-js';
export type { ASTNode, ParseResult } from '@marcbachmann/cel-js';
export { Duration } from '@marcbachmann/cel-js/evaluator';
export { RE2JS } from 're2js';
