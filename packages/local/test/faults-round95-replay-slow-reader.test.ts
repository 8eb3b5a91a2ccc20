import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FROM_SOURCE, ROOT } from './replay-helpers.js';

// Fault round 95: the JSON lines of a run whose reader is slower than the run (`wmflow replay --json | slow-tool`).
// Node writes to a pipe without blocking and queues what the pipe cannot take yet; a process that ends by
// `process.exit` drops that queue. Replay ends that way when its work is done and something is still running a
// second later (fault round 57: meant for a timer a handler left open, but the queued output counted too) and when a
// handler calls `process.exit`: the lines said to be reported were lost (8 of 80, exit 0 and a false note that the
// handler left a timer open), a line could be cut. Asked: every line reported reaches the reader, whole.
let dir: string;
const COUNT = 80;
const name = (i: number) => `m${String(i).padStart(2, '0')}.eml`;
// 60 long recipients: each line is about 7 KB, the run's output 570 KB, more than a pipe or socket pair holds.
const RECIPIENTS = Array.from({ length: 60 }, (_, i) => [
  '--recipient',
  `recipient-number-${i}-with-a-rather-long-name@corp.example`,
]).flat();
const DEFAULT = `return { actions: [{ allRecipients: true, action: { type: 'DEFAULT' } }] };`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-r95-slow-'));
  await mkdir(join(dir, 'eml'));
  for (let i = 1; i <= COUNT; i++)
    await writeFile(
      join(dir, 'eml', name(i)),
      `From: Ann <ann@partner.example>\r\nTo: Bob <bob@corp.example>\r\nSubject: m${String(i).padStart(2, '0')}\r\nDate: Mon, 7 Dec 2026 10:00:00 +0000\r\nMessage-ID: <m${i}@partner.example>\r\n\r\nMessage ${i}.\r\n`,
    );
  await writeFile(join(dir, 'plain.mjs'), `export const handler = async () => { ${DEFAULT} };\n`);
  await writeFile(
    join(dir, 'exit-at-60.mjs'),
    `export const handler = async (event) => {\n  if (event.subject === 'm60') process.exit(0);\n  ${DEFAULT}\n};\n`,
  );
}, 30_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs `wmflow replay` with a reader that takes nothing until the process has ended or `holdMs` passed. */
function slowlyRead(args: string[], holdMs: number): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...FROM_SOURCE, 'replay', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    child.on('error', reject);
    child.stdout.pause();
    const chunks: Buffer[] = [];
    const read = () => {
      clearTimeout(hold);
      child.stdout.on('data', (d: Buffer) => chunks.push(d));
      child.stdout.resume();
    };
    const hold = setTimeout(read, holdMs);
    child.once('exit', read);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(chunks).toString('utf8') }));
  });
}

function lines(stdout: string): string[] {
  expect(stdout.endsWith('\n') || stdout === '', 'the output ends with a whole line').toBe(true);
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (JSON.parse(l) as { file: string }).file.split('/').at(-1) as string);
}

describe('fault round 95: a reader slower than the run gets every line reported, whole', () => {
  for (const jobs of ['1', '2']) {
    it(`-j ${jobs}: every line of a run that ends normally`, async () => {
      const run = await slowlyRead(
        [join(dir, 'eml'), '--handler', join(dir, 'plain.mjs'), '--json', ...RECIPIENTS, '-j', jobs],
        15_000,
      );
      expect(lines(run.stdout)).toHaveLength(COUNT);
      expect(run.code).toBe(0);
    }, 120_000);
  }

  it('-j 1: a handler calling process.exit on m60: the 59 lines before it, as -j 2', async () => {
    const args = [join(dir, 'eml'), '--handler', join(dir, 'exit-at-60.mjs'), '--json', ...RECIPIENTS];
    const one = await slowlyRead([...args, '-j', '1'], 15_000);
    const two = await slowlyRead([...args, '-j', '2'], 15_000);
    expect(lines(one.stdout)).toEqual(Array.from({ length: 59 }, (_, i) => name(i + 1)));
    expect(one.code).toBe(1);
    expect(lines(two.stdout)).toEqual(lines(one.stdout));
    expect(two.code).toBe(1);
  }, 120_000);
});
