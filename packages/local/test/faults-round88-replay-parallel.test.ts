import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, ROOT, wmflow } from './replay-helpers.js';

// Fault round 88, held: `wmflow replay -j 2` against fixtures that cannot be read (a dangling link, a folder and a
// FIFO named `.eml`, a file removed once listed) and a handler that crashes its worker process on one message. Asked:
// `-j 2` writes the lines and exits with the code `-j 1` does, in file order, nothing lost and no message hung.
let dir: string;
const SAMPLES = [
  '01-plain-text.eml',
  '02-html-newsletter.eml',
  '03-invoice-attachments.eml',
  '05-ceo-impersonation.eml',
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-r88-replay-'));
  const fixtures = join(dir, 'eml');
  await mkdir(fixtures);
  for (const [i, name] of SAMPLES.entries())
    await copyFile(join(ROOT, 'samples/eml', name), join(fixtures, `${i}0-${name}`));
  await symlink(join(dir, 'gone.eml'), join(fixtures, '05-dangling.eml'));
  await mkdir(join(fixtures, '15-folder.eml'));
  execFileSync('mkfifo', [join(fixtures, '25-fifo.eml')]);
  // Crashes its process on the invoice (an uncaught error from a timer): the worker exits mid-run.
  await writeFile(
    join(dir, 'crash.mjs'),
    `export const handler = async (event) => {
  if (/invoice/i.test(event.subject)) {
    setTimeout(() => { throw new Error('crash'); }, 0);
    await new Promise((resolve) => setTimeout(resolve, 60_000));
  }
  return { actions: [{ allRecipients: true, action: { type: 'DEFAULT' } }] };
};\n`,
  );
}, 30_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What a run said, without timings and ids. */
function said(run: { code: number | null; stdout: string }) {
  // Message ids (and the update keys named after them) are random per run.
  const lines = jsonLines(run.stdout).map(
    ({ durationMs: _d, ms: _m, messageId: _i, rewritten, ...rest }) => ({
      ...rest,
      rewritten: rewritten !== undefined,
    }),
  );
  return { code: run.code, lines };
}

describe('held: replay -j 2 says what -j 1 says', () => {
  it('unreadable fixtures among readable ones (guard)', async () => {
    const args = [
      'replay',
      join(dir, 'eml'),
      '--function',
      'guard',
      '--env-file',
      'samples/expect/env.json',
      '--json',
    ];
    const one = said(await wmflow([...args, '-j', '1']));
    const two = said(await wmflow([...args, '-j', '2']));
    expect(two).toEqual(one);
    expect(one.code).not.toBe(0);
    expect(one.lines.length).toBeGreaterThanOrEqual(SAMPLES.length);
  }, 180_000);

  it('a handler that crashes its worker on the invoice', async () => {
    const args = ['replay', join(dir, 'eml'), '--handler', join(dir, 'crash.mjs'), '--json'];
    const one = said(await wmflow([...args, '-j', '1']));
    const two = said(await wmflow([...args, '-j', '2']));
    expect(two).toEqual(one);
    expect(one.code).not.toBe(0);
  }, 180_000);
});
