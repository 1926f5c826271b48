/** Names of the shared platform objects every component may point at. */
import type { SharedRefs } from '../catalog/component.js';

export const SHARED_REFS: SharedRefs = Object.freeze({
  caIssuer: 'plinth-ca',
  gateway: { name: 'platform', namespace: 'gateway', httpsListener: 'https' },
  wildcardSecret: 'platform-wildcard-tls',
  secretStore: 'vault',
  vaultKvMount: 'secret',
  vaultAddress: 'https://vault.vault.svc:8200',
});
