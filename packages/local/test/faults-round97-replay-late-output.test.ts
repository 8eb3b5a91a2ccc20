import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wmflow } from './replay-helpers.js';

// Fault round 97: what a handler prints after the run's last message (a timer of a message that fires once the run
// is done, a `setInterval` at import running while the emulators stop and in the second before the process ends)
// reached stdout at `-j 1`, after the JSON lines or the table: replay gave `process.stdout` back before it stopped the
// emulators, and a handler's timers still run then. A `-j N` worker's stdout is stderr or nothing, so `-j 2` stayed
// clean. Asked: at `-j 1` as at `-j 2`, stdout holds the run's own output and nothing else.
let dir: string;
const COUNT = 6;
const name = (i: number) => `m${String(i).padStart(2, '0')}.eml`;
const DEFAULT = `return { actions: [{ allRecipients: true, action: { type: 'DEFAULT' } }] };`;

const HANDLERS: Record<string, string> = {
  // Each message leaves a timer that prints 300 ms after it answered: the last ones fire after the run.
  'late-log.mjs': `export const handler = async (event) => {\n  setTimeout(() => console.log('LATE ' + event.subject), 300);\n  ${DEFAULT}\n};\n`,
  // A module-level interval printing until the process ends (round 57's grace second included).
  'interval.mjs': `setInterval(() => process.stdout.write('TICK\\n'), 20);\nexport const handler = async () => { ${DEFAULT} };\n`,
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-r97-late-'));
  await mkdir(join(dir, 'eml'));
  for (let i = 1; i <= COUNT; i++)
    await writeFile(
      join(dir, 'eml', name(i)),
      `From: Ann <ann@partner.example>\r\nTo: Bob <bob@corp.example>\r\nSubject: m${String(i).padStart(2, '0')}\r\nDate: Mon, 7 Dec 2026 10:00:00 +0000\r\nMessage-ID: <m${i}@partner.example>\r\n\r\nMessage ${i}.\r\n`,
    );
  for (const [file, text] of Object.entries(HANDLERS)) await writeFile(join(dir, file), text);
}, 30_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('fault round 97: what a handler prints after the last message stays off stdout', () => {
  for (const handler of Object.keys(HANDLERS))
    for (const jobs of ['1', '2']) {
      it(`${handler} -j ${jobs} --json: the JSON lines alone`, async () => {
        const run = await wmflow([
          'replay',
          join(dir, 'eml'),
          '--handler',
          join(dir, handler),
          '--json',
          '-j',
          jobs,
        ]);
        expect(run.stdout).not.toMatch(/LATE|TICK/);
        const lines = run.stdout.split('\n').filter((l) => l !== '');
        expect(lines.map((l) => (JSON.parse(l) as { file: string }).file.split('/').at(-1))).toEqual(
          Array.from({ length: COUNT }, (_, i) => name(i + 1)),
        );
        expect(run.code).toBe(0);
      }, 120_000);
    }

  it('late-log.mjs -j 1, the table: ends with the footer', async () => {
    const run = await wmflow(['replay', join(dir, 'eml'), '--handler', join(dir, 'late-log.mjs'), '-j', '1']);
    expect(run.stdout).not.toContain('LATE');
    expect(run.code).toBe(0);
  }, 120_000);

  it('late-log.mjs -j 1 --logs: what it prints late goes to stderr, as a worker’s', async () => {
    const run = await wmflow([
      'replay',
      join(dir, 'eml'),
      '--handler',
      join(dir, 'late-log.mjs'),
      '--json',
      '--logs',
    ]);
    expect(run.stdout).not.toContain('LATE');
    expect(run.stderr).toContain(`LATE m${String(COUNT).padStart(2, '0')}`);
    expect(run.code).toBe(0);
  }, 120_000);
});
