/**
 * The table of API types `plinth check` reads (src/checks/schema/generated/
 * api-types.json), built from the installed @kubernetes/client-node: by
 * scripts/gen-api-types.ts to write it, and by a unit test to say when it is
 * stale.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ApiTypeTable } from '../../src/checks/schema/api-types.js';

export const API_TYPES_FILE = fileURLToPath(new URL('../../src/checks/schema/generated/api-types.json', import.meta.url));

type ModelClass = { getAttributeTypeMap(): { baseName: string; type: string }[] };

function isModel(c: unknown): c is ModelClass {
  return typeof c === 'function' && typeof (c as { getAttributeTypeMap?: unknown }).getAttributeTypeMap === 'function';
}

export async function apiTypeTable(): Promise<ApiTypeTable> {
  const k8s = (await import('@kubernetes/client-node')) as unknown as Record<string, unknown>;
  const { version } = createRequire(import.meta.url)('@kubernetes/client-node/package.json') as { version: string };
  const models: ApiTypeTable['models'] = {};
  for (const name of Object.keys(k8s).sort()) {
    const c = k8s[name];
    if (isModel(c)) models[name] = c.getAttributeTypeMap().map((a) => [a.baseName, a.type]);
  }
  return { generatedBy: `scripts/gen-api-types.ts from @kubernetes/client-node ${version}; never edit by hand`, models };
}

/** One model a line, in name order: small diffs when the client changes. */
export function formatApiTypeTable(table: ApiTypeTable): string {
  const lines = Object.entries(table.models).map(([name, fields]) => `    ${JSON.stringify(name)}: ${JSON.stringify(fields)}`);
  return `{\n  "generatedBy": ${JSON.stringify(table.generatedBy)},\n  "models": {\n${lines.join(',\n')}\n  }\n}\n`;
}
