/** Taints and tolerations, matched as the API defines them. */
import type { Taint, Toleration } from './types.js';

/**
 * Whether one toleration tolerates one taint: an empty effect matches every
 * effect, an empty key every key; `Exists` ignores the value, `Equal` (the
 * default operator) needs the same value.
 */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  const operator = t.operator ?? 'Equal';
  if (operator === 'Exists') return true;
  if (operator === 'Equal') return (t.value ?? '') === (taint.value ?? '');
  return false;
}

export function isTolerated(taint: Taint, tolerations: readonly Toleration[]): boolean {
  return tolerations.some((t) => tolerates(t, taint));
}

/** The first taint with one of `effects` that no toleration tolerates, in the node's order. */
export function firstUntolerated(taints: readonly Taint[], tolerations: readonly Toleration[], effects: readonly Taint['effect'][]): Taint | undefined {
  return taints.find((taint) => effects.includes(taint.effect) && !isTolerated(taint, tolerations));
}

/** How the scheduler names a taint in messages: `{key: value}`. */
export function taintText(taint: Taint): string {
  return `{${taint.key}: ${taint.value ?? ''}}`;
}

/** Node conditions the node lifecycle controller turns into taints; a failed node carries the unreachable one. */
export const UNREACHABLE_TAINT: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
export const UNSCHEDULABLE_TAINT: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };
