import { describe, expect, it } from 'vitest';
import { firstUntolerated, taintText, tolerates } from './tolerations.js';
import type { Taint } from './types.js';

const cp: Taint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };
const dedicated: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoExecute' };

describe('tolerations', () => {
  it('Equal (the default operator) needs the same key, value and effect', () => {
    expect(tolerates({ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }, dedicated)).toBe(true);
    expect(tolerates({ key: 'dedicated', operator: 'Equal', value: 'gpu' }, dedicated)).toBe(true);
    expect(tolerates({ key: 'dedicated', value: 'cpu' }, dedicated)).toBe(false);
    expect(tolerates({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }, dedicated)).toBe(false);
    expect(tolerates({ key: 'node-role.kubernetes.io/control-plane' }, cp)).toBe(true);
  });
  it('Exists ignores the value; an empty key with Exists tolerates every taint', () => {
    expect(tolerates({ key: 'dedicated', operator: 'Exists' }, dedicated)).toBe(true);
    expect(tolerates({ operator: 'Exists' }, dedicated)).toBe(true);
    expect(tolerates({ operator: 'Exists' }, cp)).toBe(true);
    expect(tolerates({ operator: 'Exists', effect: 'NoSchedule' }, dedicated)).toBe(false);
    expect(tolerates({ key: 'other', operator: 'Exists' }, cp)).toBe(false);
  });
  it('finds the first untolerated NoSchedule or NoExecute taint, ignoring PreferNoSchedule', () => {
    const soft: Taint = { key: 'soft', effect: 'PreferNoSchedule' };
    expect(firstUntolerated([soft, cp, dedicated], [], ['NoSchedule', 'NoExecute'])).toEqual(cp);
    expect(firstUntolerated([soft, cp, dedicated], [{ key: cp.key, operator: 'Exists' }], ['NoSchedule', 'NoExecute'])).toEqual(dedicated);
    expect(firstUntolerated([soft], [], ['NoSchedule', 'NoExecute'])).toBeUndefined();
  });
  it('names a taint as the scheduler does', () => {
    expect(taintText(cp)).toBe('{node-role.kubernetes.io/control-plane: }');
    expect(taintText(dedicated)).toBe('{dedicated: gpu}');
  });
});
