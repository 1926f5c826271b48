/** The GitOps repository as data: relative path → file content. */

export type RepoFiles = Map<string, string>;

export function sortedFiles(files: RepoFiles): RepoFiles {
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** `Certificate` `plinth-root-ca` → `certificate-plinth-root-ca.yaml`; namespaced objects from other namespaces get it in the name. */
export function manifestFileName(kind: string, name: string, namespace: string | undefined, unitNamespace: string): string {
  const parts = [kind.toLowerCase(), ...(namespace && namespace !== unitNamespace ? [namespace] : []), name];
  return `${parts.join('-').replace(/[^a-z0-9.-]/g, '-')}.yaml`;
}
