import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wmflow } from './replay-helpers.js';

// Fault round 97: round 95 decided that what a handler leaves to run at once when it answers belongs to its message
// and runs before that message is reported, but it waited only for the global `setImmediate` and `setTimeout(f, 0)`,
// one level deep. A handler ending its process from a chain (an immediate queuing another, a zero-delay timer
// setting another), from `node:timers`' `setTimeout` or from `node:timers/promises` had its message reported as ok,
// and the run ended on a later message, a different one at `-j 1` and `-j 2`. Asked: the lines before the message
// whose callbacks ended the run, none from it on, exit 1, its name on stderr, at `-j 1` as at `-j 2`.
let dir: string;
const COUNT = 12;
const AT = 5;
const name = (i: number) => `m${String(i).padStart(2, '0')}.eml`;
const DEFAULT = `return { actions: [{ allRecipients: true, action: { type: 'DEFAULT' } }] };`;
const on = (act: string, imports = '') =>
  `${imports}export const handler = async (event) => {\n  if (event.subject === 'm${String(AT).padStart(2, '0')}') ${act};\n  ${DEFAULT}\n};\n`;

const HANDLERS: Record<string, string> = {
  'nested-immediates.mjs': on('setImmediate(() => setImmediate(() => setImmediate(() => process.exit(0))))'),
  'chained-timers.mjs': on('setTimeout(() => setTimeout(() => setTimeout(() => process.exit(0), 0)), 0)'),
  'immediate-then-timer.mjs': on('setImmediate(() => setTimeout(() => process.exit(0), 0))'),
  'node-timers.mjs': on('st(() => process.exit(0), 0)', `import { setTimeout as st } from 'node:timers';\n`),
  'node-timers-immediate.mjs': on(
    'si(() => si(() => process.exit(0)))',
    `import { setImmediate as si } from 'node:timers';\n`,
  ),
  'timers-promises.mjs': on(
    'st(0).then(() => process.exit(0))',
    `import { setTimeout as st } from 'node:timers/promises';\n`,
  ),
  'timers-promises-immediate.mjs': on(
    'si().then(() => process.exit(0))',
    `import { setImmediate as si } from 'node:timers/promises';\n`,
  ),
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-r97-chains-'));
  await mkdir(join(dir, 'eml'));
  for (let i = 1; i <= COUNT; i++)
    await writeFile(
      join(dir, 'eml', name(i)),
      `From: Ann <ann@partner.example>\r\nTo: Bob <bob@corp.example>\r\nSubject: m${String(i).padStart(2, '0')}\r\nDate: Mon, 7 Dec 2026 10:00:00 +0000\r\nMessage-ID: <m${i}@partner.example>\r\n\r\nMessage ${i}.\r\n`,
    );
  for (const [file, text] of Object.entries(HANDLERS)) await writeFile(join(dir, file), text);
  // The control: a zero-delay ticker that never stops (a poller) does not hold a message for ever, nor fail it.
  await writeFile(
    join(dir, 'ticker.mjs'),
    on(
      `(function tick() { globalThis.ticks = (globalThis.ticks ?? 0) + 1; setTimeout(tick, 0); setImmediate(() => {}); })()`,
    ),
  );
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

const before = Array.from({ length: AT - 1 }, (_, i) => name(i + 1));

describe('fault round 97: a handler ending its process from a chain of what it left to run at once', () => {
  for (const handler of Object.keys(HANDLERS))
    for (const jobs of ['1', '2'])
      it(`${handler} -j ${jobs}: the ${AT - 1} lines before ${name(AT)}, exit 1`, async () => {
        const run = await wmflow([
          'replay',
          join(dir, 'eml'),
          '--handler',
          join(dir, handler),
          '--json',
          '-j',
          jobs,
        ]);
        expect(files(run.stdout)).toEqual(before);
        expect(run.code).toBe(1);
        expect(run.stderr).toContain(`while replaying ${join(dir, 'eml', name(AT))}`);
      }, 120_000);

  it('held: a ticker that never stops leaves every line, exit 0', async () => {
    const run = await wmflow(['replay', join(dir, 'eml'), '--handler', join(dir, 'ticker.mjs'), '--json']);
    expect(files(run.stdout)).toEqual(Array.from({ length: COUNT }, (_, i) => name(i + 1)));
    expect(run.code).toBe(0);
  }, 120_000);
});
