/**
 * Writing a sealed file (`plinth seal --out FILE`): atomically (a temporary
 * file in the same folder, renamed over the target), and only over a file
 * Plinth wrote or one that holds SealedSecrets only. Anything else there (a
 * plaintext Secret, someone's notes) is refused, never overwritten.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseYamlStream, toYaml } from '../lib/yaml.js';
import type { K8sObject } from '../model/k8s.js';
import { SealError } from './errors.js';

export const SEALED_HEADER = '# Written by `plinth seal`: encrypted for the Sealed Secrets controller; safe to commit.\n';

/** The text of a sealed file: the header, then the SealedSecret. */
export function sealedFileText(sealed: K8sObject): string {
  return `${SEALED_HEADER}${toYaml(sealed)}`;
}

/** Whether a file's text may be replaced: Plinth's header, or SealedSecrets and nothing else. */
export function replaceable(text: string): boolean {
  if (text.startsWith(SEALED_HEADER)) return true;
  try {
    const docs = parseYamlStream(text);
    return docs.length > 0 && docs.every((d) => typeof d === 'object' && (d as { kind?: unknown }).kind === 'SealedSecret');
  } catch {
    return false;
  }
}

export async function writeSealedFile(path: string, display: string, text: string): Promise<void> {
  const target = resolve(path);
  if (existsSync(target)) {
    const before = await readFile(target, 'utf8').catch((cause: NodeJS.ErrnoException) => {
      throw new SealError(`--out ${display}: cannot read the existing file (${cause.code ?? cause.message})`);
    });
    if (!replaceable(before)) {
      throw new SealError(`--out ${display}: the file exists and is not a SealedSecret Plinth wrote; refusing to overwrite it`, 'choose another --out, or move the file away first');
    }
  }
  await mkdir(dirname(target), { recursive: true });
  const partial = `${target}.plinth-${process.pid}.partial`;
  try {
    await writeFile(partial, text, { mode: 0o644 });
    await rename(partial, target);
  } finally {
    await rm(partial, { force: true });
  }
}
