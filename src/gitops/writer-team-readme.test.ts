/** The team READMEs plan writes under Flux: written, replaced and removed only where plan wrote them. */
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEAM_README_TITLE } from '../synth/layout.js';
import { writeRepo } from './writer.js';

const readme = (team: string) => `${TEAM_README_TITLE}${team}\n\nwritten by plan\n`;

describe('team READMEs (apps/<team>/README.md)', () => {
  it('writes them, and removes the one of a team that is gone, keeping its services', async () => {
    const out = await mkdtemp(join(tmpdir(), 'plinth-writer-'));
    await writeRepo(out, new Map([['README.md', 'x\n'], ['apps/team-a/README.md', readme('team-a')], ['apps/team-b/README.md', readme('team-b')]]));
    await mkdir(join(out, 'apps/team-b/web'), { recursive: true });
    await writeFile(join(out, 'apps/team-b/web/kustomization.yaml'), 'resources: []\n');
    const r = await writeRepo(out, new Map([['README.md', 'x\n'], ['apps/team-a/README.md', readme('team-a')]]));
    expect(r.changed).toEqual(['apps/team-b/README.md']);
    expect(existsSync(join(out, 'apps/team-b/README.md'))).toBe(false);
    expect(await readFile(join(out, 'apps/team-b/web/kustomization.yaml'), 'utf8')).toBe('resources: []\n');
    expect(await readFile(join(out, 'apps/team-a/README.md'), 'utf8')).toBe(readme('team-a'));
  });

  it("never overwrites or removes a team README plan did not write", async () => {
    const out = await mkdtemp(join(tmpdir(), 'plinth-writer-'));
    await writeRepo(out, new Map([['README.md', 'x\n']]));
    await mkdir(join(out, 'apps/team-a'), { recursive: true });
    await writeFile(join(out, 'apps/team-a/README.md'), '# Our own notes\n');
    await writeRepo(out, new Map([['README.md', 'x\n'], ['apps/team-a/README.md', readme('team-a')]]));
    expect(await readFile(join(out, 'apps/team-a/README.md'), 'utf8')).toBe('# Our own notes\n');
    await writeRepo(out, new Map([['README.md', 'x\n']]));
    expect(await readFile(join(out, 'apps/team-a/README.md'), 'utf8')).toBe('# Our own notes\n');
  });
});
