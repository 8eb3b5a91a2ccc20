import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Fault round 68 (F68-3): a guard-ses invocation that fails (the stored message's S3 read refused past the SDK's
// retries; likewise a stored object that is another message, or a deadline whose rule asks for a retry) failed the
// receipt rule's RequestResponse Lambda action, and what SES does with a failed action is documented nowhere: no
// answer held the message, so an `.exe` or a spoof the guard never got to judge met whatever SES does then. Round 83
// held an event nobody could read (STOP_RULE: the quarantine rule keeps it); a protection that could not decide is
// now held the same way, through the local SES replay, the real servers and a fault proxy that refuses every S3 read.
const ROOT = new URL('../../', import.meta.url).pathname;
const CLI = join(ROOT, 'packages/local/src/cli/main.ts');
const ENV = ['--env-file', 'samples/expect/env.json'];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function replay(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=wmflow-source', '--import', 'tsx', CLI, 'replay', '--engine', 'ses', ...args],
      { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const lines = (run: Run) =>
  run.stdout
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const FILES = ['samples/eml/03-invoice-attachments.eml', 'samples/eml/attachment-exe-in-zip-name.eml'];

describe('F68-3: guard-ses whose own protection fails', () => {
  it('a stored message S3 will not give (every read refused): held with STOP_RULE, the error reported, exit 1', async () => {
    const run = await replay([
      ...FILES,
      '--function',
      'guard-ses',
      ...ENV,
      '--faults',
      'seed=1,error=1',
      '--json',
    ]);
    const out = lines(run);
    expect(out).toHaveLength(FILES.length);
    for (const line of out) {
      expect(line, run.stderr).toMatchObject({ engine: 'ses', disposition: 'STOP_RULE' });
      // Held for the quarantine rule, shown as replay shows STOP_RULE; never delivered.
      expect(Object.values(line.verdicts as Record<string, string>)).toEqual(['MOVE_TO_JUNK']);
      expect((line.error as { message: string } | null)?.message).toMatch(/injected fault/);
    }
    // The protection failed: a problem, whatever was answered.
    expect(run.code).toBe(1);
  }, 120_000);

  it('held: without faults guard-ses judges the same messages (it is the failure that is held, not the mail)', async () => {
    const run = await replay([...FILES, '--function', 'guard-ses', ...ENV, '--json']);
    const out = lines(run);
    expect(out).toHaveLength(FILES.length);
    for (const line of out) expect(line.error, run.stderr).toBeNull();
  }, 120_000);

  it('held: archiver-ses still fails the invocation (no answer), as fault rounds 41-57 decided for the journal', async () => {
    const run = await replay([
      FILES[0] as string,
      '--function',
      'archiver-ses',
      ...ENV,
      '--faults',
      'seed=1,error=1',
      '--json',
    ]);
    const [line] = lines(run);
    expect(line, run.stderr).toMatchObject({ engine: 'ses', disposition: null });
    expect(line?.error).not.toBeNull();
    expect(run.code).toBe(1);
  }, 120_000);
});
