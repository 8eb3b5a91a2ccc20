import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, saidWithoutTimings as said, wmflow } from './replay-helpers.js';

// Fault round 93: a handler that ends its process after it answered the last message (an error thrown from a
// timer, `process.exit(3)` in one), and handlers that end it mid-message or end stdout. Asked: `-j 2` writes the
// lines `-j 1` writes, whole and in file order, and exits with its code; a crash is never an exit code 0.
let dir: string;
const SAMPLES = ['01-plain-text.eml', '02-html-newsletter.eml', '03-invoice-attachments.eml'];
const DEFAULT = `return { actions: [{ allRecipients: true, action: { type: 'DEFAULT' } }] };`;
/** A handler doing `act` on the message from `sender`, then answering DEFAULT. */
const on = (sender: string, act: string) =>
  `export const handler = async (event) => {\n  if (JSON.stringify(event).includes('${sender}')) ${act};\n  ${DEFAULT}\n};\n`;

const HANDLERS: Record<string, string> = {
  // The last message (the invoice) answered, then its timer throws: the worker ends after its last answer. (A
  // zero-delay timer is run with its message since fault round 95, which then fails: these wait 50 ms.)
  'throw-late.mjs': on('billing@vendor', `setTimeout(() => { throw new Error('late'); }, 50)`),
  'exit3-late.mjs': on('billing@vendor', 'setTimeout(() => process.exit(3), 50)'),
  // Held: process.exit(0) mid-message, an error thrown from a timer mid-message, stdout ended by the handler.
  'exit0-mid.mjs': on('news@partner', 'process.exit(0)'),
  'throw-mid.mjs': on(
    'news@partner',
    `await new Promise(() => setTimeout(() => { throw new Error('mid'); }, 0))`,
  ),
  'end-stdout.mjs': on('news@partner', 'process.stdout.end()'),
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-r93-replay-'));
  await mkdir(join(dir, 'eml'));
  for (const [i, name] of SAMPLES.entries())
    await copyFile(join(ROOT, 'samples/eml', name), join(dir, 'eml', `${i}0-${name}`));
  for (const [name, text] of Object.entries(HANDLERS)) await writeFile(join(dir, name), text);
}, 30_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function both(handler: string) {
  const args = ['replay', join(dir, 'eml'), '--handler', join(dir, handler), '--json'];
  const one = said(await wmflow([...args, '-j', '1']));
  const two = said(await wmflow([...args, '-j', '2']));
  return { one, two };
}

describe('fault round 93: a replay worker ended by its handler after its last answer', () => {
  it('an error thrown from a timer: exit code 1 at -j 2 as at -j 1, every line whole', async () => {
    const { one, two } = await both('throw-late.mjs');
    expect(one.code).toBe(1);
    expect(two).toEqual(one);
    expect(two.lines).toHaveLength(SAMPLES.length);
  }, 60_000);

  it('process.exit(3) from a timer: exit code 3 at -j 2 as at -j 1', async () => {
    const { one, two } = await both('exit3-late.mjs');
    expect(one.code).toBe(3);
    expect(two).toEqual(one);
  }, 60_000);
});

describe('held: handlers ending their process or stdout mid-message', () => {
  it('process.exit(0) mid-message: failed, the line before it only, -j 1 as -j 2', async () => {
    const { one, two } = await both('exit0-mid.mjs');
    expect(one.code).toBe(1);
    expect(one.lines).toHaveLength(1);
    expect(two).toEqual(one);
  }, 60_000);

  it('an error thrown from a timer mid-message: failed, -j 1 as -j 2', async () => {
    const { one, two } = await both('throw-mid.mjs');
    expect(one.code).not.toBe(0);
    expect(one.lines).toHaveLength(1);
    expect(two).toEqual(one);
  }, 60_000);

  it('stdout ended by the handler: the JSON Lines whole and the same, -j 1 as -j 2', async () => {
    const { one, two } = await both('end-stdout.mjs');
    for (const line of one.lines) expect(typeof line).toBe('object');
    expect(one.lines).toHaveLength(SAMPLES.length);
    expect(two).toEqual(one);
  }, 60_000);
});
