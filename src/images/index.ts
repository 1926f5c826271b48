/** The container images of a platform, from the real renders of its units. */
import { renderForChecks } from '../checks/render.js';
import type { Finding } from '../checks/finding.js';
import type { DesiredState } from '../desired/state.js';
import type { ChartCache, RenderCache, RenderedUnit } from '../helm/index.js';
import { collectImages, type ImageList } from './collect.js';

export { collectImages, imagesOfObject, isHelmTest, podSpecsOf, registriesOf, type ImageEntry, type ImageList, type ImageUse } from './collect.js';
export { DOCKER_HUB, parseImage, isImageReference, type ImageReference } from './reference.js';
export { k3sRegistries, k3sRegistriesYaml, mirroredName, parseMirror, type RegistryMirror } from './k3s.js';
export { imagesJson, imagesText } from './text.js';

export interface PlatformImages {
  list: ImageList;
  rendered: RenderedUnit[];
  /** Units that did not render (Helm's message): their images are unknown. */
  failures: Finding[];
}

export async function platformImages(state: DesiredState, opts: { helm: string; cache: ChartCache; renderCache?: RenderCache }): Promise<PlatformImages> {
  const { rendered, findings } = await renderForChecks(state.units, opts);
  // Units made of glue only (platform-base) run nothing from a chart but may still run pods.
  const renderedNames = new Set(rendered.map((r) => r.unit.name));
  const glueOnly = state.units.filter((u) => !u.chart && !u.git && !renderedNames.has(u.name)).map((unit) => ({ unit, chartObjects: [], glue: unit.manifests }));
  const all = [...rendered, ...glueOnly];
  return { list: collectImages(all), rendered: all, failures: findings };
}
