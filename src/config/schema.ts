/**
 * The schema of `plinth.yaml`: one zod schema validates the file and is
 * exported as JSON Schema for editors (`plinth schema`). Error texts here are
 * the "expected ..." half of a message; the loader adds the path and the value.
 */
import { z } from 'zod';
import { isQuantity, parseQuantity } from '../lib/quantity.js';
import { ENGINES, INGRESS_PROVIDERS, PROFILES, SECRETS_PROVIDERS, STORAGE_CLASSES } from './choices.js';

export const API_VERSION = 'plinth.dev/v1alpha1';
export { ENGINES, INGRESS_PROVIDERS, PROFILES, SECRETS_PROVIDERS, STORAGE_CLASSES } from './choices.js';
export const DISTRIBUTIONS = ['k3s', 'generic'] as const;
export const NODE_ROLES = ['control-plane', 'worker'] as const;
/** Bounds that keep `plan` within seconds; far beyond a small or edge platform. */
export const MAX_NODES = 5000;
export const MAX_TEAMS = 1000;
export const MAX_TEAM_NAMESPACES = 100;
export const MAX_COMPONENTS = 200;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

/** Names that are also JavaScript object keys with a meaning (`__proto__` is no DNS label anyway). */
const RESERVED_NAMES: readonly string[] = ['constructor', 'prototype'];

const dnsLabel = (what: string) =>
  z
    .string({ error: `${what}: a string` })
    .regex(DNS_LABEL, {
      error: `${what}: a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters, starting and ending with a letter or digit)`,
    })
    .refine((v) => !RESERVED_NAMES.includes(v), { error: `${what} other than ${RESERVED_NAMES.join(' or ')} (reserved words of JavaScript objects)` });

/** git check-ref-format's rules for a branch (refs/heads/<name>). */
export function isGitBranchName(name: string): boolean {
  if (name.length === 0 || name === '@' || name.length > 255) return false;
  // Control characters, space and ~ ^ : ? * [ \ are never allowed.
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) return false;
  if (name.includes('..') || name.includes('@{') || name.includes('//')) return false;
  if (name.startsWith('/') || name.startsWith('-') || name.endsWith('/') || name.endsWith('.')) return false;
  return name.split('/').every((part) => !part.startsWith('.') && !part.endsWith('.lock'));
}

const labelValue = (what: string) =>
  z.string({ error: `${what}: a string` }).regex(LABEL_VALUE, {
    error: `${what}: a Kubernetes label value (letters, digits, '-', '_' or '.', at most 63 characters, starting and ending with a letter or digit)`,
  });

// Patterns for editors (JSON Schema only); the refinements below are what Plinth enforces.
const CPU_PATTERN = '^(\\d+(\\.\\d*)?|\\.\\d+)(m|k|M|G|T|P|E|[eE][+-]?\\d+)?$';
const MEMORY_PATTERN = '^(\\d+(\\.\\d*)?|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|[eE][+-]?\\d+)$';

const cpuQuantity = z.union([z.number().meta({ exclusiveMinimum: 0 }), z.string().meta({ pattern: CPU_PATTERN })], { error: 'a CPU amount: a number of cores (2) or a quantity (2000m)' }).refine(
  (v) => isQuantity(v) && (parseQuantity(v) ?? 0) > 0,
  { error: 'a CPU amount greater than 0: a number of cores (2) or a quantity (2000m)' },
);

const memoryQuantity = z.string({ error: 'a memory quantity such as 4Gi or 4096Mi' }).meta({ pattern: MEMORY_PATTERN }).refine(
  (v) => isQuantity(v) && (parseQuantity(v) ?? 0) >= 2 ** 20 && !/^[\d.]+$/.test(v),
  { error: 'a memory quantity of at least 1Mi with a unit, such as 4Gi or 4096Mi (binary units Ki, Mi, Gi; decimal k, M, G)' },
);

const reservedSchema = z
  .strictObject(
    {
      cpu: cpuQuantity.optional(),
      memory: memoryQuantity.optional(),
    },
    { error: 'a map with cpu and memory' },
  )
  .describe('Capacity kept back for the operating system, kubelet and (on servers) the Kubernetes control plane.');

