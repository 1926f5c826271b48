/**
 * The contract of `platform/<stack>/<unit>/component.json`: one zod schema
 * gives the type the writers return (componentDescriptor for Argo CD, the
 * Flux layout's variant) and the validator the reader runs
 * (gitops/read.ts). Rules across fields and the file's folder are checked in
 * the same pass as the schema, so a broken file reports every problem at once.
 */
import { z } from 'zod';
import { contractProblems, expectContract, type InputKind, parseJsonInput } from '../lib/input-file.js';
import { STACKS, TENANT_STACK } from '../model/unit.js';
import { projectForStack } from './argocd/constants.js';

// Messages are the "expected ..." half; the reader adds the path and the value.
const text = z.string({ error: 'a string' });
const name = z.string({ error: 'a name: a string' }).min(1, { error: 'a name: a non-empty string' });
const wholeNumber = (what: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.number({ error: `${what}: a whole number` }).int({ error: `${what}: a whole number` }).min(min, { error: `${what}: at least ${min}` }).max(max, { error: `${what}: at most ${max}` });
const quantity = z.string({ error: 'a quantity string such as 100m or 128Mi' });
const resourceList = z.strictObject({ cpu: quantity, memory: quantity }, { error: 'a map with cpu and memory' });
const resources = z.strictObject({ requests: resourceList, limits: resourceList }, { error: 'a map with requests and limits' });
const valuesPath = z.union([z.string(), z.array(z.string()).readonly()], { error: 'a values path: a string or a list of keys' });
const tier = z.literal([0, 1, 2, 3], { error: 'a tier: 0, 1, 2 or 3' });

const container = z.strictObject(
  {
    name,
    resources,
    needs: z.strictObject({ memoryBytes: z.number({ error: 'bytes: a number' }).nonnegative({ error: 'bytes: 0 or more' }), why: text }, { error: 'a map with memoryBytes and why' }).optional(),
    valuesPath: valuesPath.optional(),
  },
  { error: 'a container: a map with name and resources' },
);

const workload = z.strictObject(
  {
    kind: z.enum(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'], { error: 'a workload kind: Deployment, StatefulSet, DaemonSet, Job or CronJob' }),
    name,
    tier,
    replicas: wholeNumber('replicas', 0),
    placement: z.enum(['pool', 'every-node'], { error: 'a placement: pool or every-node' }),
    containers: z.array(container, { error: 'a list of containers' }),
    initContainers: z.array(z.strictObject({ name, resources }, { error: 'a container: a map with name and resources' }), { error: 'a list of containers' }),
  },
  { error: 'a workload: a map with kind, name, tier, replicas, placement, containers and initContainers' },
);

export const componentDescriptorSchema = z.strictObject(
  {
    name,
    description: text,
    stack: z.enum([...STACKS, TENANT_STACK], { error: `a stack, one of: ${STACKS.join(', ')}` }),
    tier,
    pool: name,
    namespace: name,
    project: name,
    wave: wholeNumber('a sync wave', 0),
    preserveOnDelete: z.boolean({ error: 'true or false' }),
    dependsOn: z.array(name, { error: 'a list of component names' }),
    chart: z.strictObject({ repoURL: name, name, version: name }, { error: 'a chart: a map with repoURL, name and version' }).optional(),
    valuesFile: name.optional(),
    git: z.strictObject({ repoURL: name, path: text, ref: name }, { error: 'a Git source: a map with repoURL, path and ref' }).optional(),
    crds: z.array(name, { error: 'a list of API groups' }),
    provides: z.array(z.strictObject({ apiVersion: name, kind: name, name, namespace: name.optional() }, { error: 'an object: a map with apiVersion, kind and name' }), { error: 'a list of objects' }),
    endpoints: z.array(
      z.strictObject({ name, title: text, url: z.string({ error: 'an https:// URL' }).startsWith('https://', { error: 'an https:// URL' }), service: name, port: wholeNumber('a port', 1, 65535) }, { error: 'an endpoint: a map with name, title, url, service and port' }),
      { error: 'a list of endpoints' },
    ),
    workloads: z.array(workload, { error: 'a list of workloads' }),
    sources: z.array(z.record(z.string(), z.unknown(), { error: 'a source: a map' }), { error: 'a list of sources' }),
  },
  { error: 'a map with name, stack, tier, namespace, wave, workloads and sources' },
);

/** What component.json holds: written by synth, read back by gitops/read.ts. */
export type ComponentDescriptor = z.infer<typeof componentDescriptorSchema>;

export const COMPONENT_JSON: InputKind = {
  expected: 'a component.json as `plinth plan` writes it (name, stack, tier, namespace, wave, workloads, sources)',
  hint: 'files under platform/ are generated: run `plinth plan` again instead of editing them',
};

type Problem = { path: (string | number)[]; message: string };

type Fields = Record<string, unknown>;
const quoted = (v: unknown) => JSON.stringify(v);

/** name and stack match the folders the file is in, project the stack's AppProject. */
function placeRules(d: Fields, dir: string): Problem[] {
  const out: Problem[] = [];
  const [, stack, unit] = dir.split('/');
  if (typeof d.name === 'string' && unit !== undefined && d.name !== unit) out.push({ path: ['name'], message: `got ${quoted(d.name)}; expected ${quoted(unit)}, the name of the component's folder` });
  if (typeof d.stack === 'string' && stack !== undefined && d.stack !== stack) out.push({ path: ['stack'], message: `got ${quoted(d.stack)}; expected ${quoted(stack)}, the stack folder the file is in` });
  if (typeof d.stack === 'string' && typeof d.project === 'string' && d.project !== projectForStack(d.stack)) {
    out.push({ path: ['project'], message: `got ${quoted(d.project)}; expected ${quoted(projectForStack(d.stack))}, the AppProject of stack ${d.stack}` });
  }
  return out;
}

/** A chart comes with its valuesFile, and a component does not depend on itself. */
function chartAndDependencyRules(d: Fields): Problem[] {
  const out: Problem[] = [];
  if ((d.chart === undefined) !== (d.valuesFile === undefined)) {
    out.push({ path: [d.chart === undefined ? 'valuesFile' : 'chart'], message: d.chart === undefined ? 'a valuesFile without a chart; expected both or neither' : 'a chart without a valuesFile; expected both or neither' });
  }
  if (Array.isArray(d.dependsOn) && d.dependsOn.includes(d.name)) out.push({ path: ['dependsOn', d.dependsOn.indexOf(d.name)], message: 'the component depends on itself; expected other components' });
  return out;
}

/** Each workload listed once. */
function workloadRules(d: Fields): Problem[] {
  if (!Array.isArray(d.workloads)) return [];
  const out: Problem[] = [];
  const seen = new Set<string>();
  d.workloads.forEach((w: unknown, i) => {
    const key = w !== null && typeof w === 'object' ? `${String((w as { kind?: unknown }).kind)}/${String((w as { name?: unknown }).name)}` : undefined;
    if (key && seen.has(key)) out.push({ path: ['workloads', i, 'name'], message: `workload ${key} is listed twice; expected each workload once` });
    if (key) seen.add(key);
  });
  return out;
}

/** Rules across fields, run on the data as it is (whatever the schema found) so both kinds of problem come out together. */
export function componentCrossField(data: unknown, dir: string): Problem[] {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return [];
  const d = data as Fields;
  return [...placeRules(d, dir), ...chartAndDependencyRules(d), ...workloadRules(d)];
}

/** Reads `<dir>/component.json`: the typed descriptor, or one ConfigError with every problem (schema and cross-field). */
export function readComponentDescriptor(text: string, file: string): ComponentDescriptor {
  const dir = file.slice(0, file.lastIndexOf('/'));
  const input = parseJsonInput(text, file, COMPONENT_JSON);
  return expectContract(contractProblems(input, componentDescriptorSchema, COMPONENT_JSON, (d) => componentCrossField(d, dir)));
}
