/** From plinth.yaml to the desired state: load → resolve → build. */
import { CATALOG, type Component } from '../catalog/index.js';
import type { LoadedConfig } from '../config/load.js';
import { resolvePlatform } from './resolve.js';
import { buildDesiredState, type DesiredState } from './state.js';

export { buildDesiredState, PLATFORM_BASE_UNIT, type DesiredState } from './state.js';
export { resolvePlatform, SYSTEM_NAMESPACES } from './resolve.js';
export { footprint, podAmount, type PoolFootprint } from './footprint.js';
export { computeWaves, findCycle, transitiveDependencies, type DependencyGraph } from './graph.js';
export { danglingReferences, indexObjects } from './integrity.js';
export { referencesOf, secretsProducedBy, keyOf, keyText, type ObjectKey, type Reference } from './references.js';
export { SHARED_REFS } from './refs.js';

export function desiredState(loaded: LoadedConfig, catalog: readonly Component[] = CATALOG): DesiredState {
  return buildDesiredState(resolvePlatform(loaded, catalog), catalog);
}
