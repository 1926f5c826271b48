/**
 * The lab's CI/CD pipeline (seed 004 §2B) on Jenkins, as code:
 *
 * - the Jenkinsfile, shipped in the platform repository beside the Jenkins
 *   unit (`platform/cicd/jenkins/pipelines/Jenkinsfile`): scan the source with
 *   Trivy, build the image (rootless BuildKit, into a file), scan the image
 *   with Trivy, push it, and bump its tag in the GitOps repository, where Argo
 *   CD picks the change up and Argo Rollouts runs the canary;
 * - the job that runs it, defined with Job DSL through JCasC
 *   (`golden-path-build`, parameterised per service);
 * - its credentials, never in Git: a Vault entry (`platform/jenkins/ci`), an
 *   ExternalSecret into `jenkins-ci`, mounted for JCasC, which declares the
 *   Jenkins credentials `registry` and `git` from it. `plinth up` creates the
 *   entry with placeholders (registry user `ci`, generated password and
 *   token) so Jenkins starts; put the real registry and Git credentials in
 *   Vault (`vault kv patch secret/platform/jenkins/ci ...`) and External
 *   Secrets brings them within its refresh interval.
 *
 * Agent pods run in the apps pool with the tier-3 priority, like the
 * chart's default agent.
 */
import { POOL_LABEL } from '../../model/profiles.js';
import { TIERS } from '../../model/tiers.js';
import type { K8sObject } from '../../model/k8s.js';
import type { VaultSecret } from '../../model/unit.js';
import type { Values } from '../../lib/values.js';
import type { ComponentContext } from '../component.js';
import { externalSecret } from '../glue.js';

/** Where the Jenkinsfile lives, relative to the Jenkins unit's folder, and in the repository. */
export const JENKINSFILE = { unitPath: 'pipelines/Jenkinsfile', repoPath: 'platform/cicd/jenkins/pipelines/Jenkinsfile' } as const;
export const PIPELINE_JOB = 'golden-path-build';
/** Job DSL, pinned like the chart's own plugins. */
export const JOB_DSL_PLUGIN = 'job-dsl:3654.vdf58f53e2d15';
const CI_SECRET = 'jenkins-ci';
const CI_VAULT_PATH = 'platform/jenkins/ci';
/** The Jenkins credentials the Jenkinsfile uses, by id, and the keys of `jenkins-ci` they come from. */
export const CI_CREDENTIALS = {
  registry: { username: 'registry-username', password: 'registry-password' },
  git: { username: 'git-username', password: 'git-token' },
} as const;
/** Images of the pipeline's build containers: Trivy as the in-cluster operator runs it, rootless BuildKit. */
export const PIPELINE_IMAGES = { trivy: 'mirror.gcr.io/aquasec/trivy:0.72.0', buildkit: 'docker.io/moby/buildkit:v0.34.1-rootless' } as const;
/** Findings that fail the build, in the source and in the image. */
const SEVERITIES = 'HIGH,CRITICAL';

