import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, ROOT, wmflow } from './replay-helpers.js';

// Fault round 93, held: `backtest --resume` from a results file an interrupted run left damaged: one message's line
// twice, a line cut mid-way with the next run's first line glued to it (a resumed run appended to another file, no
// new line started), a whole line after them. Asked: no message is counted twice or lost, every message cut or
// glued is backtested again, and the summary's total is the journal's.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-r93-resume-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('held: backtest --resume over a damaged results file', () => {
  it('a line twice, a cut line with another glued to it: each message once, the cut ones again', async () => {
    const journal = join(dir, 'journal');
    await mkdir(journal);
    const names = ['01-plain-text', '02-html-newsletter', '03-invoice-attachments', '05-ceo-impersonation'];
    for (const [i, name] of names.entries())
      await copyFile(join(ROOT, `samples/eml/${name}.eml`), join(journal, `${i}.eml`));
    const first = await wmflow(['backtest', journal, '--function', 'guard-ses', '-j', '1']);
    expect(first.code, first.stderr).toBe(0);
    const [a, b, c, d] = first.stdout.split('\n').filter((l) => l.startsWith('{"type":"message"'));
    const earlier = join(dir, 'earlier.jsonl');
    await writeFile(earlier, `${a}\n${a}\n${b?.slice(0, 60)}${c}\n${d}\n`);
    const resumed = await wmflow([
      'backtest',
      journal,
      '--function',
      'guard-ses',
      '-j',
      '2',
      '--resume',
      earlier,
    ]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const lines = jsonLines(resumed.stdout);
    expect(lines.filter((l) => l.type === 'message').map((l) => l.key)).toEqual(['1.eml', '2.eml']);
    expect(lines.at(-1)).toMatchObject({ type: 'summary', messages: 4, resumed: 2 });
  }, 60_000);
});
