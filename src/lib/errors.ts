/**
 * The small typed error family of Plinth. Exceptions are for real failures
 * (bad input, a missing tool, a broken invariant); checks return findings instead.
 * Every error says where (file, path) and what to do (hint) when it can.
 */

/** The exit codes of the CLI (README "Exit codes"). */
export const EXIT = {
  ok: 0,
  /** `check` and friends: findings at or above `--fail-on`; returned by commands, never thrown. */
  findings: 1,
  /** Bad usage, bad config, a bad input file. */
  badInput: 2,
  /** The cluster, git, Helm, Vault or the file system failed: nothing wrong with the input. */
  failure: 3,
  /** An exception outside this family: a bug in Plinth. */
  bug: 70,
} as const;

export interface ErrorDetail {
  /** File the problem is in, as the user named it. */
  file?: string;
  /** Path inside the file, e.g. `cluster.nodes[2].memory`. */
  path?: string;
  /** 1-based line and column in the file, when known. */
  line?: number;
  column?: number;
  /** What is wrong, including the value found and what was expected. */
  message: string;
  /** What to do about it. */
  hint?: string;
}

export class PlinthError extends Error {
  /** Process exit code the CLI uses for this error: a failure outside Plinth's input unless a subclass says bad input. */
  readonly exitCode: number = EXIT.failure;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad command-line usage: unknown command, missing argument, or a command this plinth.yaml does not support. Exit code 2. */
export class UsageError extends PlinthError {
  override readonly exitCode = EXIT.badInput;
}

/** The platform plinth.yaml describes cannot be built: a rule across settings that only the desired state sees. Exit code 2. */
export class PlatformError extends PlinthError {
  override readonly exitCode = EXIT.badInput;
}

/** `plinth.yaml` (or another input file) is invalid. Carries every problem found, not just the first. */
export class ConfigError extends PlinthError {
  override readonly exitCode = EXIT.badInput;
  readonly details: readonly ErrorDetail[];

  constructor(details: readonly ErrorDetail[], options?: { cause?: unknown }) {
    super(formatDetails(details), options);
    this.details = details;
  }
}

/** The component dependency graph has a cycle; names the cycle in order. */
export class CycleError extends PlinthError {
  override readonly exitCode = EXIT.badInput;
  readonly cycle: readonly string[];

  constructor(cycle: readonly string[]) {
    super(`dependency cycle: ${cycle.join(' -> ')}; remove one of these dependencies`);
    this.cycle = cycle;
  }
}

/** `plan` refuses its output folder (not empty and not its own, unsafe, or a symlink leading out): exit code 2, nothing written. */
export class OutputFolderError extends PlinthError {
  override readonly exitCode = EXIT.badInput;
}

/** An external tool (helm) is missing or failed: exit code 3. */
export class ToolError extends PlinthError {}

/** The chart cache is missing or lacks a chart: a setting to fix (PLINTH_CHARTS, --charts), exit code 2. */
export class ChartCacheError extends PlinthError {
  override readonly exitCode = EXIT.badInput;
}

export function formatDetail(d: ErrorDetail): string {
  const where = [d.file, d.line !== undefined ? `${d.line}:${d.column ?? 1}` : undefined].filter(Boolean).join(':');
  const head = [where, d.path].filter(Boolean).join(': ');
  const text = head ? `${head}: ${d.message}` : d.message;
  return d.hint ? `${text}\n    hint: ${d.hint}` : text;
}

/** At most this many problems are printed; the rest are counted (`details` keeps them all). */
export const SHOWN_DETAILS = 50;

export function formatDetails(details: readonly ErrorDetail[]): string {
  const n = details.length;
  const lines = details.slice(0, SHOWN_DETAILS).map((d) => `  - ${formatDetail(d)}`);
  const more = n > SHOWN_DETAILS ? [`  ... and ${n - SHOWN_DETAILS} more; fix these first`] : [];
  return [`${n} problem${n === 1 ? '' : 's'} found:`, ...lines, ...more].join('\n');
}
