/** Paths into plinth.yaml as error messages write them. */

export type DataPath = readonly (string | number)[];

/** `cluster.nodes[2].memory` from `['cluster', 'nodes', 2, 'memory']`. */
export function formatPath(path: DataPath): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out;
}
