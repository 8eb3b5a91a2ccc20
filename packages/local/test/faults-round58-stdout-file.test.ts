import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../src/index.js';
import { FROM_SOURCE, ROOT } from './replay-helpers.js';

// Fault round 58 (F58-2): a command's stdout sent to a file (`wmflow quarantine show s3://… > message.eml`, `wmflow
// event … > event.json`, `replay --json > run.jsonl`) is written by Node with one writeSync per chunk, whose count it
// ignores: a write the file took only part of (the disk filled, a file-size limit) was taken for whole. The message
// was cut and the command exited 0, nothing said. A file-size limit (`ulimit -f`, in KiB) cuts the write the same way
// a disk that fills does. Now the rest is written or the command fails (exit 1, a line on stderr).
const BUCKET = 'acme-inbound';
const KEY = 'quarantine/m1';
// 6 KiB and a bit: the write that crosses a 4 KiB or 6 KiB limit is the last one.
const message = `From: ann@partner.example\r\nTo: bob@corp.example\r\nSubject: report\r\n\r\n${'line of the report\r\n'.repeat(320)}`;
let stack: LocalStack;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'f58-stdout-'));
  stack = await startLocalStack({ buckets: [BUCKET] });
  await stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: message }));
});
afterAll(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** `wmflow <args>` with stdout sent to `file`, under a file-size limit of `kib` KiB (none when undefined). */
function intoFile(
  args: string[],
  file: string,
  kib: number | undefined,
  env: Record<string, string> = {},
): Promise<{ code: number | null; stderr: string }> {
  const limit = kib === undefined ? '' : `ulimit -f ${kib}; `;
  return new Promise((resolve, reject) => {
    const child = spawn(
      'bash',
      ['-c', `${limit}exec "$@" > "$OUT_FILE"`, 'bash', process.execPath, ...FROM_SOURCE, ...args],
      { cwd: ROOT, env: { ...process.env, ...env, OUT_FILE: file }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('F58-2: output sent to a file is written whole, or the command fails', () => {
  it('control: quarantine show into a file, no limit: the message byte for byte, exit 0', async () => {
    const out = join(dir, 'whole.eml');
    const run = await intoFile(['quarantine', 'show', `s3://${BUCKET}/${KEY}`], out, undefined, stack.env);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(await readFile(out, 'latin1')).toBe(message);
  }, 60_000);

  it('quarantine show into a file that takes 4 KiB of the message: exit 1, said on stderr', async () => {
    const out = join(dir, 'cut.eml');
    const run = await intoFile(['quarantine', 'show', `s3://${BUCKET}/${KEY}`], out, 4, stack.env);
    const written = await readFile(out);
    expect(written.length).toBeLessThan(message.length);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/EFBIG|not the whole message|cut/);
  }, 60_000);

  it('wmflow event into a file that takes 1 KiB of the event: exit 1, said on stderr', async () => {
    const out = join(dir, 'event.json');
    const recipients = Array.from({ length: 60 }, (_, i) => ['--recipient', `user${i}@corp.example`]).flat();
    const args = ['event', 'samples/eml/01-plain-text.eml', ...recipients];
    const whole = await intoFile(args, join(dir, 'event-whole.json'), undefined);
    expect(whole.code, whole.stderr).toBe(0);
    const size = (await readFile(join(dir, 'event-whole.json'))).length;
    expect(size).toBeGreaterThan(2048);
    const run = await intoFile(args, out, 1);
    expect((await readFile(out)).length).toBeLessThan(size);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/EFBIG|cut/);
  }, 60_000);
  it('replay --json and backtest into a file that takes 2 KiB: exit 1, one line on stderr, no stack trace', async () => {
    for (const [command, args] of [
      [
        'replay',
        [
          'replay',
          'samples/eml',
          '--function',
          'archiver',
          '--env-file',
          'samples/expect/env.json',
          '--json',
        ],
      ],
      [
        'backtest',
        ['backtest', 'samples/eml', '--function', 'archiver', '--env-file', 'samples/expect/env.json'],
      ],
    ] as const) {
      const whole = await intoFile([...args], join(dir, `${command}-whole.jsonl`), undefined);
      expect(whole.code, whole.stderr).toBe(0);
      expect((await readFile(join(dir, `${command}-whole.jsonl`))).length).toBeGreaterThan(4096);
      const run = await intoFile([...args], join(dir, `${command}-cut.jsonl`), 2);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain(
        `wmflow ${command}: stdout could not be written (EFBIG): its output is cut`,
      );
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  }, 120_000);
});
