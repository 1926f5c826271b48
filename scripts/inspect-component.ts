#!/usr/bin/env -S npx tsx
/**
 * Developer tool: render one catalog component with its generated values (the
 * starter of the first profile that includes it, edge first, or `--profile P`)
 * and compare what Helm renders with what the component declares.
 * Every module in src/catalog/components/ is loaded, registered in the catalog or not.
 *
 *   npx tsx scripts/inspect-component.ts <component> [--profile P] [--values] [--objects] [--yaml KIND/NAME]
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Component } from '../src/catalog/component.js';
import { parseConfig } from '../src/config/load.js';
import { starterConfig } from '../src/config/starter.js';
import { resolvePlatform } from '../src/desired/resolve.js';
import { buildUnit, componentContext } from '../src/desired/units.js';
import { findHelm, locateChartCache, renderUnit, servedApiVersions } from '../src/helm/index.js';
import { auditWorkloads } from '../src/checks/workloads.js';
import { isWorkload, podTemplateOf } from '../src/checks/pods.js';
import { toYaml } from '../src/lib/yaml.js';
import type { Unit } from '../src/model/unit.js';

const dir = fileURLToPath(new URL('../src/catalog/components/', import.meta.url));
const catalog: Component[] = [];
for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort()) {
  const mod = (await import(`${dir}${file}`)) as Record<string, unknown>;
  for (const v of Object.values(mod)) if (v && typeof v === 'object' && 'build' in v && 'name' in v) catalog.push(v as Component);
}

const [name, ...flags] = process.argv.slice(2);
const component = catalog.find((c) => c.name === name);
if (!component) {
  console.error(`usage: inspect-component.ts <${catalog.map((c) => c.name).join('|')}> [--profile P] [--values] [--objects] [--yaml KIND/NAME]`);
  process.exit(2);
}
const profileFlag = flags.includes('--profile') ? flags[flags.indexOf('--profile') + 1] : undefined;
const profile = profileFlag ?? (component.profiles.includes('edge') || component.profiles.length === 0 ? 'edge' : component.profiles[0]!);
const platform = resolvePlatform(parseConfig(starterConfig(profile), 'builtin'), catalog);
if (!platform.enabled.includes(component.name)) {
  console.error(`${component.name} is not part of the ${profile} starter; pass --profile with one that includes it`);
  process.exit(2);
}
const ctx = componentContext(platform, catalog);
const units: Unit[] = catalog.filter((c) => platform.enabled.includes(c.name)).map((c) => ({ ...buildUnit(c, ctx), wave: 0 }));
const unit = units.find((u) => u.name === name)!;
if (flags.includes('--values')) console.log(toYaml(unit.values));
const helm = (await findHelm(process.env)).path;
const rendered = await renderUnit(unit, { helm, cache: locateChartCache(process.env), apiVersions: servedApiVersions(units) });
const objects = rendered.chartObjects;
if (flags.includes('--objects')) for (const o of objects) console.log(`${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`);
const yamlOf = flags[flags.indexOf('--yaml') + 1];
if (flags.includes('--yaml') && yamlOf) for (const o of objects.filter((o) => `${o.kind}/${o.metadata.name}` === yamlOf)) console.log(toYaml(o));
for (const o of objects.filter(isWorkload)) {
  const t = podTemplateOf(o);
  console.log(`${o.kind}/${o.metadata.name} replicas=${(o.spec as { replicas?: number })?.replicas ?? '-'} priority=${t?.spec.priorityClassName} hook=${o.metadata.annotations?.['helm.sh/hook'] ?? '-'}`);
  console.log(`  labels=${JSON.stringify(t?.metadata.labels)}`);
  for (const c of t?.spec.initContainers ?? []) console.log(`  init ${c.name} ${c.image} ${JSON.stringify(c.resources)}`);
  for (const c of t?.spec.containers ?? []) console.log(`  ctr  ${c.name} ${c.image} ${JSON.stringify(c.resources)}`);
}
for (const s of objects.filter((o) => o.kind === 'Service')) {
  console.log(`Service ${s.metadata.name} ${JSON.stringify((s.spec as { ports?: { name?: string; port: number }[] }).ports?.map((p) => [p.name, p.port]))}`);
}
const groups = [...new Set(objects.map((o) => (o.apiVersion.includes('/') ? o.apiVersion.split('/')[0]! : '')))].filter((g) => g.includes('.') && !g.endsWith('k8s.io')).sort();
console.log(`API groups in rendered objects: ${groups.join(', ') || '-'} (crdGroups: ${unit.crdGroups.join(', ') || '-'}; usesGroups: ${unit.usesGroups.join(', ') || '-'})`);
const findings = auditWorkloads(unit, objects);
for (const f of findings) console.log(`FINDING ${f.severity} ${f.object ? `${f.object.kind}/${f.object.name}` : ''} ${f.path ?? ''}: ${f.message}${f.hint ? ` (hint: ${f.hint})` : ''}`);
console.log(findings.length === 0 ? 'OK: budget matches the rendered chart' : `${findings.length} findings`);
