/** Score normalisation as the scheduler does it: integers from 0 to 100. */

export const MAX_NODE_SCORE = 100;

/** Scales to 0..100 by the highest score; `reverse` turns "most" into "least" (taints). */
export function normalizeByMax(scores: readonly number[], reverse: boolean): number[] {
  const max = Math.max(0, ...scores);
  if (max === 0) return scores.map(() => (reverse ? MAX_NODE_SCORE : 0));
  return scores.map((s) => {
    const scaled = Math.trunc((MAX_NODE_SCORE * s) / max);
    return reverse ? MAX_NODE_SCORE - scaled : scaled;
  });
}

/** Scales to 0..100 between the lowest and highest score (scores may be negative). */
export function normalizeMinMax(scores: readonly number[]): number[] {
  if (scores.length === 0) return [];
  const min = Math.min(...scores);
  const max = Math.max(...scores);
  return scores.map((s) => (max === min ? 0 : Math.trunc((MAX_NODE_SCORE * (s - min)) / (max - min))));
}
