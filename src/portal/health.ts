/** Sync and health of each component from the cluster's Argo CD Applications (what `plinth status` reads). */
import type { ClusterClient } from '../cluster/index.js';
import type { DesiredState } from '../desired/index.js';
import { gatherStatus } from '../ops/status/gather.js';
import { statusReport } from '../ops/status/report.js';
import type { HealthView } from './pages.js';

export async function clusterHealth(state: DesiredState, client: ClusterClient): Promise<HealthView> {
  const report = statusReport(state, await gatherStatus(client, state.platform.choices.engine), Date.now());
  return {
    health: new Map(report.components.map((c) => [c.component, { sync: c.sync, health: c.health, ...(c.message ? { message: c.message } : {}) }])),
    note: `context ${client.context}: ${report.components.filter((c) => c.health === 'Healthy').length} of ${report.components.length} components healthy`,
  };
}
