/**
 * Kubernetes resource quantities (cpu "250m", memory "512Mi") to numbers and back.
 * CPU is counted in millicores, memory in bytes; both as integers so sums are exact.
 */

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei)|([eE][+-]?\d+)|(n|u|m|k|M|G|T|P|E))?$/;

/** Parses a quantity into its plain number value (e.g. "1.5Gi" → 1610612736, "250m" → 0.25); undefined when malformed or not finite. */
export function parseQuantity(input: string | number): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) ? input : undefined;
  const m = QUANTITY.exec(input.trim());
  if (!m) return undefined;
  const base = Number(m[1]);
  const value = m[2] ? base * BINARY[m[2]]! : m[3] ? base * 10 ** Number(m[3].slice(1)) : base * DECIMAL[m[4] ?? '']!;
  // "1e309" matches the grammar but is no amount: Kubernetes refuses quantities past 2^63.
  return Number.isFinite(value) ? value : undefined;
}

export function isQuantity(input: unknown): boolean {
  return (typeof input === 'string' || typeof input === 'number') && parseQuantity(input) !== undefined;
}

/** CPU quantity to integer millicores (rounded up, as Kubernetes does). */
export function cpuMillis(input: string | number): number {
  const v = parseQuantity(input);
  if (v === undefined) throw new TypeError(`not a CPU quantity: ${JSON.stringify(input)}`);
  return Math.ceil(v * 1000 - 1e-9);
}

/** Memory quantity to integer bytes (rounded up). */
export function memoryBytes(input: string | number): number {
  const v = parseQuantity(input);
  if (v === undefined) throw new TypeError(`not a memory quantity: ${JSON.stringify(input)}`);
  return Math.ceil(v - 1e-6);
}

/** Millicores as a short human string: 1500 → "1500m", 2000 → "2". */
export function formatCpu(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/** Bytes as the largest exact binary unit, or Mi with one decimal: 4294967296 → "4Gi". */
export function formatMemory(bytes: number): string {
  for (const unit of ['Gi', 'Mi', 'Ki'] as const) {
    const size = BINARY[unit]!;
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  if (bytes >= BINARY.Mi!) return `${(bytes / BINARY.Mi!).toFixed(1)}Mi`;
  return String(bytes);
}
