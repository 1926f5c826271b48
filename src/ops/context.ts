/**
 * What an operation on a live cluster gets: the cluster client, where to
 * report, a clock, and a place to register secret values so that no output
 * can carry them (see redact.ts). Everything is passed in; nothing is global.
 */
import type { ClusterClient } from '../cluster/index.js';

export interface Reporter {
  /** A line of normal output (no trailing newline). */
  line(text: string): void;
  /** A warning the user must read. */
  warn(text: string): void;
}

export interface OpsContext {
  client: ClusterClient;
  report: Reporter;
  /** Milliseconds since the epoch. */
  now(): number;
  /** Registers a secret value: any output containing it is redacted. */
  secret(value: string): void;
  /** How often waits look again when no watch event arrives. */
  pollMs: number;
}

/** `1m05s`, `12s`, `1h02m`. */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

/** `90s`, `30m`, `1h`, or a bare number of minutes → milliseconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? 'm';
  return Math.round(n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as 'ms' | 's' | 'm' | 'h']);
}
