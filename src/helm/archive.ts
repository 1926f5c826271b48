/**
 * Reading files out of a packaged chart (`.tgz`): gunzip, then the ustar
 * format with PAX and GNU long names, as Go's archive/tar (Helm) writes it.
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';

export type ArchiveFiles = Map<string, Buffer>;

function field(block: Buffer, offset: number, length: number): string {
  const raw = block.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? raw.length : end).toString('utf8');
}

function octal(block: Buffer, offset: number, length: number): number {
  const text = field(block, offset, length).trim();
  return text ? parseInt(text, 8) : 0;
}

function paxPath(data: Buffer): string | undefined {
  let rest = data.toString('utf8');
  while (rest.length > 0) {
    const space = rest.indexOf(' ');
    const len = Number(rest.slice(0, space));
    if (!Number.isFinite(len) || len <= 0) return undefined;
    const record = rest.slice(space + 1, len - 1);
    rest = rest.slice(len);
    const eq = record.indexOf('=');
    if (record.slice(0, eq) === 'path') return record.slice(eq + 1);
  }
  return undefined;
}

/** Every regular file of a tar.gz buffer, by path. `filter` keeps only the paths it accepts (saves memory). */
export function untgz(gz: Buffer, filter: (path: string) => boolean = () => true): ArchiveFiles {
  const files: ArchiveFiles = new Map();
  walkTgz(gz, filter, (name, data) => files.set(name, data));
  return files;
}

/** Regular files of a tar.gz buffer with their modification times (seconds since the epoch, from the tar header). */
export function untgzWithTimes(gz: Buffer, filter: (path: string) => boolean = () => true): Map<string, { data: Buffer; mtime: number }> {
  const files = new Map<string, { data: Buffer; mtime: number }>();
  walkTgz(gz, filter, (name, data, mtime) => files.set(name, { data, mtime }));
  return files;
}

function walkTgz(gz: Buffer, filter: (path: string) => boolean, onFile: (name: string, data: Buffer, mtime: number) => void): void {
  const tar = gunzipSync(gz);
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156]!);
    const dataStart = offset + 512;
    const data = tar.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      longName = paxPath(data) ?? longName;
      continue;
    }
    if (type === 'L') {
      longName = field(data, 0, data.length);
      continue;
    }
    if (type === 'g') continue;
    const prefix = field(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    longName = undefined;
    if ((type === '0' || type === '\0') && filter(name)) onFile(name, Buffer.from(data), octal(header, 136, 12));
  }
}

export async function readArchive(file: string, filter?: (path: string) => boolean): Promise<ArchiveFiles> {
  return untgz(await readFile(file), filter);
}
