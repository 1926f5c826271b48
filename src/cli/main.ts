/** The `plinth` command line: dispatch to one thin command module per verb. */
import { parseArgs } from 'node:util';
import { EXIT, PlinthError, UsageError } from '../lib/errors.js';
import type { CommandSpec, ParsedArgs } from './command.js';
import { COMMANDS, loadAll } from './commands/index.js';
import type { CliIO } from './io.js';

export type { CliIO } from './io.js';

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  try {
    return await top(argv, io);
  } catch (error) {
    return report(error, io);
  }
}

/** The first word: a command loaded on its own; help loads them all for their summaries. */
async function top(argv: readonly string[], io: CliIO): Promise<number> {
  const [name] = argv;
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) return dispatch(argv, io, name === '--version' || name === 'version' ? [] : await loadAll(), 'plinth');
  return dispatch(argv, io, [await entry.load()], 'plinth');
}

async function dispatch(argv: readonly string[], io: CliIO, commands: readonly CommandSpec[], prefix: string): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(helpText(commands, prefix));
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === 'version') {
    io.stdout.write(`${await version()}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) throw new UsageError(`unknown command ${JSON.stringify(name)}; run \`${prefix} --help\` for the list`);
  if (command.subcommands) return dispatch(rest, io, command.subcommands, `${prefix} ${command.name}`);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(commandHelp(command));
    return 0;
  }
  // Invariant, not input: the command table is code; a command without either is a bug (exit 70).
  if (!command.run) throw new Error(`command ${command.name} has neither sub-commands nor run`);
  return command.run(io, parse(command, rest));
}

function parse(command: CommandSpec, args: readonly string[]): ParsedArgs {
  const options = Object.fromEntries(
    Object.entries(command.options).map(([k, o]) => [k, { type: o.type, ...(o.multiple ? { multiple: true } : {}), ...(o.short ? { short: o.short } : {}) }]),
  );
  try {
    const parsed = parseArgs({ args: [...args], options, allowPositionals: command.positionals ?? false, strict: true });
    return { values: parsed.values as ParsedArgs['values'], positionals: parsed.positionals };
  } catch (cause) {
    throw new UsageError(`${(cause as Error).message}\nusage: ${command.usage}`, { cause });
  }
}

function report(error: unknown, io: CliIO): number {
  if (error instanceof PlinthError) {
    io.stderr.write(`error: ${error.message}\n`);
    return error.exitCode;
  }
  const e = error as Error;
  io.stderr.write(`internal error: ${e?.stack ?? String(error)}\nThis is a bug in Plinth; please report it with the command you ran.\n`);
  return EXIT.bug;
}

function helpText(commands: readonly CommandSpec[], prefix: string): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [`usage: ${prefix} <command> [options]`, '', 'commands:', ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`), '', `Run \`${prefix} <command> --help\` for its options.`, ''].join('\n');
}

function commandHelp(c: CommandSpec): string {
  const opts = Object.entries(c.options);
  const width = Math.max(0, ...opts.map(([k, o]) => k.length + (o.type === 'string' ? 6 : 0)));
  return [
    `usage: ${c.usage}`,
    '',
    c.summary,
    ...(opts.length ? ['', 'options:', ...opts.map(([k, o]) => `  --${`${k}${o.type === 'string' ? ' VALUE' : ''}`.padEnd(width)}  ${o.description}`)] : []),
    '',
  ].join('\n');
}

async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
