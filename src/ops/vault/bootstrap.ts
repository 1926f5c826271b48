/**
 * Vault's first start: initialise (once), unseal every server pod, then
 * configure what the platform needs. Safe to run again: an initialised Vault
 * is only unsealed, and configuration writes only what is missing.
 */
import { homedir, tmpdir } from 'node:os';
import { waitFor } from '../../cluster/index.js';
import type { DesiredState } from '../../desired/index.js';
import { UsageError } from '../../lib/errors.js';
import type { K8sObject } from '../../model/k8s.js';
import type { OpsContext } from '../context.js';
import { retrying, retryPolicy, type VaultApi, vaultCall, VaultError, vaultThroughCluster } from './api.js';
import { configureVault } from './configure.js';
import { gitWorkTree, readKeysFile, reserveKeysFile, type SavedKeys, type VaultKeys } from './keys-file.js';
import { esoBinding, VAULT_UNIT, vaultTarget } from './target.js';

export interface VaultOptions {
  keysFile: string;
  waitMs: number;
  /** Key shares and how many unseal; default 5 and 3. */
  shares?: number;
  threshold?: number;
  /** Where the keys go when `keysFile` cannot be written after Vault was initialised; default the home and temporary folders. */
  fallbackDirs?: readonly string[];
}

interface SealStatus {
  initialized?: boolean;
  sealed?: boolean;
  t?: number;
  progress?: number;
}

const running = (p: K8sObject) => (p.status as { phase?: string } | undefined)?.phase === 'Running';

async function vaultPods(ops: OpsContext, state: DesiredState, waitMs: number): Promise<VaultApi[]> {
  const unit = state.units.find((u) => u.name === VAULT_UNIT);
  if (!unit) throw new UsageError(`the ${VAULT_UNIT} component is not enabled in plinth.yaml`);
  const target = vaultTarget(unit);
  // Every raft voter: the followers join through retry_join once they are unsealed too.
  const replicas = Math.max(1, unit.workloads.find((w) => w.kind === 'StatefulSet')?.replicas ?? 1);
  const pods = await waitFor(ops.client, {
    what: replicas === 1 ? `a Vault server pod to run in namespace ${target.namespace}` : `the ${replicas} Vault server pods to run in namespace ${target.namespace}`,
    apiVersion: 'v1',
    kind: 'Pod',
    list: { namespace: target.namespace, labelSelector: target.podSelector },
    check: (list) => ({ done: list.filter(running).length >= replicas, pending: list.length === 0 ? ['no Vault server pod yet (Argo CD syncs vault)'] : list.map((p) => `pod ${p.metadata.name} is ${(p.status as { phase?: string } | undefined)?.phase ?? 'Pending'}`) }),
    timeoutMs: waitMs,
    pollMs: ops.pollMs,
    hint: '`plinth doctor` explains pending pods and failed syncs',
  });
  return pods
    .filter(running)
    .map((p) => p.metadata.name)
    .sort()
    .map((pod) => retrying(vaultThroughCluster(ops.client, { namespace: target.namespace, pod, port: target.port, scheme: target.scheme }), retryPolicy(ops.pollMs)));
}

async function sealStatus(vault: VaultApi): Promise<SealStatus> {
  return (await vaultCall(vault, 'reading the seal status', 'GET', 'sys/seal-status')).body as SealStatus;
}

async function unsealOne(ops: OpsContext, vault: VaultApi, keys: VaultKeys | undefined, keysFile: string): Promise<'unsealed' | 'was unsealed'> {
  let status = await sealStatus(vault);
  if (!status.sealed) return 'was unsealed';
  if (!keys) {
    throw new VaultError(`Vault ${vault.name} is sealed and there are no unseal keys in ${keysFile}; run \`plinth vault unseal --vault-keys FILE\` with the file written when Vault was initialised`);
  }
  for (const key of keys.unsealKeys) {
    status = (await vaultCall(vault, 'unsealing', 'PUT', 'sys/unseal', { body: { key } })).body as SealStatus;
    if (!status.sealed) break;
  }
  if (status.sealed) throw new VaultError(`Vault ${vault.name} is still sealed after ${keys.unsealKeys.length} keys from ${keysFile}: they do not belong to this Vault`);
  ops.report.line(`      Vault ${vault.name}: unsealed`);
  return 'unsealed';
}

