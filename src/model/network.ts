/**
 * What a component's pods say about the network (ADR 012): the Services
 * others reach them through, the connections they open themselves, and who
 * reaches them from outside the pod network. The NetworkPolicies of a
 * platform are generated from these declarations only
 * (src/desired/network-policies.ts); `check` derives the connections the
 * rendered platform really makes (Services, ServiceMonitors, webhooks,
 * Ingresses, LoadBalancers and these declarations, resolved against what the
 * charts render) and proves every one is allowed (src/checks/network/).
 */

export type Protocol = 'TCP' | 'UDP';

/** A Service of the component and the pods behind it: what clients, routes, monitors and webhooks reach. */
export interface ServicePorts {
  /** The Service as the chart (or glue) renders it. */
  service: string;
  /** The workload whose pods it selects (its `podLabels`). */
  workload: string;
  /** Service port → the container port (a number) on those pods. */
  ports: { port: number; targetPort: number; protocol?: Protocol }[];
}

/** A connection the component's pods open to a Service (client side). */
export interface Connection {
  /** The workloads that connect; default every workload of the component. */
  from?: string[];
  /** A Service of a unit, by the Service port clients use. */
  to: { unit: string; service: string; port: number };
  /** What it is for: written beside the NetworkPolicy and in findings. */
  why: string;
}

/**
 * Peers no workload of the platform stands for: the API server (webhooks,
 * aggregated APIs, its service proxy), anything outside the cluster (a
 * LoadBalancer's clients), any pod of the cluster (an API applications use),
 * or any pod of the component's own namespace (pods it starts at run time,
 * such as build agents).
 */
export type OutsidePeer = 'api-server' | 'anywhere' | 'cluster' | 'namespace';

export interface Inbound {
  service: string;
  port: number;
  from: OutsidePeer;
  why: string;
}

export interface NetworkSpec {
  services?: ServicePorts[];
  connections?: Connection[];
  inbound?: Inbound[];
  /** Service ports Prometheus scrapes: what the chart's ServiceMonitors select. */
  scraped?: { service: string; port: number }[];
  /** The workload that scrapes every ServiceMonitor and PodMonitor (Prometheus). */
  scraper?: string;
  /** The workload that forwards the platform's routes to their backends (an ingress controller). */
  proxy?: string;
  /**
   * Labels a workload's pods get at run time, which no chart renders (Vault's
   * service registration marks the active server): Services selecting them
   * reach those pods.
   */
  runtimeLabels?: { workload: string; labels: Record<string, string>; why: string }[];
}

/** The label the API server puts on every namespace, with its name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
