/** The one door to the CEL engine (@marcbachmann/cel-js): every policy module imports it from here. */
export { Environment, EvaluationError, Optional, ParseError, TypeError as CelTypeError } from '@marcbachmann/cel-js';
export type { ASTNode, ParseResult } from '@marcbachmann/cel-js';
export { Duration } from '@marcbachmann/cel-js/evaluator';
