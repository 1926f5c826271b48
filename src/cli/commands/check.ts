/**
 * `plinth check [--config FILE] [--format text|json|sarif|markdown] [--fail-on error|warning] [--charts DIR]`:
 * prove the platform sound offline. Exit 0 when no finding reaches --fail-on,
 * 1 otherwise, 2 on a usage or config error (plinth.yaml, or a file --repo
 * reads back), 3 when Helm or the file system fails.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { readRepo } from '../../gitops/writer.js';
import { DEFAULT_OUT } from './plan.js';
import { checkPlatform } from '../../checks/platform.js';
import { findHelm, locateChartCache, RenderCache, renderStoreDir } from '../../helm/index.js';
import { UsageError } from '../../lib/errors.js';
import { checkJson } from '../../report/check-json.js';
import { checkMarkdown } from '../../report/check-markdown.js';
import { checkSarif, type SarifLocations } from '../../report/check-sarif.js';
import { BUILTIN_EXAMPLE_NAME } from '../../config/starter.js';
import type { Unit } from '../../model/unit.js';
import { valuesFileOf } from '../../synth/argocd/units.js';
import { unitDir } from '../../synth/layout.js';
import { checkText } from '../../report/check-text.js';
import type { CommandSpec } from '../command.js';
import { loadConfigFor } from '../config-arg.js';

const FORMATS = ['text', 'json', 'sarif', 'markdown'] as const;
const FAIL_ON = ['error', 'warning'] as const;

/** SARIF locations relative to where the command runs: the repository, plinth.yaml, each component's values. */
function sarifLocations(cwd: string, repoDir: string, configFile: string, units: readonly Unit[]): SarifLocations {
  const posix = (p: string) => p.split(sep).join('/');
  const byName = new Map(units.map((u) => [u.name, u]));
  return {
    repoRoot: posix(relative(cwd, repoDir)) || '.',
    ...(configFile === BUILTIN_EXAMPLE_NAME ? {} : { configFile: posix(configFile) }),
    componentFile: (component) => {
      const u = byName.get(component);
      return u ? (u.chart ? valuesFileOf(u) : `${unitDir(u)}/component.json`) : undefined;
    },
  };
}

export const checkCommand: CommandSpec = {
  name: 'check',
  summary: 'prove the platform sound offline: render, values, budgets, schemas, order, hygiene, availability, footprint, policies, failure scenarios',
  usage: 'plinth check [--config FILE] [--format text|json|sarif|markdown] [--fail-on error|warning] [--charts DIR] [--repo DIR]',
  options: {
    config: { type: 'string', description: 'plinth.yaml to use (default: ./plinth.yaml, else the built-in edge example)' },
    format: { type: 'string', description: `output format: ${FORMATS.join(', ')} (default text)` },
    'fail-on': { type: 'string', description: 'lowest severity that fails the run: error (default) or warning' },
    charts: { type: 'string', description: 'chart cache folder (default: PLINTH_CHARTS, else ../shared/charts, else the user cache)' },
    repo: { type: 'string', description: 'GitOps repository to check too: its tenant services (apps/) and that it is what plan writes (default: ./gitops when present)' },
  },
  async run(io, args) {
    const format = (args.values.format as string | undefined) ?? 'text';
    if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format: got ${JSON.stringify(format)}; expected one of: ${FORMATS.join(', ')}`);
    const failOn = (args.values['fail-on'] as string | undefined) ?? 'error';
    if (!(FAIL_ON as readonly string[]).includes(failOn)) throw new UsageError(`--fail-on: got ${JSON.stringify(failOn)}; expected one of: ${FAIL_ON.join(', ')}`);
    const env = args.values.charts ? { ...io.env, PLINTH_CHARTS: args.values.charts as string } : io.env;

    const loaded = await loadConfigFor(io, args.values.config as string | undefined);
    const repoDir = resolve(io.cwd, (args.values.repo as string | undefined) ?? DEFAULT_OUT);
    if (args.values.repo !== undefined && !existsSync(repoDir)) throw new UsageError(`--repo: ${args.values.repo as string} does not exist`);
    const repoFiles = existsSync(repoDir) ? await readRepo(repoDir) : undefined;
    if (args.values.repo !== undefined && !existsSync(join(repoDir, 'apps'))) io.stderr.write(`No tenant services in ${args.values.repo as string}/apps.\n`);
    const store = renderStoreDir(env);
    const renderCache = new RenderCache(store ? { dir: store } : {});
    const { report, footprint, policy, state } = await checkPlatform(loaded, { helm: (await findHelm(env)).path, cache: locateChartCache(env), renderCache, ...(repoFiles ? { repoFiles } : {}) });

    const version = (JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
    const name = loaded.config.cluster.name;
    const text =
      format === 'json'
        ? checkJson(report, footprint)
        : format === 'sarif'
          ? checkSarif(report, version, sarifLocations(io.cwd, repoDir, loaded.file, state?.units ?? []))
          : format === 'markdown'
            ? checkMarkdown(report, name, footprint)
            : checkText(report, footprint, policy);
    io.stdout.write(text);
    const failing = report.findings.some((f) => f.severity === 'error' || (failOn === 'warning' && f.severity === 'warning'));
    return failing ? 1 : 0;
  },
};
