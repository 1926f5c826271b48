/** Short builders for the network declarations of components (src/model/network.ts, ADR 012). */
import type { Connection, Inbound, OutsidePeer, Protocol, ServicePorts } from '../model/network.js';

/** A Service selecting one workload's pods: `[port]` when the container port is the same, `[port, targetPort]` otherwise. */
export function service(name: string, workload: string, ...ports: ([number] | [number, number] | [number, number, Protocol])[]): ServicePorts {
  return { service: name, workload, ports: ports.map(([port, targetPort, protocol]) => ({ port, targetPort: targetPort ?? port, ...(protocol ? { protocol } : {}) })) };
}

/** A connection from some of the component's workloads (all when `from` is empty) to a unit's Service. */
export function connect(to: Connection['to'], why: string, ...from: string[]): Connection {
  return { ...(from.length > 0 ? { from } : {}), to, why };
}

export function inbound(from: OutsidePeer, serviceName: string, port: number, why: string): Inbound {
  return { service: serviceName, port, from, why };
}

/** Admission (and CRD conversion) webhooks: the API server calls the Service. */
export const webhook = (serviceName: string, port = 443): Inbound => inbound('api-server', serviceName, port, 'the API server calls its webhook');
