/**
 * Bounds on what the config loader reads, so hostile or broken input ends in
 * a config error instead of a crash or a hang. Each bound is stated in the
 * message that enforces it.
 */

export const LIMITS = {
  /** plinth.yaml is a few KiB; a MiB is far beyond any real platform. */
  fileBytes: 1024 * 1024,
  /** Maps and lists inside each other; the deepest Helm values we know are under 20. */
  depth: 64,
  /** One string scalar (a values override such as a config file inlined). */
  stringBytes: 256 * 1024,
  /** Alias expansions (`*name`) in one document: more is an alias bomb. */
  aliases: 100,
} as const;

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

/** Where the first byte that is not UTF-8 sits: 0-based offset, 1-based line and column (in bytes), or undefined when all is UTF-8. */
export function firstInvalidUtf8(bytes: Uint8Array): { offset: number; line: number; column: number } | undefined {
  const offset = invalidOffset(bytes);
  if (offset === undefined) return undefined;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}

function invalidOffset(bytes: Uint8Array): number | undefined {
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length === 0) return i;
    i += length;
  }
  return undefined;
}

/** The length of the well-formed UTF-8 sequence at `i` (RFC 3629: no overlongs, no surrogates, at most U+10FFFF), or 0. */
// eslint-disable-next-line complexity -- RFC 3629's table of well-formed sequences, one row per lead-byte range with its second byte's bounds, written as the RFC lists them
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  if (b < 0x80) return 1;
  const [length, low, high] = b >= 0xc2 && b <= 0xdf ? [2, 0x80, 0xbf]
    : b === 0xe0 ? [3, 0xa0, 0xbf]
    : b === 0xed ? [3, 0x80, 0x9f]
    : b >= 0xe1 && b <= 0xef ? [3, 0x80, 0xbf]
    : b === 0xf0 ? [4, 0x90, 0xbf]
    : b >= 0xf1 && b <= 0xf3 ? [4, 0x80, 0xbf]
    : b === 0xf4 ? [4, 0x80, 0x8f]
    : [0, 0, 0];
  if (length === 0 || i + length > bytes.length) return 0;
  const second = bytes[i + 1]!;
  if (second < low || second > high) return 0;
  for (let k = 2; k < length; k++) {
    const c = bytes[i + k]!;
    if (c < 0x80 || c > 0xbf) return 0;
  }
  return length;
}