const nodeSchema = z
  .strictObject(
    {
      name: dnsLabel('a node name'),
      role: z.enum(NODE_ROLES, { error: `a node role, one of: ${NODE_ROLES.join(', ')}` }),
      pool: dnsLabel('a pool name'),
      cpu: cpuQuantity,
      memory: memoryQuantity,
      reserved: reservedSchema.optional(),
      zone: labelValue('a zone name')
        .optional()
        .describe('The failure zone (rack, room, site) the node is in: its label topology.kubernetes.io/zone, and a scenario of `plinth simulate` per zone.'),
    },
    { error: 'a node: a map with name, role, pool, cpu and memory' },
  )
  .describe('A node of the cluster: its name as Kubernetes knows it, its role, its pool and its capacity.');

const clusterSchema = z.strictObject(
  {
  name: dnsLabel('a cluster name'),
  domain: z.string({ error: 'a DNS domain such as idp.local' }).regex(DNS_SUBDOMAIN, {
    error: 'a DNS domain in lowercase, such as idp.local or platform.example.com',
  }),
  distribution: z.enum(DISTRIBUTIONS, { error: `a distribution, one of: ${DISTRIBUTIONS.join(', ')}` }).default('k3s'),
  environment: labelValue('an environment name').default('production'),
  nodes: z.array(nodeSchema, { error: 'a list of nodes' }).min(1, { error: 'at least one node' }).max(MAX_NODES, { error: `at most ${MAX_NODES} nodes (the largest cluster Kubernetes supports)` }),
  apiServer: z
    .strictObject({
      host: z
        .string({ error: 'a host name or IP address' })
        .regex(/^[A-Za-z0-9.:-]+$/, { error: 'a host name or IP address, without scheme or port' })
        .optional()
        .describe('Default: the first control-plane node name.'),
      port: z.number({ error: 'a port number' }).int({ error: 'a whole port number' }).min(1, { error: 'a port from 1 to 65535' }).max(65535, { error: 'a port from 1 to 65535' }).default(6443),
    })
    .default({ port: 6443 })
    .describe('Where nodes reach the Kubernetes API; Cilium replaces kube-proxy and needs it.'),
  },
  { error: 'a map of the cluster settings: name, domain, nodes' },
);

const gitopsSchema = z.strictObject(
  {
  engine: z
    .enum(ENGINES, { error: `a GitOps engine, one of: ${ENGINES.join(', ')}` })
    .optional()
    .describe('Choice: the GitOps engine. Default: the profile\'s (argocd; flux for compact).'),
  repo: z.strictObject(
    {
    url: z
      .string({ error: 'a Git repository URL' })
      .regex(/^(https?:\/\/|ssh:\/\/|git@|file:\/\/\/)[^\s]+$/, { error: 'a Git repository URL (https://, ssh://, git@host:path, or file:/// for a local repository Argo CD reads)' }),
    branch: z
      .string({ error: 'a branch name' })
      .regex(/^[A-Za-z0-9._/-]+$/, { error: 'a branch name (letters, digits, ".", "_", "/" and "-")', abort: true })
      .refine(isGitBranchName, { error: 'a branch name git accepts (git check-ref-format): no "..", "//" or "@{", no part starting with "." or ending with ".lock", not starting with "/" or "-", not ending with "/" or "."' })
      .default('main'),
    },
    { error: 'a map with the url and branch of the GitOps repository' },
  ),
  },
  { error: 'a map of the gitops settings' },
);

const IPV4 = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}';
const ADDRESS_RANGE = new RegExp(`^${IPV4}(/(3[0-2]|[12]?\\d)|-${IPV4})$`);

