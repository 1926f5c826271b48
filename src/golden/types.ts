/**
 * Golden paths as data: a template is its parameters (what a developer
 * chooses) plus a pure render function per version. The files a template
 * writes record its name and version, so `plinth upgrade service` can
 * re-render a service with the newest version and the values chosen then.
 */
import type { SharedRefs } from '../catalog/component.js';
import type { K8sObject } from '../model/k8s.js';
import type { Platform } from '../model/platform.js';

/** One secret a service reads: environment variable `env` from key `key` of Vault KV entry `path`. */
export interface SecretRef {
  env: string;
  provider: 'vault';
  path: string;
  key: string;
}

/** What a developer chose; each template reads the fields it declares. */
export interface GoldenValues {
  team: string;
  name: string;
  image: string;
  port?: number;
  expose?: boolean;
  replicas?: number;
  schedule?: string;
  metricsPath?: string;
  secrets?: SecretRef[];
}

export type ParamType = 'string' | 'integer' | 'boolean' | 'secrets';

/** A parameter of a template: drives the CLI flags, the portal form and validation. */
export interface TemplateParam {
  name: keyof GoldenValues;
  label: string;
  type: ParamType;
  required: boolean;
  help: string;
  default?: string | number | boolean;
  min?: number;
  max?: number;
  /** First template version that reads it. */
  since?: number;
}

export interface RenderContext {
  platform: Platform;
  refs: SharedRefs;
  /** The version being rendered (the newest, or an older one a service was written with). */
  version: number;
}

/** What a template renders for one service, before the record and the engine's wiring are added. */
export interface RenderedService {
  /** Namespace the service runs in (the team's first). */
  namespace: string;
  manifests: K8sObject[];
  /** Host names it is reachable on (for the catalog and the portal). */
  hosts: string[];
  /** Backstage Component type: service, worker, cronjob. */
  componentType: string;
}

export interface GoldenTemplate {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  /** Versions, oldest first, each with what it changed; the last is the newest. */
  readonly versions: readonly { version: number; notes: string }[];
  readonly params: readonly TemplateParam[];
  render(ctx: RenderContext, values: GoldenValues): RenderedService;
}

export const newestVersion = (t: GoldenTemplate): number => t.versions[t.versions.length - 1]!.version;
