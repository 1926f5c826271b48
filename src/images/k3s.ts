/**
 * A k3s `registries.yaml` that sends every registry the platform's images
 * come from to one mirror: per registry a `mirrors.<registry>` entry whose
 * endpoint is the mirror and whose `rewrite` puts the registry's name in
 * front of the repository path, so one mirror holds every registry without
 * collisions (`quay.io/prometheus/prometheus:v3` is pulled as
 * `<mirror>/quay.io/prometheus/prometheus:v3`). Rewrites apply to mirror
 * endpoints only; containerd still falls back to the upstream registry
 * unless k3s runs with `--disable-default-registry-endpoint`.
 */
import { toYaml } from '../lib/yaml.js';
import type { ImageList } from './collect.js';
import { registriesOf } from './collect.js';

export interface RegistryMirror {
  /** `https://registry.local:5000` (a bare host gets https://). */
  endpoint: string;
  /** host[:port] of the endpoint, for image names. */
  host: string;
}

const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::\d{1,5})?$/i;

/** `--mirror HOST[:PORT]` or `--mirror http(s)://HOST[:PORT]`; an error text otherwise. */
export function parseMirror(text: string): RegistryMirror | { error: string } {
  const m = /^(https?:\/\/)?([^/]+)\/?$/.exec(text.trim());
  if (!m || !HOST.test(m[2]!)) return { error: `expected a registry host such as registry.local:5000 or https://registry.local:5000, got ${JSON.stringify(text)}` };
  return { endpoint: `${m[1] ?? 'https://'}${m[2]}`, host: m[2]! };
}

/** Where an image is in the mirror. */
export function mirroredName(full: string, mirror: RegistryMirror): string {
  return `${mirror.host}/${full}`;
}

export function k3sRegistries(list: ImageList, mirror: RegistryMirror): Record<string, unknown> {
  const mirrors: Record<string, unknown> = {};
  for (const registry of registriesOf(list)) {
    if (registry === mirror.host) continue;
    mirrors[registry] = { endpoint: [mirror.endpoint], rewrite: { '^(.*)$': `${registry}/$1` } };
  }
  return { mirrors };
}

export function k3sRegistriesYaml(list: ImageList, mirror: RegistryMirror): string {
  const header = [
    '# /etc/rancher/k3s/registries.yaml, written by `plinth images --format k3s-registries`:',
    `# every registry the platform's images come from, pulled from ${mirror.endpoint}`,
    '# as <mirror>/<registry>/<repository>. Put it on every node, then restart k3s.',
    '',
  ].join('\n');
  return `${header}${toYaml(k3sRegistries(list, mirror))}`;
}