const ingressSchema = z
  .strictObject(
    {
      provider: z
        .enum(INGRESS_PROVIDERS, { error: `an ingress provider, one of: ${INGRESS_PROVIDERS.join(', ')}` })
        .optional()
        .describe('Choice: how traffic enters the cluster. Default: the profile\'s (cilium-gateway for edge, ingress-nginx for compact).'),
      loadBalancer: z
        .strictObject(
          {
            addresses: z
              .array(z.string({ error: 'an address range' }).regex(ADDRESS_RANGE, { error: 'an IPv4 range: a CIDR (192.168.1.240/28) or first-last (192.168.1.240-192.168.1.250)' }), { error: 'a list of address ranges' })
              .min(1, { error: 'at least one address range' }),
          },
          { error: 'a map with addresses' },
        )
        .optional()
        .describe('MetalLB (layer 2): the addresses it may give LoadBalancer Services, free addresses of the nodes\' network.'),
    },
    { error: 'a map with provider and loadBalancer' },
  )
  .describe('Ingress: the provider (a choice) and its load balancer addresses.');

const secretsSchema = z
  .strictObject(
    {
      provider: z
        .enum(SECRETS_PROVIDERS, { error: `a secrets provider, one of: ${SECRETS_PROVIDERS.join(', ')}` })
        .optional()
        .describe('Choice: vault (Vault + External Secrets), sealed-secrets, or both. Default: the profile\'s.'),
    },
    { error: 'a map with provider' },
  );

const storageSchema = z
  .strictObject(
    {
      class: z
        .enum(STORAGE_CLASSES, { error: `a storage class, one of: ${STORAGE_CLASSES.join(', ')}` })
        .optional()
        .describe('Choice: local-path (node-local volumes) or rook-ceph (replicated). Default: the profile\'s.'),
    },
    { error: 'a map with class' },
  );

const tlsSchema = z.strictObject(
  {
    acme: z
      .strictObject(
        {
          email: z.string({ error: 'an e-mail address' }).regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { error: 'an e-mail address for the ACME account (expiry notices go there)' }),
          server: z
            .string({ error: 'an ACME directory URL' })
            .regex(/^https:\/\/[^\s]+$/, { error: 'an https:// ACME directory URL' })
            .default('https://acme-v02.api.letsencrypt.org/directory')
            .describe("Default: Let's Encrypt production; its staging is https://acme-staging-v02.api.letsencrypt.org/directory."),
        },
        { error: 'a map with email and server' },
      )
      .optional()
      .describe("An ACME (Let's Encrypt) ClusterIssuer, HTTP-01 through the platform's ingress; public names only."),
  },
  { error: 'a map with acme' },
);

const groupName = z.string({ error: 'a group name' }).min(1, { error: 'a non-empty group name' }).regex(/^[^\s]+$/, { error: 'a group name without spaces' });
const rbacSchema = z
  .strictObject(
    {
      readOnlyGroups: z.array(groupName, { error: 'a list of group names' }).default([]).describe('Groups (as the API server authenticates them) bound to the read-only ClusterRole plinth:read-only.'),
      operatorGroups: z.array(groupName, { error: 'a list of group names' }).default([]).describe('Groups bound to the ClusterRole plinth:operator (restart, scale, read logs, no Secrets).'),
    },
    { error: 'a map with readOnlyGroups and operatorGroups' },
  )
  .describe('Who may read and operate the platform, by group.');

const componentSchema = z.strictObject(
  {
  enabled: z.boolean({ error: 'true or false' }).optional(),
  values: z
    .record(z.string(), z.unknown(), { error: 'a map of Helm values' })
    .optional()
    .describe('Helm values merged over the values Plinth generates (maps merge, lists and scalars replace).'),
  },
  { error: 'a map with enabled and values' },
);

const teamSchema = z.strictObject(
  {
  name: dnsLabel('a team name'),
  costCenter: labelValue('a cost center'),
  namespaces: z.array(dnsLabel('a namespace name')).max(MAX_TEAM_NAMESPACES, { error: `at most ${MAX_TEAM_NAMESPACES} namespaces for one team` }).optional().describe('Namespaces of the team; default: one namespace named after the team.'),
  },
  { error: 'a team: a map with name and costCenter' },
);

const localPath = (what: string) =>
  z.string({ error: `${what}: a file path` }).min(1, { error: `${what}: a non-empty file path` });