/** The Jenkinsfile: a declarative pipeline on a Kubernetes agent. */
export function jenkinsfile(): string {
  const tier3 = TIERS[3].priorityClassName;
  return `// The golden-path pipeline of the lab (seed 004 "CI/CD Pipeline Flow"), written by Plinth.
// Job ${PIPELINE_JOB} (Job DSL, JCasC) runs it with the parameters APP_REPO, APP_BRANCH, IMAGE
// (registry/repository, no tag), MANIFEST (the service's manifest in this repository), GITOPS_REPO
// and GITOPS_BRANCH. Credentials are the Jenkins credentials 'registry' and 'git', from Vault.
pipeline {
  agent {
    kubernetes {
      yaml '''
apiVersion: v1
kind: Pod
spec:
  priorityClassName: ${tier3}
  nodeSelector:
    ${POOL_LABEL}: apps
  containers:
    - name: trivy
      image: ${PIPELINE_IMAGES.trivy}
      command: [sleep]
      args: [infinity]
      resources:
        requests: {cpu: 100m, memory: 256Mi}
        limits: {cpu: "1", memory: 1Gi}
    - name: buildkit
      image: ${PIPELINE_IMAGES.buildkit}
      command: [sleep]
      args: [infinity]
      env:
        - name: BUILDKITD_FLAGS
          value: --oci-worker-no-process-sandbox
      securityContext:
        runAsUser: 1000
        runAsGroup: 1000
        seccompProfile: {type: Unconfined}
        appArmorProfile: {type: Unconfined}
      resources:
        requests: {cpu: 250m, memory: 512Mi}
        limits: {cpu: "2", memory: 2Gi}
'''
    }
  }
  options {
    timeout(time: 45, unit: 'MINUTES')
    disableConcurrentBuilds()
  }
  stages {
    stage('Checkout') {
      steps {
        dir('src') {
          git url: params.APP_REPO, branch: params.APP_BRANCH, credentialsId: 'git'
        }
        script {
          env.TAG = sh(script: 'git -C src rev-parse --short=12 HEAD', returnStdout: true).trim()
        }
      }
    }
    stage('Scan source (Trivy)') {
      steps {
        container('trivy') {
          sh 'trivy fs --exit-code 1 --severity ${SEVERITIES} --ignore-unfixed --no-progress src'
        }
      }
    }
    stage('Build image') {
      steps {
        container('buildkit') {
          sh 'buildctl-daemonless.sh build --frontend dockerfile.v0 --local context=src --local dockerfile=src --output type=oci,name="$IMAGE:$TAG",dest=image.tar'
        }
      }
    }
    stage('Scan image (Trivy)') {
      steps {
        container('trivy') {
          sh 'trivy image --exit-code 1 --severity ${SEVERITIES} --ignore-unfixed --no-progress --input image.tar'
        }
      }
    }
    stage('Push image') {
      steps {
        withCredentials([usernamePassword(credentialsId: 'registry', usernameVariable: 'REGISTRY_USER', passwordVariable: 'REGISTRY_PASSWORD')]) {
          container('buildkit') {
            // Single quotes: the shell expands the credentials, Groovy never sees them.
            sh '''
              mkdir -p "$HOME/.docker"
              auth=$(printf '%s:%s' "$REGISTRY_USER" "$REGISTRY_PASSWORD" | base64 | tr -d '\\\\n')
              printf '{"auths":{"%s":{"auth":"%s"}}}' "\${IMAGE%%/*}" "$auth" > "$HOME/.docker/config.json"
              buildctl-daemonless.sh build --frontend dockerfile.v0 --local context=src --local dockerfile=src --output type=image,name="$IMAGE:$TAG",push=true
              rm -f "$HOME/.docker/config.json"
            '''
          }
        }
      }
    }
    stage('Bump tag in the GitOps repository') {
      steps {
        withCredentials([usernamePassword(credentialsId: 'git', usernameVariable: 'GIT_USER', passwordVariable: 'GIT_TOKEN')]) {
          sh '''
            helper='!f() { echo "username=$GIT_USER"; echo "password=$GIT_TOKEN"; }; f'
            rm -rf gitops
            git -c credential.helper="$helper" clone --depth 1 --branch "$GITOPS_BRANCH" "$GITOPS_REPO" gitops
            sed -i -E "s#(image: )$IMAGE(:[^[:space:]]+|@sha256:[0-9a-f]+)?#\\\\1$IMAGE:$TAG#" "gitops/$MANIFEST"
            cd gitops
            if git diff --quiet; then echo "$MANIFEST already runs $IMAGE:$TAG"; exit 0; fi
            git -c user.name=jenkins -c user.email=jenkins@plinth.invalid commit -am "ci: $IMAGE:$TAG in $MANIFEST"
            git -c credential.helper="$helper" push origin "HEAD:$GITOPS_BRANCH"
          '''
        }
      }
    }
  }
}
`;
}

