/**
 * What Vault must hold for the platform, written only where it is missing or
 * different: KV v2 at the platform mount, the kubernetes auth method, the
 * policy and role External Secrets logs in with, and the units' secrets.
 */
import type { Unit } from '../../model/unit.js';
import type { OpsContext } from '../context.js';
import { type VaultApi, vaultCall, VaultError } from './api.js';
import { fillSecret, fixedKeys } from './secrets.js';
import type { EsoBinding } from './target.js';

const KUBERNETES_HOST = 'https://kubernetes.default.svc:443';
const TOKEN_TTL_SECONDS = 3600;

type Data = Record<string, unknown>;
const dataOf = (body: unknown): Data => ((body as { data?: Data } | undefined)?.data ?? {}) as Data;
const sameList = (a: unknown, b: readonly string[]) => Array.isArray(a) && [...a].map(String).sort().join(',') === [...b].sort().join(',');

export function esoPolicy(kvMount: string): string {
  return `# Written by plinth up: External Secrets reads the platform secrets.\npath "${kvMount}/data/*" {\n  capabilities = ["read"]\n}\npath "${kvMount}/metadata/*" {\n  capabilities = ["read", "list"]\n}\n`;
}

/** `env`: where provided secrets (a tunnel token) come from the first time. */
export async function configureVault(ops: OpsContext, vault: VaultApi, token: string, eso: EsoBinding, units: readonly Unit[], env: Readonly<Record<string, string | undefined>> = process.env): Promise<string[]> {
  const done: string[] = [];
  const t = { token };

  const mounts = dataOf((await vaultCall(vault, 'listing secret engines', 'GET', 'sys/mounts', t)).body);
  const kv = mounts[`${eso.kvMount}/`] as { type?: string; options?: { version?: string } } | undefined;
  if (!kv) {
    await vaultCall(vault, `enabling KV v2 at ${eso.kvMount}/`, 'POST', `sys/mounts/${eso.kvMount}`, { ...t, body: { type: 'kv', options: { version: '2' } } });
    done.push(`KV v2 enabled at ${eso.kvMount}/`);
  } else if (kv.type !== 'kv' || kv.options?.version !== '2') {
    throw new VaultError(`Vault ${vault.name}: ${eso.kvMount}/ is a ${kv.type} engine${kv.options?.version ? ` version ${kv.options.version}` : ''}; the platform needs KV version 2 there`);
  }

  const auths = dataOf((await vaultCall(vault, 'listing auth methods', 'GET', 'sys/auth', t)).body);
  if (!auths[`${eso.authMount}/`]) {
    await vaultCall(vault, 'enabling the kubernetes auth method', 'POST', `sys/auth/${eso.authMount}`, { ...t, body: { type: 'kubernetes' } });
    done.push(`kubernetes auth enabled at auth/${eso.authMount}`);
  }
  const config = await vaultCall(vault, 'reading the kubernetes auth config', 'GET', `auth/${eso.authMount}/config`, { ...t, missingOk: true });
  if (dataOf(config.body).kubernetes_host !== KUBERNETES_HOST) {
    await vaultCall(vault, 'configuring the kubernetes auth method', 'POST', `auth/${eso.authMount}/config`, { ...t, body: { kubernetes_host: KUBERNETES_HOST } });
    done.push(`kubernetes auth talks to ${KUBERNETES_HOST}`);
  }

  const policyText = esoPolicy(eso.kvMount);
  const policy = await vaultCall(vault, `reading policy ${eso.policy}`, 'GET', `sys/policies/acl/${eso.policy}`, { ...t, missingOk: true });
  if (dataOf(policy.body).policy !== policyText) {
    await vaultCall(vault, `writing policy ${eso.policy}`, 'PUT', `sys/policies/acl/${eso.policy}`, { ...t, body: { policy: policyText } });
    done.push(`policy ${eso.policy} reads ${eso.kvMount}/`);
  }
  const role = dataOf((await vaultCall(vault, `reading role ${eso.role}`, 'GET', `auth/${eso.authMount}/role/${eso.role}`, { ...t, missingOk: true })).body);
  const roleOk =
    sameList(role.bound_service_account_names, [eso.serviceAccount]) &&
    sameList(role.bound_service_account_namespaces, [eso.serviceAccountNamespace]) &&
    sameList(role.token_policies, [eso.policy]) &&
    Number(role.token_ttl) === TOKEN_TTL_SECONDS;
  if (!roleOk) {
    await vaultCall(vault, `writing role ${eso.role}`, 'POST', `auth/${eso.authMount}/role/${eso.role}`, {
      ...t,
      body: {
        bound_service_account_names: [eso.serviceAccount],
        bound_service_account_namespaces: [eso.serviceAccountNamespace],
        token_policies: [eso.policy],
        token_ttl: TOKEN_TTL_SECONDS,
      },
    });
    done.push(`role ${eso.role} for service account ${eso.serviceAccountNamespace}/${eso.serviceAccount}`);
  }

  for (const unit of units) {
    for (const secret of unit.secrets) {
      const path = `${eso.kvMount}/data/${secret.path}`;
      const reply = await vaultCall(vault, `reading ${eso.kvMount}/${secret.path}`, 'GET', path, { ...t, missingOk: true });
      const current = (dataOf(reply.body).data ?? {}) as Record<string, string>;
      const version = Number((dataOf(reply.body).metadata as { version?: number } | undefined)?.version ?? 0);
      const filled = fillSecret(secret, current, env);
      // Every value is a secret but the fixed ones of the declaration (a user name), which are in the repository anyway.
      const fixed = fixedKeys(secret);
      for (const [k, v] of Object.entries(filled.data)) if (!fixed.includes(k)) ops.secret(String(v));
      if (filled.created.length === 0) continue;
      await vaultCall(vault, `writing ${eso.kvMount}/${secret.path}`, 'POST', path, { ...t, body: { data: filled.data, options: { cas: reply.status === 404 ? 0 : version } } });
      const generated = filled.created.filter((k) => !filled.fixed.includes(k));
      const what = [...(generated.length ? [`generated ${generated.join(', ')}`] : []), ...(filled.fixed.length ? [`set ${filled.fixed.join(', ')} to ${filled.fixed.length === 1 ? 'its' : 'their'} fixed value`] : [])];
      done.push(`${eso.kvMount}/${secret.path}: ${what.join('; ')} (${unit.name})`);
    }
  }
  return done;
}