const bootstrapSchema = z
  .strictObject(
    {
      vaultKeysFile: localPath('the Vault keys file')
        .optional()
        .describe('Where `plinth up` writes Vault unseal keys and root token (mode 0600); default ~/.config/plinth/<cluster>/vault-keys.json. Keep it out of Git.'),
      repoCredentialsFile: localPath('the repository credentials file')
        .optional()
        .describe('Local file with the GitOps repository credentials `plinth up` gives Argo CD; never committed. Or use PLINTH_GIT_* variables.'),
    },
    { error: 'a map with vaultKeysFile and repoCredentialsFile' },
  )
  .describe('Local files `plinth up` uses: never in Git, never printed.');

const ownerSchema = z.strictObject({
  team: labelValue('a team name'),
  costCenter: labelValue('a cost center'),
});

const policySchema = z.strictObject({
  allowedRegistries: z
    .array(z.string().regex(/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._/-]+)?$/, { error: 'a registry host, optionally with a path, such as ghcr.io or registry.k8s.io' }))
    .optional()
    .describe('Registries (and path prefixes) images may come from; default: the registries the platform components use.'),
});

const chartsSchema = z
  .strictObject(
    {
      mirror: z
        .string({ error: 'a Helm repository URL' })
        .regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, {
          error: 'a Helm repository URL with http:// or https://, without query or fragment, such as http://127.0.0.1:8879 (the address `plinth charts serve` prints)',
        })
        .optional()
        .describe('A mirror of the chart cache (`plinth charts serve`): every Application / HelmRelease pulls its chart, and upstream manifests, from it instead of the public repositories.'),
    },
    { error: 'a map with mirror' },
  )
  .describe('Where the platform pulls its charts from.');

export const configSchema = z
  .strictObject({
    apiVersion: z.literal(API_VERSION, { error: `the API version ${API_VERSION}` }),
    kind: z.literal('Platform', { error: 'the kind Platform' }),
    cluster: clusterSchema,
    profile: z
      .enum(PROFILES, { error: `a profile, one of: ${PROFILES.join(', ')}` })
      .default('edge')
      .describe('A preset of choices, pools and components; every choice can be overridden below.'),
    gitops: gitopsSchema,
    ingress: ingressSchema.default({}),
    secrets: secretsSchema.default({}),
    storage: storageSchema.default({}),
    tls: tlsSchema.default({}),
    rbac: rbacSchema.default({ readOnlyGroups: [], operatorGroups: [] }),
    platformOwner: ownerSchema.default({ team: 'platform', costCenter: 'platform' }),
    components: z
      .record(z.string(), componentSchema, { error: 'a map from component name to its settings' })
      .refine((c) => Object.keys(c).length <= MAX_COMPONENTS, { error: `at most ${MAX_COMPONENTS} components (each key is the name of a component of the catalog, which has fewer)` })
      .default({}),
    teams: z.array(teamSchema, { error: 'a list of teams' }).max(MAX_TEAMS, { error: `at most ${MAX_TEAMS} teams (each brings namespaces, quotas and policies: the repository grows with every team)` }).default([]),
    policy: policySchema.default({}),
    charts: chartsSchema.default({}),
    bootstrap: bootstrapSchema.default({}),
  })
  .describe('plinth.yaml: the whole platform in one file.');

export type PlinthConfig = z.output<typeof configSchema>;
export type NodeConfig = PlinthConfig['cluster']['nodes'][number];
export type TeamConfig = PlinthConfig['teams'][number];
export type ComponentSettings = z.output<typeof componentSchema>;

/**
 * The JSON Schema of plinth.yaml, for editors (yaml-language-server). With
 * the catalog's component names, `components` accepts those keys only.
 */
export function configJsonSchema(opts: { componentNames?: readonly string[] } = {}): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  const components = (schema.properties as Record<string, Record<string, unknown>> | undefined)?.components;
  if (components && opts.componentNames) components.propertyNames = { enum: [...opts.componentNames].sort() };
  return schema;
}
