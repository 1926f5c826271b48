/** Reading fields of live objects, whose shape the API server guarantees only loosely. */

export type Obj = Record<string, unknown>;

/** The value as a plain object, or an empty one when it is not one. */
export const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
