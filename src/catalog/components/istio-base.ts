/**
 * Istio's `base` chart: the Istio CRDs (networking, security, telemetry,
 * extensions) and the cluster-wide validating webhook of the default
 * revision, which istiod serves. No pods. A CRD-only unit: its Application
 * has no resources finalizer, so removing it from Git never deletes the
 * PeerAuthentications and Telemetry objects other units ship.
 */
import { CHARTS } from '../charts.js';
import type { Component } from '../component.js';

/** The namespace of Istio's control plane (the charts' `global.istioNamespace`). */
export const ISTIO_NAMESPACE = 'istio-system';

export const istioBase: Component = {
  name: 'istio-base',
  description: 'Istio CRDs and the default revision\'s validating webhook (served by istiod)',
  stack: 'networking',
  tier: 2,
  pool: 'infra',
  namespace: ISTIO_NAMESPACE,
  chart: CHARTS.istioBase,
  dependsOn: [],
  crdGroups: ['networking.istio.io', 'security.istio.io', 'telemetry.istio.io', 'extensions.istio.io'],
  profiles: ['lab'],
  serves: { ingress: ['istio'] },
  build() {
    return {
      values: {
        // The webhook that validates Istio objects for the default revision (istiod without a revision).
        defaultRevision: 'default',
      },
      workloads: [],
    };
  },
};
