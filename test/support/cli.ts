/** Runs the plinth CLI in-process, capturing what it prints. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * What each in-process CLI run of the current test printed so far, in order, kept so a
 * failing (or timed-out) e2e test can show it: a run still in flight when a test times
 * out is the one whose output says where it got stuck. Cleared by the e2e setup file.
 */
export const cliTranscripts: { args: string[]; output: string; code?: number }[] = [];

export async function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const transcript: { args: string[]; output: string; code?: number } = { args, output: '' };
  cliTranscripts.push(transcript);
  const code = await main(args, {
    cwd,
    env,
    stdout: { write: (t: string) => ((stdout += t), (transcript.output += t)) },
    stderr: { write: (t: string) => ((stderr += t), (transcript.output += t)) },
  });
  transcript.code = code;
  return { code, stdout, stderr };
}

export function tempDir(prefix = 'plinth-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}
