/**
 * `plinth images [--config FILE] [--format text|json|k3s-registries] [--mirror HOST]`:
 * every container image the rendered platform runs, sorted, with the units
 * that use it; or a k3s registries.yaml pointing their registries at a mirror.
 */
import { existsSync } from 'node:fs';
import { desiredState } from '../../desired/index.js';
import { findHelm, locateChartCache } from '../../helm/index.js';
import { imagesJson, imagesText, k3sRegistriesYaml, parseMirror, platformImages, type RegistryMirror } from '../../images/index.js';
import { ChartCacheError, UsageError } from '../../lib/errors.js';
import type { CommandSpec } from '../command.js';
import { loadConfigFor } from '../config-arg.js';

const FORMATS = ['text', 'json', 'k3s-registries'] as const;

export const imagesCommand: CommandSpec = {
  name: 'images',
  summary: 'list every container image the rendered platform runs (the input for mirroring a registry); or a k3s registries.yaml for a mirror',
  usage: 'plinth images [--config FILE] [--format text|json|k3s-registries] [--mirror HOST[:PORT]] [--charts DIR]',
  options: {
    config: { type: 'string', description: 'plinth.yaml to use (default: ./plinth.yaml, else the built-in edge example)' },
    format: { type: 'string', description: `output format: ${FORMATS.join(', ')} (default text)` },
    mirror: { type: 'string', description: 'registry mirror (host[:port] or https://host[:port]): shows where each image goes; required by k3s-registries' },
    charts: { type: 'string', description: 'chart cache folder (default: PLINTH_CHARTS, else ../shared/charts, else the user cache)' },
  },
  async run(io, args) {
    const format = (args.values.format as string | undefined) ?? 'text';
    if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format: got ${JSON.stringify(format)}; expected one of: ${FORMATS.join(', ')}`);
    let mirror: RegistryMirror | undefined;
    if (args.values.mirror !== undefined) {
      const parsed = parseMirror(args.values.mirror as string);
      if ('error' in parsed) throw new UsageError(`--mirror: ${parsed.error}`);
      mirror = parsed;
    }
    if (format === 'k3s-registries' && !mirror) throw new UsageError('--format k3s-registries needs --mirror HOST[:PORT]: the registry the nodes should pull from');
    const env = args.values.charts ? { ...io.env, PLINTH_CHARTS: args.values.charts as string } : io.env;
    const state = desiredState(await loadConfigFor(io, args.values.config as string | undefined));
    const cache = locateChartCache(env);
    if (!existsSync(cache.dir)) throw new ChartCacheError(`the chart cache ${cache.dir} (${cache.origin}) does not exist: images are read from the real renders; set PLINTH_CHARTS or --charts, or run \`plinth charts pull\``);
    const { list, failures } = await platformImages(state, { helm: (await findHelm(env)).path, cache });
    if (failures.length > 0) {
      for (const f of failures) io.stderr.write(`error: ${f.source?.component}: ${f.message}\n`);
      io.stderr.write(`${failures.length} unit${failures.length === 1 ? '' : 's'} did not render: their images are unknown; fix them (plinth check) first\n`);
      return 1;
    }
    io.stdout.write(format === 'json' ? imagesJson(list, mirror) : format === 'k3s-registries' ? k3sRegistriesYaml(list, mirror!) : imagesText(list, mirror));
    return list.invalid.length > 0 ? 1 : 0;
  },
};
