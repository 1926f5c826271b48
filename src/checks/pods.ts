/**
 * Pod templates inside workload objects, as checks read them. The code lives
 * in the model (`model/pod-template.ts`) so that the planner, a layer below
 * checks, reads them the same way; checks keep this name for it.
 */
export { WORKLOAD_KINDS, isHook, isWorkload, podTemplateOf, type ContainerLike, type PodSpec, type PodTemplate } from '../model/pod-template.js';
