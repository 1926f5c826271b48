/** Security contexts the catalog writes into charts that let it set them (Pod Security Standards, restricted). */

/** A container running as a non-root user with no privileges (restricted profile). */
export function restrictedContainer(o: { readOnlyRootFilesystem: boolean; runAsNonRoot?: boolean; runAsUser?: number }): Record<string, unknown> {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    readOnlyRootFilesystem: o.readOnlyRootFilesystem,
    ...(o.runAsNonRoot === false ? {} : { runAsNonRoot: true }),
    ...(o.runAsUser !== undefined ? { runAsUser: o.runAsUser } : {}),
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** The pod-level half: a fixed non-root user and group owning the volumes, the runtime's seccomp profile. */
export function restrictedPod(uid: number): Record<string, unknown> {
  return { runAsNonRoot: true, runAsUser: uid, runAsGroup: uid, fsGroup: uid, seccompProfile: { type: 'RuntimeDefault' } };
}
