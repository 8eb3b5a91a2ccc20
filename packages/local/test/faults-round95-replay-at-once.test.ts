import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wmflow } from './replay-helpers.js';

// Fault round 95: a handler that answers, then ends its process from `setImmediate` or a zero-delay timer, on the
// 21st of 40 messages. `-j 1` ran those callbacks only when the run ended (40 lines, exit 0: the crash hidden);
// `-j 2` ended the run somewhere from the 21st to the 26th message. Decided: what a handler left to run at once when
// it answered (microtasks, `setImmediate`, zero-delay timers) belongs to its message and runs before that message is
// reported, at `-j 1` as in a worker. A process ended there ended on that message: the 20 lines before it, none from
// it on, a non-zero exit code, at `-j 1` and `-j 2` alike.
let dir: string;
const COUNT = 40;
const AT = 21;
const name = (i: number) => `m${String(i).padStart(2, '0')}.eml`;
const DEFAULT = `return { actions: [{ allRecipients: true, action: { type: 'DEFAULT' } }] };`;
/** A handler doing `act` after it answers the AT-th message (subject m21). */
const on = (act: string) =>
  `export const handler = async (event) => {\n  if (event.subject === 'm${AT}') ${act};\n  ${DEFAULT}\n};\n`;

const HANDLERS: Record<string, string> = {
  'immediate-exit0.mjs': on('setImmediate(() => process.exit(0))'),
  'timer0-exit0.mjs': on('setTimeout(() => process.exit(0), 0)'),
  'immediate-throw.mjs': on(`setImmediate(() => { throw new Error('after the answer'); })`),
  'timer0-exit3.mjs': on('setTimeout(() => process.exit(3))'),
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-r95-at-once-'));
  await mkdir(join(dir, 'eml'));
  for (let i = 1; i <= COUNT; i++)
    await writeFile(
      join(dir, 'eml', name(i)),
      `From: Ann <ann@partner.example>\r\nTo: Bob <bob@corp.example>\r\nSubject: m${String(i).padStart(2, '0')}\r\nDate: Mon, 7 Dec 2026 10:00:00 +0000\r\nMessage-ID: <m${i}@partner.example>\r\n\r\nMessage ${i}.\r\n`,
    );
  for (const [file, text] of Object.entries(HANDLERS)) await writeFile(join(dir, file), text);
  // The control: callbacks that do not end the process change nothing.
  await writeFile(join(dir, 'immediate-harmless.mjs'), on('setImmediate(() => {}), setTimeout(() => {}, 0)'));
}, 30_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function files(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (JSON.parse(l) as { file: string }).file.split('/').at(-1) as string);
}

async function both(handler: string) {
  const args = ['replay', join(dir, 'eml'), '--handler', join(dir, handler), '--json'];
  const one = await wmflow([...args, '-j', '1']);
  const two = await wmflow([...args, '-j', '2']);
  return { one, two };
}

const before = Array.from({ length: AT - 1 }, (_, i) => name(i + 1));

describe('fault round 95: a handler ending its process from what it left to run at once', () => {
  for (const [handler, code] of [
    ['immediate-exit0.mjs', 1],
    ['timer0-exit0.mjs', 1],
    ['immediate-throw.mjs', 1],
    ['timer0-exit3.mjs', 3],
  ] as const) {
    it(`${handler}: the ${AT - 1} lines before m${AT}, exit ${code}, at -j 1 as at -j 2`, async () => {
      const { one, two } = await both(handler);
      expect(files(one.stdout)).toEqual(before);
      expect(one.code).toBe(code);
      expect(one.stderr).toContain(`while replaying`);
      expect(one.stderr).toContain(name(AT));
      expect(files(two.stdout)).toEqual(before);
      expect(two.code).toBe(code);
      expect(two.stderr).toContain(name(AT));
    }, 120_000);
  }

  it('held: callbacks that do not end it leave every line and exit 0', async () => {
    const { one, two } = await both('immediate-harmless.mjs');
    expect(files(one.stdout)).toHaveLength(COUNT);
    expect(one.code).toBe(0);
    expect(files(two.stdout)).toEqual(files(one.stdout));
    expect(two.code).toBe(0);
  }, 120_000);
});
