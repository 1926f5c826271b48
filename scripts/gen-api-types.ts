#!/usr/bin/env -S npx tsx
/**
 * Writes src/checks/schema/generated/api-types.json (generated; never edit it
 * by hand): the field names and types of every model of
 * @kubernetes/client-node, the Kubernetes API's own type metadata. `plinth
 * check` reads that table to find fields the API server would not know, so
 * the offline check never loads the Kubernetes client. Run it again when
 * @kubernetes/client-node changes version (a unit test says when):
 *
 *   npx tsx scripts/gen-api-types.ts
 */
import { writeFileSync } from 'node:fs';
import { apiTypeTable, API_TYPES_FILE, formatApiTypeTable } from '../test/support/api-types.js';

writeFileSync(API_TYPES_FILE, formatApiTypeTable(await apiTypeTable()));
console.log(`wrote ${API_TYPES_FILE}`);
