import { describe, expect, it } from 'vitest';
import { COMMANDS, loadAll } from './index.js';

describe('the command registry', () => {
  it('loads, for each name, the command of that name, each once', async () => {
    const specs = await loadAll();
    expect(specs.map((s) => s.name)).toEqual(COMMANDS.map((c) => c.name));
    expect(new Set(COMMANDS.map((c) => c.name)).size).toBe(COMMANDS.length);
  });
});
