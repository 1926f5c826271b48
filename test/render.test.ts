/**
 * Every enabled component of the edge platform rendered for real: Helm with
 * the generated values and the offline chart cache. All render, and what they
 * render is what the components declare (workloads, containers, budgets,
 * replicas, priority, placement).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { auditWorkloads } from '../src/checks/workloads.js';
import { isHook, isWorkload, podTemplateOf } from '../src/checks/pods.js';
import { parseConfig } from '../src/config/load.js';
import { starterConfig } from '../src/config/starter.js';
import { desiredState, type DesiredState } from '../src/desired/index.js';
import { renderUnits, type RenderedUnit } from '../src/helm/index.js';
import type { K8sObject } from '../src/model/k8s.js';
import { helmSetup } from './support/charts.js';

let state: DesiredState;
/** Units in the order of the desired state. */
const order = (line: string) => state.units.findIndex((u) => u.name === line.split(':')[0]);
let rendered: RenderedUnit[];

beforeAll(async () => {
  const { helm, cache } = await helmSetup();
  state = desiredState(parseConfig(starterConfig(), 'plinth.yaml'));
  rendered = await renderUnits(state.units, { helm, cache, concurrency: 2 });
});

/** The requests and limits (cpu, memory) a container leaves unset, as `requests.cpu`. */
function unsetResources(c: { resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> } }): string[] {
  return (['requests', 'limits'] as const).flatMap((k) => (['cpu', 'memory'] as const).filter((res) => c.resources?.[k]?.[res] === undefined).map((res) => `${k}.${res}`));
}

describe('rendering the edge platform with Helm', () => {
  it('renders every chart-based component', () => {
    const charted = state.units.filter((u) => u.chart);
    expect(charted.length).toBeGreaterThanOrEqual(12);
    for (const r of rendered.filter((r) => r.unit.chart)) {
      expect(r.chartObjects.length, r.unit.name).toBeGreaterThan(0);
    }
  });

  it('renders exactly the workloads, containers and budgets each component declares', () => {
    const findings = rendered.flatMap((r) => auditWorkloads(r.unit, r.chartObjects));
    expect(findings.map((f) => `${f.source?.component}: ${f.object?.kind ?? ''}/${f.object?.name ?? ''} ${f.path ?? ''} ${f.message}`)).toEqual([]);
  });

  it('declares the volume claims the charts render, so the failure scenarios keep those pods on their node', () => {
    const claims = state.units.flatMap((u) => u.workloads.filter((w) => w.volumeClaims.length > 0).map((w) => `${u.name}: ${w.kind}/${w.name} ${w.volumeClaims.join(',')}`));
    expect(claims).toEqual(['vault: StatefulSet/vault data', 'loki: StatefulSet/loki storage', 'jenkins: StatefulSet/jenkins jenkins', 'sonarqube: StatefulSet/sonarqube-sonarqube sonarqube-sonarqube', 'sonarqube: StatefulSet/sonarqube-postgresql data'].sort((a, b) => order(a) - order(b)));
    // A component that forgets its claim is told which one the chart renders.
    const vault = rendered.find((r) => r.unit.name === 'vault')!;
    const forgetful = { ...vault.unit, workloads: vault.unit.workloads.map((w) => ({ ...w, volumeClaims: [] })) };
    expect(auditWorkloads(forgetful, vault.chartObjects).map((f) => [f.object?.name, f.path, f.message])).toEqual([
      ['vault', 'spec.volumeClaimTemplates', 'mounts the claims [data], declared [] (of the default storage class)'],
    ]);
  });

  it('gives every rendered container requests and limits', () => {
    const missing: string[] = [];
    let containers = 0;
    const isTestHook = (o: K8sObject) => isHook(o) && /test/.test(o.metadata.annotations?.['helm.sh/hook'] ?? '');
    const workloads = rendered.flatMap((r) => r.chartObjects.filter((o) => isWorkload(o) && !isTestHook(o)).map((o) => ({ r, o })));
    for (const { r, o } of workloads) {
      const tpl = podTemplateOf(o)!;
      for (const c of [...tpl.spec.containers, ...(tpl.spec.initContainers ?? [])]) {
        containers++;
        missing.push(...unsetResources(c).map((what) => `${r.unit.name}: ${o.kind}/${o.metadata.name} ${c.name} ${what}`));
      }
    }
    expect(containers).toBeGreaterThan(40);
    expect(missing).toEqual([]);
  });
});
