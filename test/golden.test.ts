/**
 * Golden files of every profile's example: every file `plinth plan` writes
 * for the plinth.yaml `plinth init --profile P` writes, pinned byte for byte
 * in test/golden/<P>/, with the expected list of files in
 * test/golden/<P>/golden-files.txt. A file plan starts or stops writing, a
 * changed byte, or a stale golden file fails here. This test only reads:
 * update the golden files on purpose with `npm run golden:update` and review
 * the diff like code.
 */
import { readdir } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate, GOLDEN_MANIFEST, GOLDEN_ROOT, goldenProblems, PROFILES, readGolden, UPDATE_HINT, type GoldenFiles, type Profile } from './support/golden.js';

/** Diffs shown in full for at most this many differing files; the rest are named. */
const DIFFS_SHOWN = 3;

describe('the golden folders', () => {
  it('hold one folder per profile and nothing else', async () => {
    const entries = (await readdir(GOLDEN_ROOT)).filter((e) => e !== '.gitattributes').sort();
    expect(entries, `test/golden/ holds a folder per profile (${PROFILES.join(', ')}); ${UPDATE_HINT}, and git rm what is left of a removed profile`).toEqual([...PROFILES].sort());
  });
});

describe.each(PROFILES)('golden files of the %s example', (profile: Profile) => {
  const where = `test/golden/${profile}/`;
  let generated: GoldenFiles;
  let manifest: string[];
  let onDisk: GoldenFiles;

  beforeAll(async () => {
    generated = await generate(profile);
    const golden = await readGolden(profile);
    if (golden.manifest === undefined) throw new Error(`${where}${GOLDEN_MANIFEST} is missing; ${UPDATE_HINT}`);
    manifest = golden.manifest;
    onDisk = golden.files;
  });

  it('covers the whole repository plan writes', () => {
    // A guard against an example that stopped producing a platform: the marker and the units are there.
    expect(manifest).toContain('.plinth/owned.json');
    expect(manifest).toContain('README.md');
    expect(manifest.filter((p) => p.startsWith('platform/') && p.endsWith('/component.json')).length).toBeGreaterThan(10);
    const owned = JSON.parse(generated.get('.plinth/owned.json')!.toString('utf8')) as { files: string[] };
    expect([...owned.files, '.plinth/owned.json'].sort()).toEqual([...generated.keys()]);
  });

  it(`lists in ${GOLDEN_MANIFEST} exactly the files plan writes`, () => {
    const p = goldenProblems(generated, manifest, onDisk);
    expect([...p.unpinned, ...p.vanished, ...p.manifest], `${where}${GOLDEN_MANIFEST} is not the list of files plan writes; ${UPDATE_HINT}`).toEqual([]);
  });

  it('has a golden file for every listed file and no other', () => {
    const p = goldenProblems(generated, manifest, onDisk);
    expect([...p.missing, ...p.stray], `${where} does not match ${GOLDEN_MANIFEST}; ${UPDATE_HINT}`).toEqual([]);
  });

  it('writes every file byte for byte as its golden file', () => {
    const { differ } = goldenProblems(generated, manifest, onDisk);
    for (const path of differ.slice(0, DIFFS_SHOWN)) {
      expect.soft(generated.get(path)!.toString('utf8'), `${where}${path} differs from what plan writes; ${UPDATE_HINT}`).toBe(onDisk.get(path)!.toString('utf8'));
    }
    expect(differ, `${differ.length} file(s) plan writes differ from their golden files in ${where}; ${UPDATE_HINT}`).toEqual([]);
  });
});

describe('the golden comparison', () => {
  const bytes = (text: string) => Buffer.from(text, 'utf8');
  const files = (entries: Record<string, string>): GoldenFiles => new Map(Object.entries(entries).map(([p, t]) => [p, bytes(t)]));
  const golden = files({ 'README.md': 'a\n', 'platform/x/values.yaml': 'b: 1\n' });
  const manifest = ['README.md', 'platform/x/values.yaml'];

  it('finds nothing when plan writes what is pinned', () => {
    expect(goldenProblems(golden, manifest, golden)).toEqual({ unpinned: [], vanished: [], manifest: [], missing: [], stray: [], differ: [] });
  });

  it('names a file plan starts writing, one it stops writing, a stale golden file and a changed byte', () => {
    const now = files({ 'README.md': 'a\n', 'platform/y/values.yaml': 'c: 1\n' });
    const disk = files({ 'README.md': 'a \n', 'platform/x/values.yaml': 'b: 1\n', 'platform/old.yaml': '' });
    expect(goldenProblems(now, manifest, disk)).toEqual({
      unpinned: ['plan now writes platform/y/values.yaml, which the manifest does not list'],
      vanished: ['plan no longer writes platform/x/values.yaml, which the manifest lists'],
      manifest: [],
      missing: [],
      stray: ['platform/old.yaml is a golden file the manifest does not list (stale)'],
      differ: ['README.md'],
    });
  });

  it('names a listed file whose golden file is missing, and a manifest edited out of order', () => {
    const p = goldenProblems(golden, [...manifest].reverse(), files({ 'README.md': 'a\n' }));
    expect(p.missing).toEqual(['platform/x/values.yaml is listed, but its golden file is missing']);
    expect(p.manifest).toEqual(['the manifest is not sorted, or lists a path twice']);
  });
});
