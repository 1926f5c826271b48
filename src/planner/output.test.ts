import { describe, expect, it } from 'vitest';
import { workloadsFromUnits } from './from-units.js';
import { simNodes } from './nodes.js';
import { scenarioLosing, standardScenarios } from './scenarios.js';
import { simulate } from './simulate.js';
import { shortReason, simulationSvg } from './svg.js';
import { scenarioText, simulationText } from './text.js';
import { edgePlatform, seedUnits } from './test-fixtures.js';

const platform = edgePlatform();
const nodes = simNodes(platform.nodes);
const run = (names: string[]) => simulate({ nodes, workloads: workloadsFromUnits(platform, seedUnits()), source: 'declared' }, standardScenarios(nodes).filter((s) => names.includes(s.name)));

describe('text report', () => {
  const red = run(['red']).scenarios[0]!;
  const text = scenarioText(red);

  it('shows each node with its requests against allocatable, failed ones marked', () => {
    expect(text).toContain('Scenario red (red): all workers lost (k3s-agent-0, k3s-agent-1)');
    expect(text).toMatch(/^k3s-server-0 +control-plane +control-plane +600m\/1500m \(40%\) +1584Mi\/3Gi \(52%\) +10$/m);
    expect(text).toMatch(/^k3s-agent-0 +infra +FAILED$/m);
  });

  it('lists placements, pending pods with the reason, and a verdict per tier naming what is down', () => {
    expect(text).toMatch(/^k3s-server-0 +1 +argocd\/argocd-server-0 +25m +64Mi +from k3s-agent-0$/m);
    expect(text).toMatch(/^2 +vault\/vault-0 +StatefulSet +0\/1 nodes are available: 1 node\(s\) had untolerated taint\(s\)\. no new claims to deallocate, preemption: /m);
    expect(text).toMatch(/^1 +critical infrastructure +6 +6 +6 +0 +0 +ok$/m);
    expect(text).toMatch(/^3 +workloads +3 +3 +0 +3 +3 +down$/m);
    expect(text).toContain('  tier 3 down: Deployment monitoring/kube-prometheus-stack-grafana, StatefulSet jenkins/jenkins, StatefulSet sonarqube/sonarqube');
  });

  it('heads the report with where the pods come from', () => {
    expect(simulationText(run(['green']))).toMatch(/^Scheduling simulation: 1 scenario, pods from the budgets the components declare \(charts not rendered\)\.\n\nScenario green/);
  });
});

describe('SVG picture', () => {
  const svg = simulationSvg(run(['red']));

  it('is one well-formed SVG document', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    const opened = (svg.match(/<(g|svg|text|title)[\s>]/g) ?? []).length;
    const closed = (svg.match(/<\/(g|svg|text|title)>/g) ?? []).length;
    expect(opened).toBe(closed);
    expect(svg).not.toMatch(/&(?!amp;|lt;|gt;|quot;)/);
  });

  it('draws the nodes as columns, failed ones greyed, pods coloured by tier, pending pods aside, a legend', () => {
    for (const n of ['k3s-server-0', 'k3s-agent-0', 'k3s-agent-1']) expect(svg).toContain(`>${n}</text>`);
    expect((svg.match(/>FAILED</g) ?? []).length).toBe(2);
    expect(svg).toContain('>Pending (10)</text>');
    expect(svg).toContain('<title>argocd/argocd-server-0\nDeployment argocd-server, tier 1, priority 1000000\nrequests 25m CPU, 64Mi\nmoved from k3s-agent-0</title>');
    expect(svg).toContain('fill="#b91c1c"');
    expect(svg).toContain('>tier 1: critical infrastructure</text>');
  });

  it('puts several scenarios side by side in one picture', () => {
    const both = simulationSvg(run(['green', 'red']));
    expect((both.match(/<g transform="translate\(/g) ?? []).length).toBe(3);
    expect(both).toContain('>green — all nodes healthy</text>');
    expect(both).toContain('>red — all workers lost (k3s-agent-0, k3s-agent-1)</text>');
  });

  it('shortens reasons to their first half', () => {
    expect(shortReason('0/3 nodes are available: 1 Insufficient memory, 2 x. no new claims to deallocate, preemption: 0/3 nodes are available: 3 y.')).toBe('1 Insufficient memory, 2 x');
  });

  it('is the same for the same input', () => {
    expect(simulationSvg(run(['red']))).toBe(svg);
    expect(simulationSvg(simulate({ nodes, workloads: workloadsFromUnits(platform, seedUnits()), source: 'declared' }, [scenarioLosing(['k3s-agent-0', 'k3s-agent-1'], nodes, 'red')]))).toBe(svg);
  });
});
