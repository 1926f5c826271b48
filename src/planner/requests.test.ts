import { describe, expect, it } from 'vitest';
import { DEFAULT_CPU_REQUEST, DEFAULT_MEMORY_REQUEST, podNonZeroRequests, podRequests } from './requests.js';
import { container, MI, pod } from './test-fixtures.js';

describe('pod requests', () => {
  it('sums the app containers', () => {
    const p = pod('a', 0, 0, { containers: [container(100, 64 * MI), container(50, 32 * MI)] });
    expect(podRequests(p)).toEqual({ cpu: 150, memory: 96 * MI });
  });
  it('takes the largest init container when it asks more than the app containers, per resource', () => {
    const p = pod('a', 0, 0, { containers: [container(100, 64 * MI), container(50, 32 * MI)], initContainers: [container(500, 16 * MI), container(20, 80 * MI)] });
    expect(podRequests(p)).toEqual({ cpu: 500, memory: 96 * MI });
  });
  it('adds the RuntimeClass overhead', () => {
    const p = pod('a', 100, 64, { initContainers: [container(300, 16 * MI)], overhead: { cpu: 250, memory: 120 * MI } });
    expect(podRequests(p)).toEqual({ cpu: 550, memory: 184 * MI });
  });
  it('counts sidecars (restartable init containers) with the app and with the init containers after them', () => {
    const p = pod('a', 100, 100, { initContainers: [container(10, 10 * MI, { sidecar: true }), container(200, 50 * MI)] });
    expect(podRequests(p)).toEqual({ cpu: 210, memory: 110 * MI });
  });
  it('scores unset requests at the scheduler defaults, but fits them as zero', () => {
    const p = pod('a', 0, 0, { containers: [container(undefined, undefined), container(0, 0)] });
    expect(podRequests(p)).toEqual({ cpu: 0, memory: 0 });
    expect(podNonZeroRequests(p)).toEqual({ cpu: DEFAULT_CPU_REQUEST, memory: DEFAULT_MEMORY_REQUEST });
  });
});
