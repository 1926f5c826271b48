import { describe, expect, it } from 'vitest';
import { schedulingHint } from './diagnose.js';

// Messages as kube-scheduler v1.36.3 writes them (seen in the e2e suite's scheduler agreement).
const VOLUME_136 =
  "0/3 nodes are available: 1 node(s) didn't match PersistentVolume's node affinity, 2 node(s) had untolerated taint(s). no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";

describe('scheduling hints of plinth doctor', () => {
  it('reads a node-local volume pinned elsewhere in the 1.36 wording, not as a pool mismatch', () => {
    expect(schedulingHint(VOLUME_136)).toMatch(/^its volume lives on one node's disk/);
    expect(schedulingHint('0/2 nodes are available: 2 node(s) had volume node affinity conflict.')).toMatch(/^its volume lives on one node's disk/);
  });

  it('still reads a pool mismatch and untolerated taints (both wordings)', () => {
    expect(schedulingHint("0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.")).toMatch(/^no node matches the pool/);
    expect(schedulingHint('0/1 nodes are available: 1 node(s) had untolerated taint(s).')).toMatch(/^the pod does not tolerate a node taint/);
    expect(schedulingHint('0/1 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }.')).toMatch(/^the pod does not tolerate a node taint/);
  });
});
