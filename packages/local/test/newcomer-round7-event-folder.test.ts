import { expect, it } from 'vitest';
import { wmflow } from './replay-helpers.js';

// Newcomer round 7: `wmflow event mail/` (the folder replay takes) stopped with Node's
// `cannot read mail/: EISDIR: illegal operation on a directory, read`, and `wmflow event mail/*.eml` (the shell's
// glob) with `give exactly one message file`, neither saying that event prints one message's event.

it('says a folder is a folder, and what to give instead', async () => {
  const run = await wmflow(['event', 'samples/eml']);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe(
    'wmflow event: samples/eml is a folder: give one message file in it (wmflow event samples/eml/<name>.eml): an event is of one message\n',
  );
}, 60_000);

it('says how many files were given', async () => {
  const run = await wmflow(['event', 'samples/eml/01-plain-text.eml', 'samples/eml/02-html-newsletter.eml']);
  expect(run.code).toBe(1);
  expect(run.stderr).toBe(
    'wmflow event: give exactly one message file (2 given): an event is of one message\n',
  );
}, 60_000);
