/** The shape of a CLI command: parse arguments, call the library, render, return the exit code. */
import type { CliIO } from './io.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  description: string;
  multiple?: boolean;
  short?: string;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, OptionSpec>;
  /** Accepts positional arguments (otherwise any is a usage error). */
  positionals?: boolean;
  /** Sub-commands (`plinth charts pull`); a command has either these or `run`. */
  subcommands?: CommandSpec[];
  run?(io: CliIO, args: ParsedArgs): Promise<number>;
}
