/**
 * Waiting for a condition over the objects of one type, with a timeout: the
 * condition is evaluated on the current list, again on every watch event, and
 * at least every `pollMs` (so a missed event or a type that is not served yet
 * only delays the answer). A timeout names what is still pending.
 */
import type { K8sObject } from '../model/k8s.js';
import { ClusterTimeoutError, ResourceNotServedError } from './errors.js';
import type { ClusterClient, ListOptions, WatchHandle } from './types.js';

export interface Verdict {
  done: boolean;
  /** What is not ready yet, for progress and for the timeout message. */
  pending: string[];
}

export interface WaitSpec {
  /** What is awaited, in words: "the Argo CD Deployments to become Available". */
  what: string;
  apiVersion: string;
  kind: string;
  list?: ListOptions;
  check(objects: K8sObject[]): Verdict;
  timeoutMs: number;
  pollMs?: number;
  hint?: string;
  /** Called with each evaluation (progress displays). */
  onUpdate?(objects: K8sObject[], verdict: Verdict): void | Promise<void>;
}

async function listIfServed(client: ClusterClient, spec: WaitSpec): Promise<K8sObject[]> {
  try {
    return await client.list(spec.apiVersion, spec.kind, spec.list ?? {});
  } catch (error) {
    if (error instanceof ResourceNotServedError) return [];
    throw error;
  }
}

export async function waitFor(client: ClusterClient, spec: WaitSpec): Promise<K8sObject[]> {
  const deadline = Date.now() + spec.timeoutMs;
  const pollMs = spec.pollMs ?? 2000;
  let wake: () => void = () => {};
  let handle: WatchHandle | undefined;
  const startWatch = async () => {
    if (handle) return;
    try {
      handle = await client.watch(spec.apiVersion, spec.kind, spec.list ?? {}, () => wake());
      void handle.done.then(() => (handle = undefined));
    } catch {
      handle = undefined; // not served yet, or no watch: polling covers it
    }
  };
  try {
    for (;;) {
      await startWatch();
      const objects = await listIfServed(client, spec);
      const verdict = spec.check(objects);
      await spec.onUpdate?.(objects, verdict);
      if (verdict.done) return objects;
      const left = deadline - Date.now();
      if (left <= 0) throw new ClusterTimeoutError(spec.what, Math.round(spec.timeoutMs / 1000), verdict.pending, spec.hint);
      await new Promise<void>((resolveSleep) => {
        const timer = setTimeout(resolveSleep, Math.min(pollMs, left));
        wake = () => {
          clearTimeout(timer);
          resolveSleep();
        };
      });
      wake = () => {};
    }
  } finally {
    handle?.stop();
  }
}
