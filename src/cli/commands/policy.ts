/**
 * `plinth policy test DIR...`: run the Kyverno CLI test suites (kyverno-test.yaml) under DIR.
 * `plinth policy eval --policy FILE... --resource FILE...`: evaluate policies against resources and print the report.
 */
import { resolve } from 'node:path';
import { PlinthError, UsageError } from '../../lib/errors.js';
import { toJson, toYamlStream } from '../../lib/yaml.js';
import {
  defaultKyvernoResourceFilters,
  evaluatePolicies,
  type ExceptionScope,
  type PolicyEvaluation,
  type PolicyResult,
  summarize,
} from '../../policy/index.js';
import { checkLine, DocumentReader, findTestFiles, loadTest, runKyvernoTest } from '../../policy/testing/index.js';
import type { Operation } from '../../policy/types.js';
import { table } from '../../lib/table.js';
import type { CommandSpec } from '../command.js';
import type { CliIO } from '../io.js';

/** Options shared by `test` and `eval`: which PolicyExceptions Kyverno would honour, and when. */
const EXCEPTION_OPTIONS: CommandSpec['options'] = {
  'exception-namespace': { type: 'string', description: "only PolicyExceptions in this namespace count, as Kyverno's --exceptionNamespace (default: any namespace)" },
  now: { type: 'string', description: 'the instant (RFC 3339) against which PolicyException expiresAt is judged (default: the current time)' },
};

/** The exception scope from the options: the current time unless `--now` says otherwise. */
function exceptionScopeOf(values: Record<string, unknown>): ExceptionScope {
  const namespace = values['exception-namespace'] as string | undefined;
  const nowText = values.now as string | undefined;
  const now = nowText === undefined ? new Date() : new Date(nowText);
  if (nowText !== undefined && (!/^\d{4}-\d{2}-\d{2}T/.test(nowText) || Number.isNaN(now.getTime()))) {
    throw new UsageError(`--now: expected an RFC 3339 instant such as 2026-05-01T00:00:00Z, got ${JSON.stringify(nowText)}`);
  }
  return { now, ...(namespace ? { namespace } : {}) };
}

const testCommand: CommandSpec = {
  name: 'test',
  summary: 'run the Kyverno CLI test suites (kyverno-test.yaml) found under the given directories',
  usage: 'plinth policy test DIR... [--exception-namespace NS] [--now RFC3339]',
  options: EXCEPTION_OPTIONS,
  positionals: true,
  async run(io, args) {
    if (args.positionals.length === 0) throw new UsageError('name at least one directory; usage: plinth policy test DIR...');
    const exceptionScope = exceptionScopeOf(args.values);
    const files = await findTestFiles(args.positionals.map((p) => resolve(io.cwd, p)));
    if (files.length === 0) throw new UsageError(`no kyverno-test.yaml under ${args.positionals.join(', ')}`);
    let passed = 0;
    let failed = 0;
    for (const file of files) {
      try {
        const loaded = await loadTest(file, io.cwd);
        io.stdout.write(`${loaded.file} (${loaded.test.name})\n`);
        for (const check of runKyvernoTest(loaded, { exceptionScope })) {
          io.stdout.write(`${checkLine(check)}\n`);
          if (check.passed) passed++;
          else failed++;
        }
      } catch (error) {
        if (!(error instanceof PlinthError)) throw error;
        io.stdout.write(`${file}\n  ERROR ${error.message.replace(/\n/g, '\n        ')}\n`);
        failed++;
      }
    }
    io.stdout.write(`\n${passed} passed, ${failed} failed\n`);
    return failed === 0 ? 0 : 1;
  },
};

const FORMATS = ['text', 'json', 'yaml'] as const;
const OPERATIONS: readonly Operation[] = ['CREATE', 'UPDATE', 'DELETE'];

function list(v: unknown): string[] {
  return Array.isArray(v) ? (v as string[]) : typeof v === 'string' ? [v] : [];
}

