/** `plinth images` as text and JSON. */
import { table } from '../lib/table.js';
import { toJson } from '../lib/yaml.js';
import type { ImageList } from './collect.js';
import { mirroredName, type RegistryMirror } from './k3s.js';

export function imagesText(list: ImageList, mirror?: RegistryMirror): string {
  const rows = list.images.map((i) => [
    i.full,
    i.units.join(', '),
    [...new Set(i.uses.map((u) => (u.how === 'reference' ? 'started by operator' : u.how)))].sort().join(', '),
    ...(mirror ? [mirroredName(i.full, mirror)] : []),
  ]);
  const registries = [...new Set(list.images.map((i) => i.registry))].sort();
  const lines = [
    table(['image', 'units', 'runs as', ...(mirror ? ['in the mirror'] : [])], rows),
    '',
    `${list.images.length} images from ${registries.length} registries (${registries.join(', ')}).`,
  ];
  if (list.skippedTests.length > 0) lines.push(`Left out: ${list.skippedTests.length} Helm test hook objects (run only by \`helm test\`).`);
  for (const bad of list.invalid) lines.push(`invalid image ${JSON.stringify(bad.written)} in ${bad.use.unit} ${bad.use.kind}/${bad.use.name} ${bad.use.path}: ${bad.error}`);
  return `${lines.join('\n')}\n`;
}

export function imagesJson(list: ImageList, mirror?: RegistryMirror): string {
  return toJson({
    images: list.images.map((i) => ({
      image: i.full,
      registry: i.registry,
      repository: i.repository,
      ...(i.tag !== undefined ? { tag: i.tag } : {}),
      ...(i.digest !== undefined ? { digest: i.digest } : {}),
      ...(i.written.length ? { written: i.written } : {}),
      ...(mirror ? { mirror: mirroredName(i.full, mirror) } : {}),
      units: i.units,
      uses: i.uses,
    })),
    invalid: list.invalid,
    skippedTests: list.skippedTests,
  });
}
