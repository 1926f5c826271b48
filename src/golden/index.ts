/** Golden paths: versioned templates for tenant services, and what `new` and `upgrade` do with them. */
import { cronjobTemplate } from './templates/cronjob.js';
import { serviceTemplate } from './templates/service.js';
import { workerTemplate } from './templates/worker.js';
import type { GoldenTemplate } from './types.js';

export type { GoldenTemplate, GoldenValues, SecretRef, TemplateParam } from './types.js';
export { newestVersion } from './types.js';
export { routeKind, workloadKind, secretKind } from './choices.js';

export const TEMPLATES: readonly GoldenTemplate[] = [serviceTemplate, workerTemplate, cronjobTemplate];

export function templateNamed(name: string): GoldenTemplate | undefined {
  return TEMPLATES.find((t) => t.name === name);
}
