import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { wmflow } from './replay-helpers.js';

// Newcomer round 7: a handler written `export default flow({ … })` was replayed by calling the default export's
// own `handler` property (which a flow handler has: the middleware's setter), so replay stopped with Node's
// `The "string" argument must be of type string … Received undefined`; `wmflow bundle` made the bundle and said
// `Handler: index.handler`, which Lambda would then not find (Runtime.HandlerNotFound) once deployed.
const ONE = 'samples/eml/01-plain-text.eml';
const HANDLER = 'packages/local/test/fixtures/newcomer-round7-default-export.ts';
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-newcomer-r7-default-'));
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('replay says the handler is the default export and how to name it', async () => {
  const run = await wmflow(['replay', ONE, '--handler', HANDLER, '--json']);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe(
    `wmflow replay: ${HANDLER}#handler: no function exported as "handler" (exports: default): ` +
      'the handler is the default export, but Lambda calls index.handler: write export const handler = flow(…), ' +
      `or replay it as --handler ${HANDLER}#default\n`,
  );
}, 60_000);

it('replays the default export when asked for by name', async () => {
  const run = await wmflow(['replay', ONE, '--handler', `${HANDLER}#default`, '--json']);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('"DROP"');
}, 60_000);

it('bundle refuses a module without a handler export, and leaves no folder', async () => {
  const out = join(dir, 'h');
  const run = await wmflow(['bundle', HANDLER, '--out', out]);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain(
    'exports no "handler" (exports: default), and Lambda calls index.handler: write export const handler = flow(…)',
  );
  expect(existsSync(out)).toBe(false);
}, 60_000);
