import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleHandler } from '../src/bundle/bundle.js';
import { failedResult } from '../src/replay/result-basics.js';
import { problemLines, tableRow } from '../src/replay/table.js';
import type { ReplayResult } from '../src/replay/types.js';
import { ROOT, wmflow } from './replay-helpers.js';

// What a newcomer following docs/own-lambda.md and docs/replay.md tripped on.

function result(over: Partial<ReplayResult>): ReplayResult {
  return {
    ...failedResult('mail/04-wire.eml', { name: 'x', message: 'x' }, performance.now()),
    error: null,
    messageId: 'm-1',
    recipients: ['bob@corp.example'],
    verdicts: { 'bob@corp.example': 'DEFAULT' },
    ...over,
  };
}

describe('the replay table', () => {
  it('says "✗ NOT AS EXPECTED" in full, as docs/replay.md shows it', () => {
    const row = tableRow(result({ check: { ok: false, differences: ['verdict of bob'] } }));
    expect(row).toContain('✗ NOT AS EXPECTED');
  });

  it('says what to do when an edit failed because the local S3 has no such bucket', () => {
    const lines = problemLines([
      result({ edit: { status: 'failed', reason: 'NoSuchBucket: The specified bucket does not exist' } }),
    ]);
    expect(lines).toContain('NoSuchBucket: The specified bucket does not exist');
    expect(lines).toContain('--bucket');
  });
});

describe('wmflow replay --check', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wmflow-newcomer-'));
    await copyFile(join(ROOT, 'samples/eml/01-plain-text.eml'), join(dir, '01-plain-text.eml'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('notes the messages it could not check (no .expect.json beside them)', async () => {
    const run = await wmflow([
      'replay',
      dir,
      '--function',
      'guard',
      '--env-file',
      'samples/expect/env.json',
      '--check',
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('1 message(s) not checked: no expectation');
    expect(run.stderr).toContain('.expect.json');
  });
});

describe('wmflow init', () => {
  it("ignores the files its README's `serve` / `event` recipe writes in the project", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wmflow-newcomer-init-'));
    try {
      const run = await wmflow(['init', join(dir, 'app')]);
      expect(run.code, run.stderr).toBe(0);
      const readme = await readFile(join(dir, 'app/README.md'), 'utf8');
      expect(readme).toContain('--env-json env.local.json');
      expect(readme).toContain('> event.json');
      const ignore = await readFile(join(dir, 'app/.gitignore'), 'utf8');
      expect(ignore).toMatch(/^env\.local\.json$/m);
      expect(ignore).toMatch(/^event\.json$/m);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a handler with a mistake', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wmflow-newcomer-mistake-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('wmflow bundle names the file, line and column of a syntax error as the editor does', async () => {
    const entry = join(dir, 'syntax.ts');
    await writeFile(
      entry,
      "import { flow } from '@wmflow/core';\nexport const handler = flow({ rules: [ });\n",
    );
    const error = await bundleHandler({ entry, outdir: join(dir, 'out') }).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(`cannot bundle ${entry}: Unexpected "}" (${entry}:2:40)`);
  });

  it('wmflow replay says when the export is there but is not a function', async () => {
    const module = join(dir, 'not-a-function.mjs');
    await writeFile(module, 'export const handler = 42;\n');
    const run = await wmflow(['replay', join(ROOT, 'samples/eml/01-plain-text.eml'), '--handler', module]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('"handler" is a number, not a function');
  });
});

describe('a mistyped option', () => {
  it('is named in one line that points at the usage', async () => {
    const run = await wmflow(['replay', 'samples/eml', '--function', 'guard', '--chek']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'wmflow replay: unknown option --chek (did you mean --check? wmflow --help lists the options)\n',
    );
  });
});
