import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failedLine } from '../src/backtest/pool.js';
import { jsonLines, ROOT, wmflow } from './replay-helpers.js';

// Fault round 51: `--resume` retries the line of a message the earlier run could not backtest; when that
// message is no longer listed (gone from the journal since), nothing retried it and the resumed run's summary,
// the one that counts, dropped it: one message fewer, and its failure uncounted.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-r51-resume-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('backtest --resume (fault round 51)', () => {
  it('counts a failed line whose message is no longer listed, once, as a resumed failure', async () => {
    const journal = join(dir, 'journal');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(journal);
    await copyFile(join(ROOT, 'samples/eml/01-plain-text.eml'), join(journal, 'a.eml'));
    const first = await wmflow(['backtest', journal, '--function', 'guard-ses', '-j', '1']);
    expect(first.code, first.stderr).toBe(0);
    const [line] = jsonLines(first.stdout);
    const key = String(line?.key);
    // The earlier run: one message backtested, one it could not fetch (since gone from the journal), interrupted.
    const gone = failedLine(key.replace(/a\.eml$/, 'gone.eml'), { name: 'NoSuchKey', message: 'gone' });
    const earlier = join(dir, 'earlier.jsonl');
    await writeFile(earlier, `${JSON.stringify(line)}\n${JSON.stringify(gone)}\n`);
    const resumed = await wmflow([
      'backtest',
      journal,
      '--function',
      'guard-ses',
      '-j',
      '1',
      '--resume',
      earlier,
    ]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const lines = jsonLines(resumed.stdout);
    expect(lines.filter((l) => l.type === 'message')).toEqual([]);
    expect(lines.at(-1)).toMatchObject({ type: 'summary', messages: 2, resumed: 2, failed: 1 });
  }, 120_000);
});