async function loadKeys(ops: OpsContext, keysFile: string): Promise<VaultKeys | undefined> {
  const read = await readKeysFile(keysFile);
  if (!read) return undefined;
  if (read.looseMode) ops.report.warn(`${keysFile} has mode ${read.looseMode}: other users can read Vault's keys; run \`chmod 600 ${keysFile}\``);
  for (const k of read.keys.unsealKeys) ops.secret(k);
  ops.secret(read.keys.rootToken);
  return read.keys;
}

export function keysWarning(keysFile: string): string {
  return [
    `Vault's unseal keys and root token are in ${keysFile} (mode 0600), and nowhere else.`,
    '  Move them to safe storage (a password manager, or offline) now, then delete the file:',
    '  whoever reads it controls every secret of the platform. After each Vault restart,',
    '  `plinth vault unseal --vault-keys FILE` needs them.',
  ].join('\n');
}

/** Initialises Vault once: the keys file's place is taken first, so keys are never handed out with nowhere to go. */
async function initialise(ops: OpsContext, vault: VaultApi, state: DesiredState, options: VaultOptions): Promise<VaultKeys> {
  const tree = gitWorkTree(options.keysFile);
  if (tree) ops.report.warn(`${options.keysFile} is inside the Git work tree ${tree}: never commit it`);
  const slot = await reserveKeysFile(options.keysFile);
  const shares = options.shares ?? 5;
  const threshold = options.threshold ?? 3;
  let reply: { keys_base64?: string[]; keys?: string[]; root_token?: string };
  try {
    reply = (await vaultCall(vault, 'initialising', 'PUT', 'sys/init', { body: { secret_shares: shares, secret_threshold: threshold } })).body as typeof reply;
  } catch (error) {
    await slot.release();
    throw error;
  }
  const unsealKeys = reply.keys_base64 ?? reply.keys ?? [];
  for (const k of [...unsealKeys, ...(reply.keys ?? [])]) ops.secret(k);
  if (reply.root_token) ops.secret(reply.root_token);
  const keys: VaultKeys = { cluster: state.platform.name, unsealKeys, threshold, rootToken: reply.root_token ?? '' };
  const saved = await slot.save(keys, options.fallbackDirs ?? [homedir(), tmpdir()]);
  ops.report.line(`      Vault ${vault.name}: initialised (${shares} key shares, ${threshold} unseal)`);
  reportSaved(ops, saved, options.keysFile);
  return keys;
}

function reportSaved(ops: OpsContext, saved: SavedKeys, wanted: string): void {
  if (saved.previous) ops.report.warn(`an older keys file was kept as ${saved.previous}`);
  if (saved.notAt) {
    ops.report.warn(
      [
        `COULD NOT WRITE ${wanted} (${saved.notAt}).`,
        `  Vault's unseal keys and root token are in ${saved.file} INSTEAD, and nowhere else.`,
        `  Move that file to ${wanted} (or pass --vault-keys ${saved.file}) before the next \`plinth up\` or \`plinth vault unseal\`.`,
      ].join('\n'),
    );
  }
  ops.report.warn(keysWarning(saved.file));
}

export async function bootstrapVault(ops: OpsContext, state: DesiredState, options: VaultOptions): Promise<void> {
  const pods = await vaultPods(ops, state, options.waitMs);
  const first = pods[0]!;
  const init = (await vaultCall(first, 'reading the init status', 'GET', 'sys/init')).body as { initialized?: boolean };
  const keys = init.initialized ? await loadKeys(ops, options.keysFile) : await initialise(ops, first, state, options);
  for (const vault of pods) await unsealOne(ops, vault, keys, options.keysFile);
  if (!keys?.rootToken) {
    ops.report.warn(`Vault was initialised before and ${options.keysFile} has no root token: the kubernetes auth method, the External Secrets role and the platform secrets were not checked; pass --vault-keys FILE`);
    return;
  }
  const done = await configureVault(ops, first, keys.rootToken, esoBinding(state), state.units);
  for (const line of done) ops.report.line(`      Vault: ${line}`);
}

/** `plinth vault unseal`: every sealed Vault server pod, with the keys from the file. */
export async function unsealVault(ops: OpsContext, state: DesiredState, options: VaultOptions): Promise<{ unsealed: number; total: number }> {
  const pods = await vaultPods(ops, state, options.waitMs);
  const keys = await loadKeys(ops, options.keysFile);
  let unsealed = 0;
  for (const vault of pods) if ((await unsealOne(ops, vault, keys, options.keysFile)) === 'unsealed') unsealed++;
  return { unsealed, total: pods.length };
}
