import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, apiTypeTable, formatApiTypeTable } from '../../../test/support/api-types.js';
import { apiFields, apiTypeOf } from './api-types.js';

describe('the table of API types', () => {
  it('is what the installed @kubernetes/client-node says (else run `npx tsx scripts/gen-api-types.ts`)', async () => {
    expect(readFileSync(API_TYPES_FILE, 'utf8')).toBe(formatApiTypeTable(await apiTypeTable()));
  });

  it('names the model of a top-level kind and its fields', () => {
    expect(apiTypeOf('apps/v1', 'Deployment')).toBe('V1Deployment');
    expect(apiTypeOf('networking.k8s.io/v1', 'NetworkPolicy')).toBe('V1NetworkPolicy');
    expect(apiTypeOf('example.com/v1', 'Widget')).toBeUndefined();
    expect(apiFields('V1PodSpec')?.find((f) => f.name === 'containers')).toEqual({ name: 'containers', type: 'Array<V1Container>' });
    expect(apiFields('string')).toBeUndefined();
  });
});
