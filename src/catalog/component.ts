/**
 * The contract of a catalog module: static facts about one platform
 * component, and a pure `build` that turns the resolved platform into the
 * component's values, glue manifests, budget and endpoints.
 */
import type { PlinthConfig } from '../config/schema.js';
import type { Values } from '../lib/values.js';
import type { PlatformException } from '../policy/index.js';
import type { K8sObject, Labels } from '../model/k8s.js';
import type { ChoiceMatch } from '../model/choices.js';
import type { NetworkSpec } from '../model/network.js';
import type { Platform } from '../model/platform.js';
import type { Tier } from '../model/tiers.js';
import type { ChartSource, Endpoint, GitSource, ProvidedObject, Stack, StorageBackend, VaultSecret, WorkloadSpec } from '../model/unit.js';

export interface Component {
  readonly name: string;
  readonly description: string;
  readonly stack: Stack;
  readonly tier: Tier;
  /** Home pool (a pool of the profile). */
  readonly pool: string;
  readonly namespace: string;
  /** Other namespaces the chart renders objects into (its AppProject must allow them). */
  readonly extraNamespaces?: readonly string[];
  readonly chart?: ChartSource;
  readonly git?: GitSource;
  /** Components that must be enabled and synced first. */
  readonly dependsOn: readonly string[];
  /**
   * CRDs this component installs, as API groups (`cert-manager.io`) or, where
   * two components share a group, as `group/Kind` (`argoproj.io/Application`).
   * Custom resources of other units depend on it.
   */
  readonly crdGroups?: readonly string[];
  /**
   * Objects the chart creates that other units refer to by name (a
   * GatewayClass, a Secret), so references to them resolve without rendering.
   */
  readonly provides?: readonly ProvidedObject[];
  /**
   * Platform policies the component cannot meet, with the reason: shipped as
   * Kyverno PolicyExceptions (explicit and reviewed, never silence).
   */
  readonly policyExceptions?: readonly PlatformException[];
  /**
   * API groups whose CRDs the component's controllers look for once, at
   * start-up, and never again (cilium-operator and the Gateway API): it must
   * start after the units that install them, in `up` and in the waves.
   */
  readonly discoversCrdsAtStartup?: readonly string[];
  /**
   * Certificates (their Secrets) the component's pods mount and pick up again
   * when cert-manager renews them, and how. A mounted certificate not listed
   * here is served until it expires: `check` warns.
   */
  readonly reloadsCertificates?: readonly { secret: string; how: string }[];
  /**
   * Why the unit's resources must outlive it (a CRD no value can annotate, say):
   * the GitOps engine then never deletes them with the unit.
   */
  readonly keepOnDelete?: string;
  /** Profiles that enable it by default. */
  readonly profiles: readonly string[];
  /**
   * The choices it serves (`{ ingress: ['ingress-nginx'] }`): it is on by
   * default only where every one matches, and enabling it by hand elsewhere
   * is a config error. Without it, it fits every choice.
   */
  readonly serves?: ChoiceMatch;
  /**
   * Default-on only where plinth.yaml asks for what it does (platform-access:
   * a group to bind); `components.<name>.enabled` still decides first.
   */
  readonly wanted?: (config: PlinthConfig) => boolean;
  build(ctx: ComponentContext): ComponentBuild;
}

/** A user-facing address; the host is `<subdomain>.<domain>` (subdomain defaults to the name). */
export interface EndpointSpec extends Omit<Endpoint, 'host'> {
  subdomain?: string;
}

export interface ComponentBuild {
  values?: Values;
  workloads?: WorkloadSpec[];
  manifests?: K8sObject[];
  endpoints?: EndpointSpec[];
  secrets?: VaultSecret[];
  /**
   * API groups of custom resources the chart itself renders with these values
   * (a chart's ServiceMonitors, say). The unit then depends on whoever installs
   * those CRDs; glue manifests are read directly and need no entry here.
   */
  usesGroups?: string[];
  /** Dependencies that exist only with these values (an integration with another enabled component). */
  dependsOn?: string[];
  /**
   * Its Services, the connections its pods open and who reaches them from
   * outside: the NetworkPolicies are generated from these (ADR 012). A
   * component whose pods run in a namespace with NetworkPolicies must say,
   * even if only `{}` (its pods accept nothing).
   */
  network?: NetworkSpec;
  /** Networked storage classes it provides, for the failure scenarios. */
  storage?: StorageBackend[];
  /**
   * Files the platform repository carries beside the unit that are not
   * manifests (a Jenkinsfile), by path relative to the unit's folder; Argo CD
   * does not apply them.
   */
  files?: Record<string, string>;
  /** Labels every team namespace gets (Istio's sidecar injection, say). */
  tenantNamespaceLabels?: Labels;
}

/** Names every component can rely on to find the shared platform objects. */
export interface SharedRefs {
  /** ClusterIssuer signing platform certificates (the CA issuer of seed 000 §3). */
  caIssuer: string;
  /** The platform Gateway every HTTPRoute attaches to. */
  gateway: { name: string; namespace: string; httpsListener: string };
  /** Secret holding the wildcard certificate of the Gateway. */
  wildcardSecret: string;
  /** ClusterSecretStore backed by Vault. */
  secretStore: string;
  /** KV v2 mount in Vault holding platform secrets. */
  vaultKvMount: string;
  /** In-cluster Vault address. */
  vaultAddress: string;
}

export interface ComponentContext {
  readonly platform: Platform;
  readonly refs: SharedRefs;
  /** Whether another component is enabled (to wire optional integrations such as ServiceMonitors). */
  enabled(name: string): boolean;
  /** `<sub>.<domain>`. */
  host(subdomain: string): string;
  /** Namespace of another component. */
  namespaceOf(name: string): string;
  /** The enabled components (to gather what they declare, such as policy exceptions). */
  readonly enabledComponents: readonly Component[];
}
