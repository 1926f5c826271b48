/** The component catalog: every component Plinth can put on a platform, one module each. */
import type { Component } from './component.js';
import { argocd } from './components/argocd.js';
import { certManager } from './components/cert-manager.js';

export type { Component, ComponentBuild, ComponentContext, EndpointSpec, SharedRefs } from './component.js';
export { CHARTS, GATEWAY_API_CRDS, chartFileName } from './charts.js';

/** In a stable order; the desired state sorts units by wave, then name. */
export const CATALOG: readonly Component[] = [certManager, argocd];

export function componentNamed(name: string): Component | undefined {
  return CATALOG.find((c) => c.name === name);
}