/** The job, in Job DSL (no `\${`: JCasC would resolve it). */
function jobDsl(repo: { url: string; branch: string }): string {
  return [
    `pipelineJob('${PIPELINE_JOB}') {`,
    `  description('Golden path: Trivy on the source, build, Trivy on the image, push, bump the tag in the GitOps repository (${JENKINSFILE.repoPath}).')`,
    '  parameters {',
    "    stringParam('APP_REPO', '', 'Git URL (https) of the service source')",
    "    stringParam('APP_BRANCH', 'main', 'branch to build')",
    "    stringParam('IMAGE', '', 'image to push, without tag: registry/repository')",
    "    stringParam('MANIFEST', '', 'manifest of the service in the GitOps repository: apps/<team>/<service>/manifests/<service>.yaml')",
    `    stringParam('GITOPS_REPO', '${repo.url}', 'the GitOps repository')`,
    `    stringParam('GITOPS_BRANCH', '${repo.branch}', 'its branch')`,
    '  }',
    '  definition {',
    '    cpsScm {',
    '      scm {',
    '        git {',
    `          remote { url('${repo.url}'); credentials('git') }`,
    `          branch('*/${repo.branch}')`,
    '        }',
    '      }',
    `      scriptPath('${JENKINSFILE.repoPath}')`,
    '      lightweight(true)',
    '    }',
    '  }',
    '}',
  ].join('\n');
}

/** JCasC: the credentials (from the mounted `jenkins-ci` keys) and the job. */
function casc(repo: { url: string; branch: string }): Record<string, string> {
  const v = (key: string) => `\${${CI_SECRET}-${key}}`;
  const credential = (id: string, c: { username: string; password: string }, description: string) =>
    [`          - usernamePassword:`, `              scope: GLOBAL`, `              id: ${id}`, `              description: ${description}`, `              username: "${v(c.username)}"`, `              password: "${v(c.password)}"`].join('\n');
  return {
    'ci-credentials': [
      'credentials:',
      '  system:',
      '    domainCredentials:',
      '      - credentials:',
      credential('registry', CI_CREDENTIALS.registry, 'container registry the pipeline pushes to'),
      credential('git', CI_CREDENTIALS.git, 'Git: service sources and the GitOps repository'),
      '',
    ].join('\n'),
    'golden-path-job': ['jobs:', '  - script: |', ...jobDsl(repo).split('\n').map((l) => `      ${l}`), ''].join('\n'),
  };
}

export interface LabPipeline {
  values: Values;
  configScripts: Record<string, string>;
  plugins: string[];
  files: Record<string, string>;
  manifests: K8sObject[];
  secrets: VaultSecret[];
}

/** The pipeline on the lab's Jenkins; nothing on other profiles. */
export function labPipeline(ctx: ComponentContext, namespace: string): LabPipeline | undefined {
  if (ctx.platform.profile.name !== 'lab') return undefined;
  const repo = ctx.platform.config.gitops.repo;
  const keys = [CI_CREDENTIALS.registry.username, CI_CREDENTIALS.registry.password, CI_CREDENTIALS.git.username, CI_CREDENTIALS.git.password];
  return {
    values: { controller: { additionalExistingSecrets: keys.map((keyName) => ({ name: CI_SECRET, keyName })) } },
    configScripts: casc(repo),
    plugins: [JOB_DSL_PLUGIN],
    files: { [JENKINSFILE.unitPath]: jenkinsfile() },
    manifests: [
      externalSecret(ctx.refs, { name: CI_SECRET, namespace, target: CI_SECRET, vaultPath: CI_VAULT_PATH, data: keys.map((k) => ({ secretKey: k, property: k })) }),
    ],
    secrets: [
      {
        path: CI_VAULT_PATH,
        // Placeholders so that Jenkins starts; the real credentials are put in Vault by hand.
        keys: [
          { name: CI_CREDENTIALS.registry.username, generate: { value: 'ci' } },
          { name: CI_CREDENTIALS.registry.password, generate: 'password' },
          { name: CI_CREDENTIALS.git.username, generate: { value: 'jenkins' } },
          { name: CI_CREDENTIALS.git.password, generate: 'token' },
        ],
      },
    ],
  };
}
