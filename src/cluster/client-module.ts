/**
 * @kubernetes/client-node, loaded on first use. Importing it takes about a
 * second, which every command would pay at start (the CLI imports every
 * command module), `plan` and the offline `check` included, though they never
 * talk to a cluster. The package is ESM; Node 20.19 and later (package.json
 * `engines`) load it with require().
 */
import { createRequire } from 'node:module';
import type * as K8s from '@kubernetes/client-node';

let loaded: typeof K8s | undefined;

export function k8s(): typeof K8s {
  loaded ??= createRequire(import.meta.url)('@kubernetes/client-node') as typeof K8s;
  return loaded;
}
