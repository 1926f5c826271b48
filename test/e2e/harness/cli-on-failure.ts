/**
 * e2e setup file: when a test fails or times out, print what every `plinth` run of that
 * test printed so far. A run still in flight when the test's time ran out is marked so:
 * its last lines name the phase and the wait it was in.
 */
import { beforeEach } from 'vitest';
import { cliTranscripts } from '../../support/cli.js';

const TAIL_LINES = 120;

beforeEach(({ onTestFailed }) => {
  cliTranscripts.length = 0;
  onTestFailed(() => {
    for (const t of cliTranscripts) {
      const lines = t.output.trimEnd().split('\n');
      const shown = lines.length > TAIL_LINES ? [`… (${lines.length - TAIL_LINES} earlier lines)`, ...lines.slice(-TAIL_LINES)] : lines;
      const state = t.code === undefined ? 'still running when the test failed' : `exit ${t.code}`;
      console.log(`e2e: plinth ${t.args.join(' ')} (${state}) printed:\n${shown.join('\n')}\n`);
    }
  });
});
