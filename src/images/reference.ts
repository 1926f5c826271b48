/**
 * Container image references in their full form, as the container runtime
 * reads them (the rules of the distribution `reference` package, which
 * containerd and Docker follow): the first path component is a registry only
 * when it has a `.` or a `:` or is `localhost`; otherwise the image is on
 * Docker Hub (`docker.io`), where a one-component name is under `library/`;
 * `index.docker.io` is Docker Hub too; no tag and no digest means `:latest`.
 */

export const DOCKER_HUB = 'docker.io';

export interface ImageReference {
  /** Registry host (and port): `docker.io`, `quay.io`, `registry.example:5000`. */
  registry: string;
  /** Path inside the registry: `library/nginx`, `prometheus/prometheus`. */
  repository: string;
  tag?: string;
  /** `sha256:<hex>`. */
  digest?: string;
  /** The full reference: `docker.io/library/nginx:1.27`, `quay.io/x/y@sha256:...`. */
  full: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?$|^\[[0-9a-fA-F:]+\](?::[0-9]+)?$/;

/** The full form of an image reference, or an error text saying what is wrong with it. */
// eslint-disable-next-line complexity -- the image reference grammar part by part (digest, tag, registry, repository), with Docker Hub's defaults (docker.io, library/, latest)
export function parseImage(text: string): ImageReference | { error: string } {
  const ref = text.trim();
  if (!ref) return { error: 'empty image reference' };
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return { error: `invalid digest ${JSON.stringify(digest)}` };
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return { error: `invalid tag ${JSON.stringify(tag)}` };
  }
  const slash = rest.indexOf('/');
  const first = slash === -1 ? rest : rest.slice(0, slash);
  const hasRegistry = slash !== -1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  let registry = hasRegistry ? first : DOCKER_HUB;
  let repository = hasRegistry ? rest.slice(slash + 1) : rest;
  if (!DOMAIN.test(registry)) return { error: `invalid registry ${JSON.stringify(registry)}` };
  if (registry === 'index.docker.io') registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;
  if (!repository || !repository.split('/').every((c) => COMPONENT.test(c))) {
    return { error: `invalid repository ${JSON.stringify(repository)}${/[A-Z]/.test(repository) ? ' (must be lowercase)' : ''}` };
  }
  if (tag === undefined && digest === undefined) tag = 'latest';
  const full = `${registry}/${repository}${tag !== undefined ? `:${tag}` : ''}${digest !== undefined ? `@${digest}` : ''}`;
  return { registry, repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}), full };
}

export function isImageReference(r: ImageReference | { error: string }): r is ImageReference {
  return !('error' in r);
}

/**
 * A string that is, beyond doubt, an image reference written out in full: an
 * explicit registry host with a dot, a path, and a tag or digest (what
 * operators take in flags such as `--prometheus-config-reloader=quay.io/...:v1`).
 */
export const FULL_REFERENCE = /^(?:[a-z0-9-]+\.)+[a-z0-9-]+(?::\d+)?\/[a-z0-9._/-]+(?::\w[\w.-]{0,127})?(?:@sha256:[0-9a-f]{64})?$/;

export function looksLikeFullReference(text: string): boolean {
  return FULL_REFERENCE.test(text) && (/:\w[\w.-]*$/.test(text.slice(text.lastIndexOf('/'))) || text.includes('@sha256:'));
}
