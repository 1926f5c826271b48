/** Requests and limits: what a container asks for and may use. */
import { cpuMillis, memoryBytes } from '../lib/quantity.js';

export interface ResourceList {
  cpu: string;
  memory: string;
}

export interface Resources {
  requests: ResourceList;
  limits: ResourceList;
}

/** CPU in millicores and memory in bytes: the unit of every sum and comparison. */
export interface Amount {
  cpu: number;
  memory: number;
}

export const ZERO: Amount = Object.freeze({ cpu: 0, memory: 0 });

export function amountOf(list: Partial<ResourceList> | undefined): Amount {
  return {
    cpu: list?.cpu !== undefined ? cpuMillis(list.cpu) : 0,
    memory: list?.memory !== undefined ? memoryBytes(list.memory) : 0,
  };
}

export function add(a: Amount, b: Amount): Amount {
  return { cpu: a.cpu + b.cpu, memory: a.memory + b.memory };
}

export function scale(a: Amount, n: number): Amount {
  return { cpu: a.cpu * n, memory: a.memory * n };
}

export function max(a: Amount, b: Amount): Amount {
  return { cpu: Math.max(a.cpu, b.cpu), memory: Math.max(a.memory, b.memory) };
}

/** Shorthand for budgets in component modules: `res('50m', '64Mi', '200m', '256Mi')`. */
export function res(cpuRequest: string, memoryRequest: string, cpuLimit: string, memoryLimit: string): Resources {
  return { requests: { cpu: cpuRequest, memory: memoryRequest }, limits: { cpu: cpuLimit, memory: memoryLimit } };
}