function resultRow(r: PolicyResult): string[] {
  const ref = [r.resource.kind, r.resource.namespace, r.resource.name].filter(Boolean).join('/');
  return [r.result, r.action, [r.policy, r.rule].filter(Boolean).join('/'), ref, r.message];
}

function textReport(e: PolicyEvaluation): string {
  const s = summarize(e.results);
  const lines = [e.results.length ? table(['RESULT', 'ACTION', 'POLICY', 'RESOURCE', 'MESSAGE'], e.results.map(resultRow)) : 'No policy applies to these resources.'];
  for (const f of e.filtered) lines.push(`filtered by Kyverno resourceFilters ${f.filter}: ${[f.kind, f.namespace, f.name].filter(Boolean).join('/')}`);
  for (const u of e.unsupported) lines.push(`not evaluated: ${u.policy}/${u.rule}: ${u.reason}`);
  const blocking = e.results.filter((r) => r.blocking).length;
  lines.push('', `${s.pass} pass, ${s.fail} fail, ${s.warn} warn, ${s.error} error, ${s.skip} skip${blocking ? `; ${blocking} would be denied by Enforce policies` : ''}`);
  return `${lines.join('\n')}\n`;
}

const evalCommand: CommandSpec = {
  name: 'eval',
  summary: 'evaluate policies against resources offline and print the PolicyReports',
  usage: 'plinth policy eval --policy FILE... --resource FILE... [--param FILE...] [--operation CREATE] [--kyverno-filters] [--exception-namespace NS] [--now RFC3339] [--format text|json|yaml]',
  options: {
    ...EXCEPTION_OPTIONS,
    policy: { type: 'string', multiple: true, description: 'policy file: ValidatingPolicy, ValidatingAdmissionPolicy (+ binding), ClusterPolicy, PolicyException' },
    resource: { type: 'string', multiple: true, description: 'resource file (Namespaces in them feed namespaceSelector)' },
    param: { type: 'string', multiple: true, description: 'parameter objects for ValidatingAdmissionPolicy bindings' },
    operation: { type: 'string', description: `admission operation: ${OPERATIONS.join(', ')} (default CREATE)` },
    'kyverno-filters': { type: 'boolean', description: "apply the Kyverno chart's default resourceFilters (kube-system and others are never reported)" },
    format: { type: 'string', description: `output: ${FORMATS.join(', ')} (default text)` },
  },
  async run(io: CliIO, args) {
    const policies = list(args.values.policy);
    const resources = list(args.values.resource);
    if (policies.length === 0 || resources.length === 0) throw new UsageError(`--policy and --resource are required\nusage: ${evalCommand.usage}`);
    const format = (args.values.format as string | undefined) ?? 'text';
    if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format: expected one of ${FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
    const operation = ((args.values.operation as string | undefined) ?? 'CREATE').toUpperCase() as Operation;
    if (!OPERATIONS.includes(operation)) throw new UsageError(`--operation: expected one of ${OPERATIONS.join(', ')}`);
    const exceptionScope = exceptionScopeOf(args.values);
    const reader = new DocumentReader(io.cwd);
    const at = (files: string[]) => reader.readAll(files.map((f) => resolve(io.cwd, f)));
    const evaluation = evaluatePolicies(await at(policies), await at(resources), {
      operation,
      params: await at(list(args.values.param)),
      fileOf: reader.fileOf,
      exceptionScope,
      ...(args.values['kyverno-filters'] ? { resourceFilters: defaultKyvernoResourceFilters() } : {}),
    });
    if (format === 'json') io.stdout.write(toJson({ apiVersion: 'v1', kind: 'List', items: evaluation.reports }));
    else if (format === 'yaml') io.stdout.write(toYamlStream(evaluation.reports));
    else io.stdout.write(textReport(evaluation));
    return evaluation.results.some((r) => r.blocking) ? 1 : 0;
  },
};

export const policyCommand: CommandSpec = {
  name: 'policy',
  summary: 'policies as code: run policy test suites, evaluate policies against resources (offline)',
  usage: 'plinth policy test|eval',
  options: {},
  subcommands: [testCommand, evalCommand],
};
