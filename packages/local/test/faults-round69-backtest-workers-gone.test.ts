import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './backtest-helpers.js';

// Fault round 69: a backtest whose every worker went away (a handler that ends its process, or fault round 68's
// watchdog killing a stuck worker whose replacement could not start) failed the ordered pool with "every backtest
// worker exited". Fault round 67's branch for a listing cut took any such error for one: the partial summary said
// `"partial": "the listing stopped: every backtest worker exited"` and the last line "the listing stopped after 4
// message(s) written", though the listing had not stopped. The mark must say what stopped the run.
let dir: string;
const KEYS = ['m1', 'm2', 'm3', 'm4'];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-r69-gone-'));
  await writeFile(
    join(dir, 'exits.mjs'),
    `export const handler = async (event) => {
  if (/about m2$/.test(event.subject ?? '')) process.exit(3);
  return { actions: [{ allRecipients: true, action: { type: 'DEFAULT' } }] };
};\n`,
  );
  await writeFile(
    join(dir, 'fine.mjs'),
    `export const handler = async () => ({ actions: [{ allRecipients: true, action: { type: 'DEFAULT' } }] });\n`,
  );
  await mkdir(join(dir, 'journal'));
  for (const key of KEYS)
    await writeFile(
      join(dir, 'journal', key),
      `From: a@partner.example\r\nTo: b@corp.example\r\nSubject: about ${key}\r\nMessage-ID: <${key}@partner.example>\r\n\r\nhi\r\n`,
    );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Line = { type: string; key?: string; messages?: number; failed?: number; partial?: string };
const parse = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Line);

describe('fault round 69: a backtest whose every worker exited', () => {
  it('the partial summary and the last line say the workers exited, not that the listing stopped; --resume completes it', async () => {
    const args = (handler: string) => [
      'backtest',
      join(dir, 'journal'),
      '--handler',
      join(dir, handler),
      '--org-domain',
      'corp.example',
      '-j',
      '1',
    ];
    const first = await run(args('exits.mjs'));
    expect(first.code).toBe(1);
    const lines = parse(first.stdout);
    const summary = lines.at(-1) as Line;
    expect(summary).toMatchObject({ type: 'summary', partial: 'every backtest worker exited' });
    expect(first.stderr).not.toMatch(/listing stopped/);
    expect(first.stderr).toMatch(/every backtest worker exited.*partial.*--resume/);
    const earlier = join(dir, 'first.jsonl');
    await writeFile(earlier, first.stdout);
    // The handler fixed in place, as a resumed run's is: --resume takes the lines of the same handler only
    // (newcomer round 7).
    await copyFile(join(dir, 'fine.mjs'), join(dir, 'exits.mjs'));
    const second = await run([...args('exits.mjs'), '--resume', earlier]);
    expect(second.code).toBe(0);
    const more = parse(second.stdout);
    const judgedBefore = lines.filter((l) => l.type === 'message' && !/WorkerExited/.test(JSON.stringify(l)));
    expect([...judgedBefore, ...more.filter((l) => l.type === 'message')].map((l) => l.key)).toEqual(KEYS);
    expect(more.at(-1)).toMatchObject({ type: 'summary', messages: KEYS.length, failed: 0 });
    expect(more.at(-1)).not.toHaveProperty('partial');
  }, 120_000);
});
