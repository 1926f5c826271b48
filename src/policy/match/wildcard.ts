/** Kyverno-style wildcards: `*` any run of characters, `?` exactly one. */
const cache = new Map<string, RegExp>();

export function wildcardMatch(pattern: string, value: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === value;
  let re = cache.get(pattern);
  if (!re) {
    const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${source}$`, 's');
    cache.set(pattern, re);
  }
  return re.test(value);
}
