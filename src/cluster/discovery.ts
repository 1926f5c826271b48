/**
 * Discovery: which resource serves an apiVersion and kind, and whether it is
 * namespaced. Answers are cached per group/version; a miss is asked again,
 * since a CRD that becomes established adds resources while Plinth runs.
 */
import { ClusterApiError } from './errors.js';
import type { Transport } from './transport.js';
import type { ApiResourceInfo } from './types.js';

interface ApiResourceList {
  groupVersion: string;
  resources: { name: string; kind: string; namespaced: boolean; verbs?: string[] }[];
}

export function groupVersionPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

export class Discovery {
  private readonly cache = new Map<string, Map<string, ApiResourceInfo>>();

  constructor(private readonly transport: Transport) {}

  async resource(apiVersion: string, kind: string): Promise<ApiResourceInfo | undefined> {
    const known = this.cache.get(apiVersion)?.get(kind);
    if (known) return known;
    const fresh = await this.fetch(apiVersion);
    return fresh?.get(kind);
  }

  private async fetch(apiVersion: string): Promise<Map<string, ApiResourceInfo> | undefined> {
    let list: ApiResourceList;
    try {
      list = (await this.transport.json({ method: 'GET', path: groupVersionPath(apiVersion) })).value as ApiResourceList;
    } catch (error) {
      if (error instanceof ClusterApiError && error.status === 404) return undefined;
      throw error;
    }
    const slash = apiVersion.indexOf('/');
    const group = slash === -1 ? '' : apiVersion.slice(0, slash);
    const version = slash === -1 ? apiVersion : apiVersion.slice(slash + 1);
    const byKind = new Map<string, ApiResourceInfo>();
    for (const r of list.resources ?? []) {
      if (r.name.includes('/')) continue; // subresources
      byKind.set(r.kind, { group, version, kind: r.kind, plural: r.name, namespaced: r.namespaced, verbs: r.verbs ?? [] });
    }
    this.cache.set(apiVersion, byKind);
    return byKind;
  }
}
