/**
 * The compact example (seed 002): one small cluster managed by Flux,
 * ingress-nginx behind a MetalLB address, Vault with External Secrets for
 * runtime secrets and Sealed Secrets for what must be in Git.
 */
import { API_VERSION } from '../schema.js';

export function compactStarter(): string {
  return `# plinth.yaml: the whole platform in one file (profile compact, seed 002).
# Validate in your editor: plinth schema > plinth.schema.json, then add
# "# yaml-language-server: $schema=./plinth.schema.json" on the first line.
apiVersion: ${API_VERSION}
kind: Platform

cluster:
  name: compact-idp
  # Every UI gets https://<name>.<domain> through ingress-nginx.
  domain: idp.local
  # k3s as it comes, but without Traefik and ServiceLB (MetalLB and ingress-nginx replace
  # them): k3s server --disable=traefik --disable=servicelb. Its flannel and network policy
  # controller stay: they enforce the platform's NetworkPolicies.
  distribution: k3s
  environment: production
  # Three nodes of 2 vCPU / 4 GiB, as edge: one tainted server, one agent for platform
  # services, one for applications. Without CI tools the platform needs less than edge.
  nodes:
    - name: k3s-server-0
      role: control-plane
      pool: control-plane
      cpu: 2
      memory: 4Gi
    - name: k3s-agent-0
      role: worker
      pool: infra
      cpu: 2
      memory: 4Gi
    - name: k3s-agent-1
      role: worker
      pool: apps
      cpu: 2
      memory: 4Gi
  apiServer:
    host: 192.168.1.10
    port: 6443

# A preset of choices, pools and components: compact presets gitops.engine flux,
# ingress.provider ingress-nginx, secrets.provider both and storage.class local-path.
profile: compact

gitops:
  # Seed 002 runs Flux (the compact preset); \`engine: argocd\` writes the Argo CD layout instead.
  engine: flux
  # The repository \`plinth plan\` output is pushed to, and that Flux's GitRepository reads
  # (http(s):// or ssh://).
  repo:
    url: https://git.example.com/platform/gitops.git
    branch: main

ingress:
  # MetalLB (layer 2) gives ingress-nginx's Service one of these: free addresses of the
  # nodes' network, outside any DHCP range.
  loadBalancer:
    addresses:
      - 192.168.1.240-192.168.1.250

# Certificates: the platform CA signs every endpoint (self-signed chain). For public names,
# add an ACME account and ClusterIssuer "letsencrypt" (HTTP-01 through ingress-nginx):
# tls:
#   acme:
#     email: platform-team@example.com

# Who may read and operate the platform (ClusterRoles plinth:read-only, plinth:operator).
rbac:
  readOnlyGroups: [platform-viewers]
  operatorGroups: [platform-operators]

platformOwner:
  team: platform
  costCenter: platform

components: {}

teams:
  - name: team-a
    costCenter: cc-100
`;
}
