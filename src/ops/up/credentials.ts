/**
 * Credentials of the GitOps repository, for Argo CD: from a local file
 * (`--repo-credentials FILE`: YAML with username and password or token, or
 * sshPrivateKeyFile) or from the environment (PLINTH_GIT_USERNAME with
 * PLINTH_GIT_PASSWORD or PLINTH_GIT_TOKEN; PLINTH_GIT_SSH_KEY_FILE). They go
 * straight into an Argo CD repository Secret: never into Git, never printed.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../lib/errors.js';
import { contractProblems, expectContract, type InputKind, parseYamlDocument } from '../../lib/input-file.js';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../../model/labels.js';
import type { K8sObject } from '../../model/k8s.js';

export const REPO_SECRET = 'plinth-gitops-repo';

export interface RepoCredentials {
  url: string;
  username?: string;
  password?: string;
  sshPrivateKey?: string;
  /** Where they came from, for messages: `file <path>` or `environment`. */
  origin: string;
}

const secretText = z.string({ error: 'a string' }).min(1, { error: 'a non-empty string' });

/** The contract of a credentials file: what `--repo-credentials FILE` may hold. */
const credentialsSchema = z.strictObject(
  { username: secretText.optional(), password: secretText.optional(), token: secretText.optional(), sshPrivateKey: secretText.optional(), sshPrivateKeyFile: secretText.optional() },
  { error: 'a map with username and password or token, or sshPrivateKeyFile' },
);

const CREDENTIALS: InputKind = {
  expected: 'a map with username and password or token, or sshPrivateKeyFile',
  hint: 'write `username: git` and `token: ...` (or `sshPrivateKeyFile: PATH`) in the file, one key per line',
  maxBytes: 64 * 1024,
  secret: true,
};

/** A file named by the user (credentials, an SSH key): read, or a ConfigError (exit 2) that says why without quoting it. */
async function readNamed(path: string, shown: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new ConfigError([{ file: shown, message: `cannot read ${what} (${code ?? 'unreadable'})`, hint: code === 'ENOENT' ? 'check the path' : 'check that the file is readable by you' }], { cause });
  }
}

/** plinth.yaml `bootstrap.repoCredentialsFile` (read from any config shape, so tests can pass plain objects). */
export function configuredCredentialsFile(config: unknown): string | undefined {
  const value = (config as { bootstrap?: { repoCredentialsFile?: unknown } } | undefined)?.bootstrap?.repoCredentialsFile;
  return typeof value === 'string' && value ? value : undefined;
}

export async function readRepoCredentials(o: {
  file?: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  repoUrl: string;
  warn(text: string): void;
}): Promise<RepoCredentials | undefined> {
  if (o.file) {
    const path = resolve(o.cwd, o.file);
    const text = await readNamed(path, o.file, 'the repository credentials file');
    if (((await stat(path)).mode & 0o077) !== 0) o.warn(`${o.file} can be read by other users; restrict it with \`chmod 600 ${o.file}\``);
    const input = parseYamlDocument(text, o.file, CREDENTIALS);
    const checked = contractProblems(input, credentialsSchema, CREDENTIALS, (d) => {
      const c = (d ?? {}) as Record<string, unknown>;
      return typeof c === 'object' && !Array.isArray(c) && !c.sshPrivateKey && !c.sshPrivateKeyFile && !c.password && !c.token ? [{ path: [], message: `the file has no credentials; expected ${CREDENTIALS.expected}` }] : [];
    });
    const parsed = expectContract(checked);
    const key = parsed.sshPrivateKey ?? (parsed.sshPrivateKeyFile ? await readNamed(resolve(o.cwd, parsed.sshPrivateKeyFile), parsed.sshPrivateKeyFile, `the SSH key that ${o.file} names (sshPrivateKeyFile)`) : undefined);
    const password = parsed.password ?? parsed.token;
    return { url: o.repoUrl, username: parsed.username ?? (password ? 'git' : undefined), password, sshPrivateKey: key, origin: `file ${o.file}` };
  }
  const password = o.env.PLINTH_GIT_PASSWORD ?? o.env.PLINTH_GIT_TOKEN;
  const keyFile = o.env.PLINTH_GIT_SSH_KEY_FILE;
  if (!password && !keyFile) return undefined;
  const key = keyFile ? await readNamed(resolve(o.cwd, keyFile), keyFile, 'the SSH key PLINTH_GIT_SSH_KEY_FILE names') : undefined;
  return { url: o.repoUrl, username: o.env.PLINTH_GIT_USERNAME ?? (password ? 'git' : undefined), password, sshPrivateKey: key, origin: 'environment' };
}

/** The secret values, for redaction. */
export function credentialValues(c: RepoCredentials): string[] {
  return [c.password, c.sshPrivateKey].filter((v): v is string => Boolean(v));
}

/** An Argo CD repository Secret (label `argocd.argoproj.io/secret-type: repository`). */
export function repoSecret(c: RepoCredentials, namespace: string): K8sObject {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  const data: Record<string, string> = { type: b64('git'), url: b64(c.url) };
  if (c.username) data.username = b64(c.username);
  if (c.password) data.password = b64(c.password);
  if (c.sshPrivateKey) data.sshPrivateKey = b64(c.sshPrivateKey);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: REPO_SECRET, namespace, labels: { 'argocd.argoproj.io/secret-type': 'repository', [MANAGED_BY_LABEL]: MANAGED_BY } },
    type: 'Opaque',
    data,
  };
}

/**
 * The same credentials for Flux's GitRepository (`secretRef`): `username` and
 * `password` for http(s), `identity` for ssh. The GitRepository always names
 * this Secret, so `up` writes it even for a public repository, with no keys.
 */
export function fluxRepoSecret(c: RepoCredentials | undefined, namespace: string, name: string): K8sObject {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  const data: Record<string, string> = {};
  if (c?.username && c.password) data.username = b64(c.username);
  if (c?.password) data.password = b64(c.password);
  if (c?.sshPrivateKey) data.identity = b64(c.sshPrivateKey);
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace, labels: { [MANAGED_BY_LABEL]: MANAGED_BY } }, type: 'Opaque', data };
}
