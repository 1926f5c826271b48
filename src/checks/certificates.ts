/**
 * Renewed certificates must reach the process that serves them. cert-manager
 * renews a Certificate's Secret and the kubelet updates the files of every pod
 * that mounts it, but a server that read its certificate at start goes on
 * serving the old one until it expires. A workload that mounts a
 * Certificate's Secret is fine when its component says how it reloads it
 * (`reloadsCertificates`); otherwise a warning names the day it will break.
 */
import type { K8sObject } from '../model/k8s.js';
import { TENANT_STACK, type Unit } from '../model/unit.js';
import { type Finding, objectOf } from './finding.js';
import { isWorkload, podTemplateOf } from './pods.js';

interface CertificateSpec {
  secretName?: string;
  duration?: string;
}

/** Secret names a pod template mounts (secret volumes and projected secrets). */
function mountedSecrets(o: K8sObject): string[] {
  const spec = podTemplateOf(o)?.spec as { volumes?: { secret?: { secretName?: string }; projected?: { sources?: { secret?: { name?: string } }[] } }[] } | undefined;
  return (spec?.volumes ?? []).flatMap((v) => [v.secret?.secretName, ...(v.projected?.sources ?? []).map((s) => s.secret?.name)].filter((n): n is string => Boolean(n)));
}

export function checkCertificateReloads(units: readonly Unit[], rendered: ReadonlyMap<string, readonly K8sObject[]>): Finding[] {
  const objectsOf = (u: Unit) => [...u.manifests, ...(rendered.get(u.name) ?? [])];
  const certificates = new Map<string, { cert: K8sObject; unit: Unit }>();
  for (const u of units) {
    for (const o of objectsOf(u)) {
      if (o.kind !== 'Certificate' || !o.apiVersion.startsWith('cert-manager.io/')) continue;
      const secret = (o.spec as CertificateSpec | undefined)?.secretName;
      if (secret) certificates.set(`${o.metadata.namespace ?? u.namespace}/${secret}`, { cert: o, unit: u });
    }
  }
  const out: Finding[] = [];
  for (const u of units) {
    if (u.stack === TENANT_STACK) continue;
    for (const o of objectsOf(u).filter(isWorkload)) {
      const ns = o.metadata.namespace ?? u.namespace;
      for (const secret of new Set(mountedSecrets(o))) {
        const found = certificates.get(`${ns}/${secret}`);
        if (!found || u.reloadsCertificates?.some((r) => r.secret === secret)) continue;
        const duration = (found.cert.spec as CertificateSpec).duration ?? '2160h';
        out.push({
          check: 'hygiene',
          severity: 'warning',
          object: objectOf({ ...o, metadata: { ...o.metadata, namespace: ns } }),
          source: { component: u.name },
          path: `${podTemplateOf(o)!.path}.spec.volumes`,
          message: `${o.kind} ${o.metadata.name} mounts Secret ${secret} of Certificate ${found.cert.metadata.name}, and ${u.name} declares no way to reload it: after cert-manager renews it (duration ${duration}), the pods go on serving the old certificate until it expires`,
          hint: 'make the server reload the files (a SIGHUP sidecar, a reloader that restarts the pods where a restart is harmless) and declare it in the component (reloadsCertificates)',
        });
      }
    }
  }
  return out;
}
