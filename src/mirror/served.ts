/**
 * What a running chart mirror serves, read over HTTP: its index.yaml and the
 * refs each Git repository advertises (smart HTTP, `info/refs`). Bounded by a
 * timeout; an unreachable mirror is an answer (undefined), not an exception.
 */
import YAML from 'yaml';
import { mirrorBase } from '../desired/mirror.js';

export interface ServedMirror {
  /** The parsed index.yaml, or undefined when it could not be read. */
  index?: { entries?: Record<string, { version?: string; digest?: string }[]> };
  indexError?: string;
  /** Git repository URL → advertised refs (undefined when it did not answer as Git). */
  gitRefs: Map<string, string[] | undefined>;
}

type Fetch = (url: string, init?: { signal?: AbortSignal }) => Promise<{ status: number; text(): Promise<string> }>;

/** The ref names of a smart-HTTP `info/refs` advertisement (pkt-lines). */
export function advertisedRefs(body: string): string[] {
  const refs: string[] = [];
  let at = 0;
  while (at + 4 <= body.length) {
    const len = parseInt(body.slice(at, at + 4), 16);
    if (Number.isNaN(len)) break;
    if (len === 0) {
      at += 4;
      continue;
    }
    const line = body.slice(at + 4, at + len).replace(/\n$/, '');
    at += len;
    const m = /^[0-9a-f]{40} ([^\0]+)/.exec(line);
    if (m) refs.push(m[1]!);
  }
  return refs;
}

export async function readServedMirror(mirror: string, gitRepoUrls: readonly string[], opts: { fetch?: Fetch; timeoutMs?: number } = {}): Promise<ServedMirror> {
  const get: Fetch = opts.fetch ?? ((url, init) => fetch(url, init));
  const timeout = opts.timeoutMs ?? 5000;
  const read = async (url: string): Promise<{ status: number; body: string } | { error: string }> => {
    try {
      const res = await get(url, { signal: AbortSignal.timeout(timeout) });
      return { status: res.status, body: await res.text() };
    } catch (e) {
      return { error: (e as Error).message };
    }
  };
  const served: ServedMirror = { gitRefs: new Map() };
  const index = await read(`${mirrorBase(mirror)}/index.yaml`);
  if ('error' in index) served.indexError = index.error;
  else if (index.status !== 200) served.indexError = `HTTP ${index.status}`;
  else {
    try {
      served.index = YAML.parse(index.body) as ServedMirror['index'];
    } catch (e) {
      served.indexError = `not YAML (${(e as Error).message})`;
    }
  }
  for (const url of [...new Set(gitRepoUrls)].sort()) {
    const r = await read(`${url}/info/refs?service=git-upload-pack`);
    served.gitRefs.set(url, 'error' in r || r.status !== 200 ? undefined : advertisedRefs(r.body));
  }
  return served;
}
