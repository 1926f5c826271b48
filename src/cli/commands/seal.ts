/**
 * `plinth seal [FILE] [--name N --namespace NS --from-literal K=V --from-file [K=]PATH] [--scope S] [--cert FILE] [--out FILE]`:
 * encrypt a Secret for the cluster's Sealed Secrets controller, offline. The
 * certificate is --cert, else the file `plinth up` saves for the cluster of
 * plinth.yaml. Prints the SealedSecret, or writes it to --out. Never prints a value.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { defaultSealingCertFile } from '../../ops/sealed-secrets.js';
import { gitWorkTree } from '../../ops/vault/keys-file.js';
import { SealError } from '../../secrets/errors.js';
import { fileArgument, literal, secretFromManifest, secretFromValues, type ValueSource } from '../../secrets/input.js';
import { sealedFileText, writeSealedFile } from '../../secrets/out-file.js';
import { SCOPES, sealingKeyFromCertificate, sealSecret, type SealingScope, type SecretToSeal } from '../../secrets/seal.js';
import { UsageError } from '../../lib/errors.js';
import type { CommandSpec } from '../command.js';
import { loadConfigFor } from '../config-arg.js';
import type { CliIO } from '../io.js';

const list = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : typeof v === 'string' ? [v] : []);

async function readInput(io: CliIO, path: string, display: string, what: string): Promise<Buffer> {
  try {
    return await readFile(resolve(io.cwd, path));
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new SealError(`${what} ${display}: ${code === 'ENOENT' ? 'file not found' : `cannot read it (${code ?? (cause as Error).message})`}`);
  }
}

async function certificateFile(io: CliIO, flag: string | undefined, configFlag: string | undefined): Promise<{ path: string; display: string; isDefault: boolean }> {
  if (flag) return { path: resolve(io.cwd, flag), display: flag, isDefault: false };
  const loaded = await loadConfigFor(io, configFlag);
  const path = defaultSealingCertFile(loaded.config.cluster.name, io.env);
  return { path, display: path, isDefault: true };
}

async function secretToSeal(io: CliIO, args: { positionals: string[]; values: Record<string, unknown> }): Promise<SecretToSeal> {
  const name = args.values.name as string | undefined;
  const namespace = args.values.namespace as string | undefined;
  const literals = list(args.values['from-literal']);
  const files = list(args.values['from-file']);
  if (args.positionals.length > 1) throw new UsageError(`seal takes one Secret manifest; got ${args.positionals.length} files`);
  const manifest = args.positionals[0];
  if (manifest !== undefined) {
    if (literals.length > 0 || files.length > 0) throw new UsageError('give either a Secret manifest or --from-literal/--from-file, not both');
    const text = (await readInput(io, manifest, manifest, 'Secret manifest')).toString('utf8');
    const tree = gitWorkTree(resolve(io.cwd, manifest));
    if (tree) io.stderr.write(`warning: the plaintext Secret ${manifest} is inside the Git work tree ${tree}; never commit it (delete it once sealed, or keep it outside the repository)\n`);
    return secretFromManifest(text, manifest, { ...(name ? { name } : {}), ...(namespace ? { namespace } : {}) });
  }
  if (literals.length === 0 && files.length === 0) throw new UsageError('nothing to seal: give a Secret manifest FILE, or --name, --namespace and --from-literal KEY=VALUE / --from-file [KEY=]PATH');
  const values: ValueSource[] = literals.map(literal);
  for (const arg of files) {
    const { key, path } = fileArgument(arg);
    values.push({ key, value: await readInput(io, path, path, '--from-file'), origin: `--from-file ${arg}` });
  }
  return secretFromValues({ ...(name ? { name } : {}), ...(namespace ? { namespace } : {}) }, values, (args.values.type as string | undefined) ?? 'Opaque');
}

export const sealCommand: CommandSpec = {
  name: 'seal',
  summary: 'encrypt a Secret for the Sealed Secrets controller, offline (the same SealedSecret kubeseal writes)',
  usage: 'plinth seal [FILE] [--name NAME --namespace NS --from-literal KEY=VALUE --from-file [KEY=]PATH] [--scope strict|namespace-wide|cluster-wide] [--cert FILE] [--out FILE]',
  positionals: true,
  options: {
    cert: { type: 'string', description: "the controller's certificate (default: the file `plinth up` saves, ~/.config/plinth/<cluster>/sealed-secrets-cert.pem)" },
    config: { type: 'string', description: 'plinth.yaml naming the cluster (for the default certificate file)' },
    name: { type: 'string', description: 'Secret name (overrides the manifest)' },
    namespace: { type: 'string', description: 'Secret namespace (must agree with the manifest)' },
    'from-literal': { type: 'string', multiple: true, description: 'a value KEY=VALUE (repeatable)' },
    'from-file': { type: 'string', multiple: true, description: "a value read from a file, [KEY=]PATH (key: the file's name; repeatable)" },
    type: { type: 'string', description: 'Secret type for --from-literal/--from-file (default Opaque)' },
    scope: { type: 'string', description: `where it may be unsealed: ${SCOPES.join(', ')} (default: the manifest's scope annotations, else strict)` },
    out: { type: 'string', description: 'write the SealedSecret to this file (atomically; only over a SealedSecret) instead of stdout' },
  },
  async run(io, args) {
    const scopeArg = args.values.scope as string | undefined;
    if (scopeArg !== undefined && !(SCOPES as readonly string[]).includes(scopeArg)) throw new UsageError(`--scope: got ${JSON.stringify(scopeArg)}; expected one of: ${SCOPES.join(', ')}`);
    const secret = await secretToSeal(io, args);
    const cert = await certificateFile(io, args.values.cert as string | undefined, args.values.config as string | undefined);
    let pem: string;
    try {
      pem = await readFile(cert.path, 'utf8');
    } catch {
      throw new SealError(
        `no certificate at ${cert.display}`,
        cert.isDefault
          ? "`plinth up` saves the controller's certificate there; or pass --cert FILE (e.g. from `kubeseal --fetch-cert`)"
          : 'pass the path of the controller\'s certificate (PEM)',
      );
    }
    const key = sealingKeyFromCertificate(pem, cert.display, new Date());
    const sealed = sealSecret(secret, key, scopeArg as SealingScope | undefined);
    const text = sealedFileText(sealed);
    const out = args.values.out as string | undefined;
    if (out === undefined) {
      io.stdout.write(text);
      return 0;
    }
    await writeSealedFile(resolve(io.cwd, out), out, text);
    const keys = Object.keys((sealed.spec as { encryptedData: Record<string, string> }).encryptedData);
    io.stderr.write(`Sealed ${secret.namespace}/${secret.name} (${keys.length} key${keys.length === 1 ? '' : 's'}: ${keys.join(', ')}) into ${out}.\n`);
    return 0;
  },
};
