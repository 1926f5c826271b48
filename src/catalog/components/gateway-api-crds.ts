/**
 * The Gateway API CRDs (standard channel), applied as plain manifests from the
 * upstream repository at a release tag. Cilium's operator needs them before it
 * starts (it only enables its Gateway controller when they exist), and the
 * platform Gateway and every HTTPRoute are made of them, so they come first.
 * Besides the CRDs the release ships a ValidatingAdmissionPolicy that refuses
 * experimental-channel or older CRDs over these; nothing here runs a pod.
 */
import { GATEWAY_API_CRDS } from '../charts.js';
import type { Component } from '../component.js';

export const gatewayApiCrds: Component = {
  name: 'gateway-api-crds',
  description: 'the Gateway API resource types (Gateway, HTTPRoute, ...) the platform Gateway and every route are made of',
  stack: 'networking',
  tier: 0,
  pool: 'infra',
  namespace: 'kube-system',
  git: GATEWAY_API_CRDS,
  dependsOn: [],
  crdGroups: ['gateway.networking.k8s.io'],
  profiles: ['edge', 'standard', 'lab'],
  build() {
    return { workloads: [] };
  },
};
