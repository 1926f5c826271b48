/** The built-in edge example (seeds 000/001): three small nodes, Argo CD, Cilium's Gateway, Vault. */
import { API_VERSION } from '../schema.js';

export function edgeStarter(): string {
  const profile = 'edge';
  return `# plinth.yaml: the whole platform in one file.
# Validate in your editor: plinth schema > plinth.schema.json, then add
# "# yaml-language-server: $schema=./plinth.schema.json" on the first line.
apiVersion: ${API_VERSION}
kind: Platform

cluster:
  name: edge-idp
  # Every UI gets https://<name>.<domain> on the platform Gateway (argocd.idp.local, grafana.idp.local, ...).
  domain: idp.local
  # k3s (started without flannel, kube-proxy, servicelb and traefik: Cilium replaces them) or generic.
  distribution: k3s
  # Goes into the "environment" label every namespace must carry.
  environment: production
  # Three nodes as in seed 001: one tainted server (control plane, and the lifeboat of
  # tier 1 when workers are lost), one agent for platform services, one for applications.
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
  # Where nodes reach the Kubernetes API: Cilium replaces kube-proxy and needs it before
  # cluster DNS exists. Put the server's IP here (the node name works only where the nodes
  # resolve it themselves).
  apiServer:
    host: 192.168.1.10
    port: 6443

# A preset of choices, pools and components: edge (this one), compact (Flux, ingress-nginx).
profile: ${profile}

# Choices the profile presets, each overridable: gitops.engine, ingress.provider,
# secrets.provider, storage.class (plinth schema lists their values).
gitops:
  engine: argocd
  # The repository \`plinth plan\` output is pushed to, and that Argo CD watches.
  repo:
    url: https://git.example.com/platform/gitops.git
    branch: main

# Who owns the platform's own namespaces (labels owner and cost-center).
platformOwner:
  team: platform
  costCenter: platform

# Every component of the profile is on; switch one off or override its Helm values:
# components:
#   jenkins:
#     enabled: false
#   kube-prometheus-stack:
#     values:
#       prometheus:
#         prometheusSpec:
#           retention: 3d
components: {}

# Application teams: each gets its namespaces (labelled for cost attribution) and an AppProject.
teams:
  - name: team-a
    costCenter: cc-100

# Registries images may come from (policy restrict-image-registries); default: those the platform uses.
# policy:
#   allowedRegistries: [ghcr.io, registry.example.com]

# Local files \`plinth up\` uses; never in Git, never printed.
# bootstrap:
#   vaultKeysFile: ~/.config/plinth/edge-idp/vault-keys.json   # unseal keys and root token, mode 0600
#   repoCredentialsFile: ~/.config/plinth/git.yaml            # or PLINTH_GIT_USERNAME + PLINTH_GIT_TOKEN
`;
}
