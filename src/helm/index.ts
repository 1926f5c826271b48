/** Helm and the chart cache: the only module that runs Helm. */
export { findHelm, onPath, HELM_PACKAGE, type ToolLocation } from './binary.js';
export { locateChartCache, cacheHas, chartFile, hasChart, manifestFile, requireChart, requireChartCache, requireManifest, type ChartCache } from './cache.js';
export { helmTemplate, HelmError, KUBE_VERSION, RenderCache, renderStoreDir, type TemplateRequest } from './template.js';
export { renderUnit, renderUnits, servedApiVersions, type RenderedUnit, type RenderOptions } from './render.js';
export { upstreamManifests, upstreamManifestText } from './manifests.js';
export { packageRoot, userCacheDir } from './paths.js';
