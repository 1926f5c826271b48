/**
 * A ClusterClient that passes everything to another one and "crashes" (throws
 * Interrupted) on its (n+1)-th write: how the tests stop `plinth up` in the
 * middle of each phase to show that a second run resumes.
 */
import { type ClusterClient, refOf, refText } from '../../src/cluster/index.js';

export class Interrupted extends Error {
  constructor(readonly after: number) {
    super(`interrupted after ${after} writes (test)`);
  }
}

/** `log`, when given, gets `apply|patch|delete Kind/ns/name` for every write made. */
export function interruptingClient(inner: ClusterClient, writesAllowed: number, log?: string[]): ClusterClient & { writes: number } {
  let writes = 0;
  const write = <T>(f: () => Promise<T>, what: string) => {
    if (writes >= writesAllowed) throw new Interrupted(writes);
    writes++;
    log?.push(what);
    return f();
  };
  return {
    get writes() {
      return writes;
    },
    context: inner.context,
    server: inner.server,
    version: () => inner.version(),
    resource: (a, k) => inner.resource(a, k),
    get: (r) => inner.get(r),
    list: (a, k, o) => inner.list(a, k, o),
    apply: (o, opts) => (opts?.dryRun ? inner.apply(o, opts) : write(() => inner.apply(o, opts), `apply ${refText(refOf(o))}`)),
    patch: (r, p, t) => write(() => inner.patch(r, p, t), `patch ${refText(r)}`),
    delete: (r, o) => write(() => inner.delete(r, o), `delete ${refText(r)}`),
    watch: (a, k, o, cb) => inner.watch(a, k, o, cb),
    proxy: (r) => inner.proxy(r),
  };
}
