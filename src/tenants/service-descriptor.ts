/**
 * The contract of `apps/<team>/<service>/service.json`, the file the `apps`
 * ApplicationSet reads: one zod schema gives the type both writers use
 * (tenantServiceFiles, the golden paths) and the validator the reader
 * (readTenantUnits, `check --repo`) runs. Keys beyond these are kept: the
 * ApplicationSet template may read more (the golden paths add `template`).
 */
import { z } from 'zod';
import { ConfigError } from '../lib/errors.js';
import { contractProblems, expectContract, type InputKind, parseJsonInput, parseYamlDocument, parseYamlInput } from '../lib/input-file.js';
import { manifestSchema, type ManifestObject } from '../model/k8s-contract.js';
import { projectForTeam } from '../synth/argocd/constants.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
// Messages are the "expected ..." half; the reader adds the path and the value.
const label = (what: string) => z.string({ error: `${what}: a string` }).regex(DNS_LABEL, { error: `${what}: a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters)` });
const text = (what: string) => z.string({ error: `${what}: a non-empty string` }).min(1, { error: `${what}: a non-empty string` });

export const serviceDescriptorSchema = z.looseObject(
  {
    name: label('the service name'),
    team: label('the team name'),
    project: text('the AppProject'),
    namespace: label('the namespace'),
    sources: z
      .array(z.looseObject({ repoURL: text('the repository URL'), targetRevision: text('the branch'), path: text('the manifests folder') }, { error: 'a source: a map with repoURL, targetRevision and path' }), {
        error: 'a list of sources',
      })
      .min(1, { error: 'at least one source (the service manifests)' }),
    template: z.string({ error: 'the golden path: a string' }).optional(),
  },
  { error: 'a map with name, team, project, namespace and sources' },
);

export type ServiceDescriptor = z.infer<typeof serviceDescriptorSchema>;

export const SERVICE_JSON: InputKind = {
  expected: 'a service.json: a map with name, team, project, namespace and sources (what the apps ApplicationSet reads)',
  hint: 'write the service with a golden path (`plinth new`), or fix the file by hand; see apps/README.md',
};

/** Rules across fields and the folder the file is in: the ApplicationSet names the Application and its project from them. */
function crossField(data: unknown, team: string, name: string): { path: (string | number)[]; message: string }[] {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return [];
  const d = data as Record<string, unknown>;
  const out: { path: (string | number)[]; message: string }[] = [];
  if (typeof d.name === 'string' && d.name !== name) out.push({ path: ['name'], message: `got ${JSON.stringify(d.name)}; expected ${JSON.stringify(name)}, the name of the service's folder` });
  if (typeof d.team === 'string' && d.team !== team) out.push({ path: ['team'], message: `got ${JSON.stringify(d.team)}; expected ${JSON.stringify(team)}, the name of the team's folder` });
  if (typeof d.project === 'string' && d.project !== projectForTeam(team)) out.push({ path: ['project'], message: `got ${JSON.stringify(d.project)}; expected ${JSON.stringify(projectForTeam(team))}, the AppProject of team ${team}` });
  return out;
}

const MANIFEST: InputKind = {
  expected: 'Kubernetes objects: maps with apiVersion, kind and metadata.name',
  hint: 'write the service with a golden path (`plinth new`), or fix the manifest by hand',
};



const container = z.looseObject(
  {
    name: text('the container name'),
    resources: z.looseObject({ requests: z.record(z.string(), z.union([z.string(), z.number()])).optional(), limits: z.record(z.string(), z.union([z.string(), z.number()])).optional() }, { error: 'resources: a map with requests and limits' }).optional(),
  },
  { error: 'a container: a map with name' },
);

/** What the checks read of a Deployment, StatefulSet or DaemonSet: replicas, the pod template's containers and their resources. */
const workloadSchema = z.looseObject(
  {
    spec: z.looseObject(
      {
        replicas: z.number({ error: 'replicas: a whole number' }).int({ error: 'replicas: a whole number' }).min(0, { error: 'replicas: 0 or more' }).optional(),
        template: z.looseObject(
          {
            metadata: z.looseObject({ labels: z.record(z.string(), z.string({ error: 'a label value: a string' })).optional() }, { error: 'the pod metadata: a map' }).optional(),
            spec: z.looseObject({ containers: z.array(container, { error: 'a list of containers' }).min(1, { error: 'at least one container' }), initContainers: z.array(container, { error: 'a list of containers' }).optional() }, { error: 'the pod spec: a map with containers' }),
          },
          { error: 'the pod template: a map with spec' },
        ),
      },
      { error: 'the workload spec: a map with template' },
    ),
  },
  { error: 'a workload' },
);
const WORKLOAD_KINDS: readonly unknown[] = ['Deployment', 'StatefulSet', 'DaemonSet'];

/** Reads a manifest file of a tenant service (several documents): every object, or one ConfigError with every problem of every document. */
export function readTenantManifests(text: string, file: string): ManifestObject[] {
  const docs = parseYamlInput(text, file, MANIFEST);
  const checked = docs.map((d) => {
    const object = contractProblems(d, manifestSchema, MANIFEST);
    const kind = (d.data as { kind?: unknown } | null)?.kind;
    if (!WORKLOAD_KINDS.includes(kind)) return object;
    const workload = contractProblems(d, workloadSchema, MANIFEST);
    return { value: object.value, problems: [...object.problems, ...workload.problems] };
  });
  const problems = checked.flatMap((c) => c.problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return checked.map((c) => c.value!);
}

const KUSTOMIZATION: InputKind = {
  expected: 'a kustomization.yaml: a map whose resources are a list of file names',
  hint: 'write the service with a golden path (`plinth new`), or fix the file by hand',
};

export const kustomizationSchema = z.looseObject(
  {
    resources: z.array(z.string({ error: 'a file name' }), { error: 'a list of file names' }).optional(),
    configMapGenerator: z.array(z.looseObject({ files: z.array(z.string({ error: 'a file name' }), { error: 'a list of file names' }).optional() }, { error: 'a generator: a map' }), { error: 'a list of generators' }).optional(),
  },
  { error: 'a Kustomization: a map with resources' },
);

/** Checks a service's kustomization.yaml (Flux applies the folder through it); one ConfigError with every problem. */
export function checkTenantKustomization(text: string, file: string): true {
  expectContract(contractProblems(parseYamlDocument(text, file, KUSTOMIZATION), kustomizationSchema, KUSTOMIZATION));
  return true;
}

/** Reads `apps/<team>/<name>/service.json`: the typed descriptor, or one ConfigError with every problem. */
export function readServiceDescriptor(text: string, file: string, team: string, name: string): ServiceDescriptor {
  const input = parseJsonInput(text, file, SERVICE_JSON);
  return expectContract(contractProblems(input, serviceDescriptorSchema, SERVICE_JSON, (d) => crossField(d, team, name)));
}
