/** `cronjob`: a job on a schedule; never two at once, bounded in time and retries. */
import { podTemplate } from '../parts.js';
import type { GoldenTemplate } from '../types.js';
import { basics, extras, IMAGE, NAME, SECRETS, TEAM } from './common.js';

export const cronjobTemplate: GoldenTemplate = {
  name: 'cronjob',
  title: 'Scheduled job',
  description: 'a job run on a cron schedule, one at a time, with a deadline and bounded retries',
  versions: [{ version: 1, notes: 'CronJob (Forbid concurrency, 1h deadline, 2 retries), restricted security context, ExternalSecrets, a Grafana dashboard' }],
  params: [
    TEAM,
    NAME,
    IMAGE,
    { name: 'schedule', label: 'Schedule', type: 'string', required: true, default: '0 3 * * *', help: 'cron schedule in UTC (five fields, or @hourly, @daily, @weekly, @monthly)' },
    SECRETS,
  ],
  render(ctx, v) {
    const b = basics(ctx, 'cronjob', v);
    const template = podTemplate({ platform: ctx.platform, name: v.name, image: v.image, labels: b.labels, kind: 'CronJob', secrets: v.secrets ?? [], noServiceAccountToken: true, restartPolicy: 'OnFailure' });
    const cronjob = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: b.metadata(),
      spec: {
        schedule: v.schedule!,
        timeZone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: { spec: { backoffLimit: 2, activeDeadlineSeconds: 3600, template } },
      },
    };
    return { namespace: b.namespace, manifests: [cronjob, ...extras(ctx, b, v, { kind: 'cronjob', dashboard: true, scraped: false })], hosts: [], componentType: 'cronjob' };
  },
};
