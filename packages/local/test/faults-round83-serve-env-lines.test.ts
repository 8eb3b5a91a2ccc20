import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SAMPLES } from './helpers.js';
import { exitCode, startServe } from './serve-helpers.js';

// Fault round 83 on newcomer round 5's `serve --env KEY=VALUE`: serve prints one `export NAME=value` line per
// variable, one `<messageId>\t<path>` line per loaded message, then `ready`, and a reader (this repo's own helper, a
// script following docs/local.md) takes the lines up to `ready`. A value with a line break (a pretty-printed
// RATE_LIMITS from `$(cat limits.json)`, a PEM) was printed inside single quotes as it is, over several lines: a value
// holding a line `ready` ended the reader there, before the message lines (no message ids: nothing to invoke), and a
// line shaped `<id>\t<path>` added a message that was never loaded. Such a value is now written on one line that a
// POSIX shell (dash included) and bash read back byte for byte; the --env-json file keeps the value itself.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-f83-serve-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const VALUE = 'a\nready\nfake-id\tforged.eml\r\n it\'s \\c \\0101 %s $HOME `x` "q"\n\n';

it('a value with line breaks splits no line: the message lines come before ready, and the shells read the value back whole', async () => {
  const envJson = join(dir, 'env.local.json');
  const served = await startServe([
    '--load',
    `${SAMPLES}plain.eml`,
    '--env-json',
    envJson,
    '--env',
    `NOTE=${VALUE}`,
    '--env',
    'PLAIN=a b',
  ]);
  const exited = exitCode(served.child);
  try {
    expect([...served.loaded.keys()]).toEqual([`${SAMPLES}plain.eml`]);
    const line = `export NOTE=${served.env.NOTE}`;
    expect(line).not.toMatch(/[\r\n]/);
    for (const shell of ['sh', 'bash']) {
      const out = execFileSync(shell, ['-c', `${line}\nprintf '%s' "$NOTE"`], { encoding: 'utf8' });
      expect(out, shell).toBe(VALUE);
    }
    expect(served.env.PLAIN).toBe("'a b'");
    const { Parameters } = JSON.parse(await readFile(envJson, 'utf8')) as {
      Parameters: Record<string, string>;
    };
    expect(Parameters.NOTE).toBe(VALUE);
  } finally {
    served.child.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
}, 60_000);
