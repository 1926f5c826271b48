/**
 * Once the Sealed Secrets controller of the platform is Healthy, `plinth up`
 * fetches its public certificate (as kubeseal does) into the local file
 * `plinth seal` reads by default, so sealing works offline from then on.
 */
import { SEALED_SECRETS_CONTROLLER } from '../../catalog/components/sealed-secrets.js';
import type { Unit } from '../../model/unit.js';
import { fetchSealingCert, saveSealingCert } from '../sealed-secrets.js';
import type { UpRun } from './run.js';

export const SEALED_SECRETS_UNIT = 'sealed-secrets';

export async function saveSealingCertOnce(run: UpRun, ready: readonly Unit[]): Promise<void> {
  const file = run.options.sealingCertFile;
  if (run.dryRun || !file || !ready.some((u) => u.name === SEALED_SECRETS_UNIT)) return;
  try {
    await saveSealingCert(file, await fetchSealingCert(run.client, SEALED_SECRETS_CONTROLLER));
    run.ops.report.line(`      Sealed Secrets certificate saved to ${file} (plinth seal uses it)`);
  } catch (e) {
    run.ops.report.warn(`could not fetch the Sealed Secrets certificate: ${(e as Error).message} (plinth seal --cert FILE still works; \`plinth up\` tries again)`);
  }
}
