/**
 * `npm run golden:update [-- PROFILE ...]`: regenerates the golden files of
 * every profile's example (or of the profiles named) into test/golden/<profile>/,
 * through `plinth init` and `plinth plan` run in process (test/support/golden.ts),
 * writes the manifest (golden-files.txt) there, and removes the golden files
 * plan no longer writes. It touches nothing outside test/golden/<profile>/.
 * The only writer of golden files: test runs only read them. Each example is
 * generated twice, and a file that differs between the two runs (a timestamp,
 * a random value) stops the update with nothing written for that profile.
 */
import { mkdir, readdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { generate, GOLDEN_MANIFEST, goldenDir, PROFILES, readGolden, renderManifest, type Profile } from '../test/support/golden.js';

const args = process.argv.slice(2);
const unknown = args.filter((a) => !(PROFILES as readonly string[]).includes(a));
if (unknown.length > 0) {
  console.error(`golden:update: unknown profile ${unknown.join(', ')}; expected any of: ${PROFILES.join(', ')}\nusage: npm run golden:update [-- PROFILE ...]`);
  process.exit(2);
}
const profiles = (args.length > 0 ? args : [...PROFILES]) as Profile[];

let nondeterministic = false;
for (const profile of profiles) {
  const files = await generate(profile);
  const again = await generate(profile);
  const same = (p: string) => files.get(p) !== undefined && again.get(p) !== undefined && files.get(p)!.equals(again.get(p)!);
  const unstable = [...new Set([...files.keys(), ...again.keys()])].filter((p) => !same(p));
  if (unstable.length > 0) {
    console.error(`${profile}: plan is not deterministic: ${unstable.length} file(s) differ between two runs of the same example: ${unstable.slice(0, 10).join(', ')}; nothing written for ${profile}`);
    nondeterministic = true;
    continue;
  }
  const dir = goldenDir(profile);
  const before = await readGolden(profile);
  const added: string[] = [];
  const changed: string[] = [];
  for (const [path, bytes] of files) {
    const old = before.files.get(path);
    if (old?.equals(bytes)) continue;
    (old === undefined ? added : changed).push(path);
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), bytes);
  }
  const removed = [...before.files.keys()].filter((p) => !files.has(p));
  for (const path of removed) await rm(join(dir, path));
  await removeEmptyFolders(dir);
  const manifest = renderManifest(files.keys());
  const manifestChanged = (await readFile(join(dir, GOLDEN_MANIFEST), 'utf8').catch(() => undefined)) !== manifest;
  if (manifestChanged) await writeFile(join(dir, GOLDEN_MANIFEST), manifest);
  const bytes = [...files.values()].reduce((n, b) => n + b.length, 0);
  console.log(`${profile}: ${files.size} files, ${bytes} bytes in test/golden/${profile}/ (${added.length} added, ${changed.length} changed, ${removed.length} removed${manifestChanged ? `; ${GOLDEN_MANIFEST} rewritten` : ''})`);
  for (const [what, paths] of [['added', added], ['changed', changed], ['removed', removed]] as const) for (const p of paths) console.log(`  ${what} ${p}`);
}
if (nondeterministic) process.exit(1);

/** Removes the folders under dir that hold no file any more (dir itself is kept). */
async function removeEmptyFolders(dir: string): Promise<boolean> {
  let empty = true;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && (await removeEmptyFolders(join(dir, entry.name)))) await rmdir(join(dir, entry.name));
    else empty = false;
  }
  return empty;
}
