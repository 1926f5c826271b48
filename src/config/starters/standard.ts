/**
 * The standard example (seed 003): a small production cluster managed by
 * Argo CD. Twelve nodes in four pools and three zones; the sizes are stated
 * and justified against the components' published minimums in the comments
 * the file carries (the text a platform engineer reads).
 */
import { API_VERSION } from '../schema.js';

/** One node entry of the example. */
function node(name: string, role: 'control-plane' | 'worker', pool: string, cpu: number, memory: string, zone: string): string {
  return `    - name: ${name}
      role: ${role}
      pool: ${pool}
      cpu: ${cpu}
      memory: ${memory}
      zone: ${zone}`;
}

const ZONES = ['zone-a', 'zone-b', 'zone-c'];
const pool = (prefix: string, role: 'control-plane' | 'worker', name: string, cpu: number, memory: string) =>
  ZONES.map((zone, i) => node(`${prefix}-${i}`, role, name, cpu, memory, zone)).join('\n');

export function standardStarter(): string {
  return `# plinth.yaml: the whole platform in one file (profile standard, seed 003).
# Validate in your editor: plinth schema > plinth.schema.json, then add
# "# yaml-language-server: $schema=./plinth.schema.json" on the first line.
apiVersion: ${API_VERSION}
kind: Platform

cluster:
  name: prod-idp
  # Every UI gets https://<name>.<domain> through Kong (argocd.example.com, grafana.example.com, ...).
  domain: platform.example.com
  # k3s with embedded etcd on three servers, started without Traefik, ServiceLB and the
  # local-path provisioner (Kong and Ceph replace them):
  #   k3s server --cluster-init --disable=traefik --disable=servicelb --disable=local-storage
  # Its flannel and network policy controller stay.
  distribution: k3s
  environment: production
  # Twelve nodes, one of each pool per zone (rack, room or site): losing a whole zone keeps
  # every quorum (etcd, Ceph MONs, Vault raft: 2 of 3). Sizes against published minimums:
  # - control-plane, 3 x 4 vCPU / 8 GiB: k3s asks 2 CPU / 4 GB of a server with embedded
  #   etcd; etcd wants an SSD and headroom. The rest is the lifeboat: when every other node
  #   is lost, Argo CD and Prometheus (tier 1) run here.
  # - gateway, 3 x 2 vCPU / 4 GiB: Kong only, one replica per node (host ports 80/443).
  #   Kong's own sizing guide starts a small gateway at 1-2 cores and 2-4 GB; a node keeps
  #   one core for nginx workers and bursts.
  # - storage, 3 x 4 vCPU / 16 GiB, one data disk each (SSD, 500 GB or more, no partitions):
  #   Ceph's hardware recommendations ask 4 GB of RAM per OSD (osd_memory_target) and a
  #   core per OSD, 2 GB and more for a MON or MGR of a small cluster; the Rook defaults
  #   request 4Gi per OSD, 1Gi per MON and 512Mi per MGR. Each node runs one OSD and one
  #   MON, two of them a MGR; 16 GiB leaves room for recovery, when OSDs need more.
  # - workers, 3 x 4 vCPU / 16 GiB: every platform service (Vault 3 replicas, Prometheus and
  #   Alertmanager 2 each, Argo CD HA, Loki, Kyverno...) and the applications. Prometheus
  #   keeps 30 days on a Ceph volume: plan 2-4 GiB for it as series grow.
  # plinth plan prints the footprint per pool; plinth simulate shows what each loss costs.
  nodes:
${pool('cp', 'control-plane', 'control-plane', 4, '8Gi')}
${pool('gw', 'worker', 'gateway', 2, '4Gi')}
${pool('ceph', 'worker', 'storage', 4, '16Gi')}
${pool('worker', 'worker', 'workers', 4, '16Gi')}

# A preset of choices, pools and components: standard presets gitops.engine argocd,
# ingress.provider kong, secrets.provider vault and storage.class rook-ceph.
profile: standard

gitops:
  # The repository \`plinth plan\` output is pushed to, and that Argo CD watches.
  repo:
    url: https://git.example.com/platform/gitops.git
    branch: main

# Who may read and operate the platform (ClusterRoles plinth:read-only, plinth:operator).
rbac:
  readOnlyGroups: [platform-viewers]
  operatorGroups: [platform-operators]

platformOwner:
  team: platform
  costCenter: platform

# Every component of the profile is on; switch one off or override its Helm values.
# External access goes through a Cloudflare Tunnel: create it in Cloudflare, point the public
# names you want at it (CNAME to <tunnel id>.cfargotunnel.com), and give its token to the first
# \`plinth up\` as PLINTH_CLOUDFLARE_TUNNEL_TOKEN: it goes into Vault (platform/cloudflare-tunnel),
# never into Git. Without a tunnel:
# components:
#   cloudflare-tunnel:
#     enabled: false
components: {}

# Application teams: each gets its namespaces and an AppProject. Their services get a
# HorizontalPodAutoscaler and a PodDisruptionBudget by default on this profile.
teams:
  - name: store
    costCenter: cc-100
  - name: payment
    costCenter: cc-200
`;
}
