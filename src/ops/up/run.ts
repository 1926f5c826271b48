/**
 * The shared state of one `plinth up` run: the desired state, the options,
 * rendered units (cached), and counts of what was (or would be) done.
 */
import { refText } from '../../cluster/index.js';
import type { DesiredState } from '../../desired/index.js';
import type { K8sObject } from '../../model/k8s.js';
import type { Unit } from '../../model/unit.js';
import type { ObjectAction } from '../apply.js';
import type { OpsContext } from '../context.js';
import { bootstrapCrds, isCrd } from '../../desired/bootstrap.js';
import type { UnitRenderer } from '../render.js';
import type { RepoCredentials } from './credentials.js';

export interface UpOptions {
  dryRun: boolean;
  renderer: UnitRenderer;
  /** Read by the command from a local file or the environment; never from Git. */
  repoCredentials?: RepoCredentials;
  /** Where Vault's unseal keys and root token go (and are read from). */
  vaultKeysFile: string;
  /** Where the Sealed Secrets controller's certificate goes once it runs (what `plinth seal` reads). */
  sealingCertFile?: string;
  /** Limit of each wait of the bootstrap (network, CRDs, engine, Vault pods). */
  waitMs: number;
  /** Limit of following the Applications until all are Synced and Healthy. */
  followMs: number;
}

export interface Tally {
  create: number;
  update: number;
  unchanged: number;
  skip: number;
}

export class UpRun {
  readonly tally: Tally = { create: 0, update: 0, unchanged: 0, skip: 0 };
  private crdKindsCache?: Promise<Set<string>>;

  constructor(
    readonly ops: OpsContext,
    readonly state: DesiredState,
    readonly options: UpOptions,
  ) {}

  get client() {
    return this.ops.client;
  }

  get dryRun(): boolean {
    return this.options.dryRun;
  }

  unit(name: string): Unit | undefined {
    return this.state.units.find((u) => u.name === name);
  }

  render(unit: Unit): Promise<K8sObject[]> {
    return this.options.renderer.render(unit, this.state.units);
  }

  /** Every CRD the units' charts and upstream manifests carry, first occurrence of each name. */
  async crds(): Promise<K8sObject[]> {
    const rendered = new Map<string, K8sObject[]>();
    for (const u of this.state.units) rendered.set(u.name, await this.render(u));
    return bootstrapCrds(this.state.units, rendered);
  }

  /** The unit each of those CRDs comes from (the first that renders it). */
  async crdOwners(): Promise<Map<string, Unit>> {
    const owners = new Map<string, Unit>();
    for (const u of this.state.units) for (const o of await this.render(u)) if (isCrd(o) && !owners.has(o.metadata.name)) owners.set(o.metadata.name, u);
    return owners;
  }

  /** `group/Kind` of every type those CRDs define: served once the CRD phase has run. */
  crdKinds(): Promise<Set<string>> {
    this.crdKindsCache ??= this.crds().then(
      (crds) => new Set(crds.map((c) => `${(c.spec as { group: string }).group}/${(c.spec as { names: { kind: string } }).names.kind}`)),
    );
    return this.crdKindsCache;
  }

  async servedLater(): Promise<(apiVersion: string, kind: string) => boolean> {
    const kinds = await this.crdKinds();
    return (apiVersion, kind) => kinds.has(`${apiVersion.split('/')[0]}/${kind}`);
  }

  /** Reports the actions of a step: every one in a dry run, changes and a count otherwise. */
  printActions(actions: readonly ObjectAction[]): void {
    let unchanged = 0;
    for (const a of actions) {
      this.tally[a.verb]++;
      if (a.verb === 'unchanged' && !this.dryRun) {
        unchanged++;
        continue;
      }
      this.ops.report.line(`      ${a.verb.padEnd(9)} ${refText(a.ref)}${a.note ? ` (${a.note})` : ''}`);
    }
    if (unchanged > 0) this.ops.report.line(`      ${unchanged} unchanged`);
  }
}
