/**
 * The lab example (seed 004): the DevOps lab. Istio behind a Gateway API
 * Gateway (its Service given an address by Cilium's LB IPAM), the LGTM + P
 * stack on MinIO, Falco, Velero, Jenkins with Trivy, Argo CD with Argo
 * Rollouts. Sizing: see the node comment below and docs/adr/010-lab-observability-and-sizing.md.
 */
import { API_VERSION } from '../schema.js';

export function labStarter(): string {
  return `# plinth.yaml: the whole platform in one file (profile lab, seed 004).
# Validate in your editor: plinth schema > plinth.schema.json, then add
# "# yaml-language-server: $schema=./plinth.schema.json" on the first line.
apiVersion: ${API_VERSION}
kind: Platform

cluster:
  name: lab-idp
  # Every UI gets https://<name>.<domain> through the Istio ingress gateway (grafana.lab.local, kiali.lab.local, ...).
  domain: lab.local
  # k3s started without flannel, kube-proxy, servicelb and traefik: Cilium replaces them, and
  # gives the ingress gateway's LoadBalancer Service an address from ingress.loadBalancer.
  distribution: k3s
  environment: lab
  # Three nodes of 4 vCPU / 8 GiB, the pools of edge: one tainted server (the control plane, and the
  # lifeboat of tier 1 when the workers are lost), one agent for platform services, one for
  # applications and CI. The lab runs a mesh, four telemetry back ends with their object store,
  # runtime security and backups on top of the edge platform: \`plinth check\` prints the footprint
  # per pool, \`plinth simulate\` what survives the loss of each node.
  nodes:
    - name: k3s-server-0
      role: control-plane
      pool: control-plane
      cpu: 4
      memory: 8Gi
    - name: k3s-agent-0
      role: worker
      pool: infra
      cpu: 4
      memory: 8Gi
    - name: k3s-agent-1
      role: worker
      pool: apps
      cpu: 4
      memory: 8Gi
  # Where nodes reach the Kubernetes API: Cilium replaces kube-proxy and needs it before
  # cluster DNS exists. Put the server's IP here.
  apiServer:
    host: 192.168.1.10
    port: 6443

# A preset of choices, pools and components: edge, compact, lab (this one).
profile: lab

# Choices the profile presets, each overridable: gitops.engine, ingress.provider,
# secrets.provider, storage.class (plinth schema lists their values).
gitops:
  engine: argocd
  # The repository \`plinth plan\` output is pushed to, that Argo CD watches and that the
  # Jenkins pipeline bumps image tags in.
  repo:
    url: https://git.example.com/platform/gitops.git
    branch: main

ingress:
  provider: istio
  # Free addresses of the nodes' network: Cilium announces them (ARP) for LoadBalancer Services,
  # the Istio ingress gateway's among them.
  loadBalancer:
    addresses: [192.168.1.240-192.168.1.245]

# Who owns the platform's own namespaces (labels owner and cost-center).
platformOwner:
  team: platform
  costCenter: platform

# Every component of the profile is on; switch one off or override its Helm values:
# components:
#   pyroscope:
#     enabled: false
#   velero:
#     values:
#       schedules:
#         daily:
#           schedule: "30 2 * * *"
components: {}

# Application teams: each gets its namespaces (labelled for cost attribution, in the mesh with
# mTLS required, backed up every night) and an AppProject.
teams:
  - name: team-a
    costCenter: cc-100

# Local files \`plinth up\` uses; never in Git, never printed.
# bootstrap:
#   vaultKeysFile: ~/.config/plinth/lab-idp/vault-keys.json   # unseal keys and root token, mode 0600
#   repoCredentialsFile: ~/.config/plinth/git.yaml           # or PLINTH_GIT_USERNAME + PLINTH_GIT_TOKEN
`;
}
