/**
 * `plinth check` of the repository's base branch, run in the background once
 * per base commit: the policy results per component and service, the
 * findings per service, and the rendered pods the failure scenarios use.
 */
import type { PlatformCheck } from '../checks/platform.js';
import type { GoldenContext } from '../golden/workflow.js';
import type { Job, Jobs } from './jobs.js';
import type { PortalView } from './model.js';

export class Compliance {
  private job?: Job<PlatformCheck>;
  private commit?: string;

  constructor(
    private readonly golden: GoldenContext,
    private readonly jobs: Jobs,
  ) {}

  /** The check of `view`'s base commit: started when needed, shared by every session. */
  of(view: PortalView): Job<PlatformCheck> {
    if (this.job && this.commit === view.snap.baseCommit && this.job.status !== 'failed') return this.job;
    this.commit = view.snap.baseCommit;
    this.job = this.jobs.start('compliance', '*', async (progress) => {
      progress(`plinth check of ${this.golden.base} at ${view.snap.baseCommit.slice(0, 12)}: rendering every chart, then every checker`);
      const result = await this.golden.check(view.snap.files);
      progress(`done: ${result.report.findings.length} findings`);
      return result;
    });
    return this.job;
  }
}
