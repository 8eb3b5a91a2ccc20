import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './backtest-helpers.js';

// Fault round 69: fault round 68 marked an interrupted backtest's summary and report `partial: "interrupted"` with
// no test of its own. Here the handler itself sends the `wmflow backtest` process SIGINT (as Ctrl-C would) while it
// judges the third of six messages, so the interruption comes mid-run wherever the run then is. Whatever was written
// by then: each message has at most one line, the summary counts exactly those and says `interrupted`, the report
// says Partial, the exit code is 130; `--resume` from that output judges exactly the rest, once each, and its
// summary is of the whole journal with no mark.
let dir: string;
const KEYS = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-r69-interrupted-'));
  await writeFile(
    join(dir, 'interrupts.mjs'),
    `export const handler = async (event) => {
  if (/about m3$/.test(event.subject ?? '')) process.kill(process.ppid, 'SIGINT');
  return { actions: [{ allRecipients: true, action: { type: 'DEFAULT' } }] };
};\n`,
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

type Line = {
  type: string;
  key?: string;
  messages?: number;
  partial?: string;
  candidate?: { label: string };
};
const parse = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Line);

describe('fault round 69: a backtest interrupted by SIGINT, then resumed', () => {
  it.each(['1', '2'])(
    '-j %s: the interrupted output is marked partial; the resume completes it, each message once',
    async (jobs) => {
      const args = [
        'backtest',
        join(dir, 'journal'),
        '--handler',
        join(dir, 'interrupts.mjs'),
        '--org-domain',
        'corp.example',
        '-j',
        jobs,
      ];
      const report = join(dir, `report-${jobs}.html`);
      const first = await run([...args, '--report', report]);
      expect(first.code).toBe(130);
      const lines = parse(first.stdout);
      const judged = lines.filter((l) => l.type === 'message');
      const summaries = lines.filter((l) => l.type === 'summary');
      expect(summaries).toHaveLength(1);
      expect(lines.at(-1)).toEqual(summaries[0]);
      expect(summaries[0]).toMatchObject({ partial: 'interrupted', messages: judged.length });
      // In order, each once, every one judged (the interruption stops handing out, never cuts a message).
      expect(judged.map((l) => l.key)).toEqual(KEYS.slice(0, judged.length));
      expect(judged.every((l) => l.candidate?.label !== '')).toBe(true);
      expect(judged.map((l) => l.key)).toContain('m3');
      expect(await readFile(report, 'utf8')).toContain('Partial: interrupted');

      const earlier = join(dir, `first-${jobs}.jsonl`);
      await writeFile(earlier, first.stdout);
      const second = await run([...args, '--resume', earlier]);
      expect(second.code).toBe(0);
      const more = parse(second.stdout);
      const rest = more.filter((l) => l.type === 'message').map((l) => l.key);
      expect([...judged.map((l) => l.key), ...rest]).toEqual(KEYS);
      const last = more.at(-1) as Line;
      expect(last).toMatchObject({ type: 'summary', messages: KEYS.length });
      expect(last).not.toHaveProperty('partial');
    },
    120_000,
  );
});
