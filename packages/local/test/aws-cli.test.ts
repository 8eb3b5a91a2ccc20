import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../src/index.js';
import { SAMPLES } from './helpers.js';

const AWS = '/usr/bin/aws';
// Debian's aws-cli; CI installs it (.ci/run), so only a developer machine without it may skip.
const available = existsSync(AWS) || process.env.CI !== undefined;
const run = promisify(execFile);

let stack: LocalStack;
let folder: string;

beforeAll(async () => {
  stack = await startLocalStack();
  folder = await mkdtemp(join(tmpdir(), 'wmflow-aws-cli-'));
});
afterAll(async () => {
  await stack.stop();
  await rm(folder, { recursive: true, force: true });
});

async function getRaw(messageId: string, out: string) {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: folder,
    AWS_ACCESS_KEY_ID: stack.env.AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: stack.env.AWS_SECRET_ACCESS_KEY,
    AWS_DEFAULT_REGION: stack.env.AWS_REGION,
    AWS_MAX_ATTEMPTS: '1',
  };
  const endpoint = stack.env.AWS_ENDPOINT_URL_WORKMAILMESSAGEFLOW;
  const args = [
    'workmailmessageflow',
    'get-raw-message-content',
    '--message-id',
    messageId,
    '--endpoint-url',
    endpoint,
    out,
  ];
  return run(AWS, args, { env }).then(
    () => ({ code: 0, stderr: '' }),
    (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
  );
}

describe.runIf(available)('Message Flow emulator through /usr/bin/aws (Debian aws-cli)', () => {
  it('get-raw-message-content writes the message byte for byte', async () => {
    const id = await stack.flow.loadFile(`${SAMPLES}alternative-crlf.eml`);
    const out = join(folder, 'out.eml');
    expect(await getRaw(id, out)).toEqual({ code: 0, stderr: '' });
    expect(await readFile(out)).toEqual(await readFile(`${SAMPLES}alternative-crlf.eml`));
  });

  it('reports ResourceNotFoundException for an unknown message', async () => {
    const result = await getRaw('missing-message', join(folder, 'missing.eml'));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('(ResourceNotFoundException)');
  });

  it('reports injected faults: throttling, server error, broken stream', async () => {
    const id = await stack.flow.loadFile(`${SAMPLES}plain.eml`);
    stack.flow.injectFault({ kind: 'throttle' }, { messageId: id, times: 1 });
    expect((await getRaw(id, join(folder, 't.eml'))).stderr).toContain('(ThrottlingException)');
    stack.flow.injectFault({ kind: 'server-error', status: 503 }, { messageId: id, times: 1 });
    expect((await getRaw(id, join(folder, 's.eml'))).stderr).toContain('(InternalServerException)');
    stack.flow.injectFault({ kind: 'broken-stream', afterBytes: 10 }, { messageId: id, times: 1 });
    expect((await getRaw(id, join(folder, 'b.eml'))).code).not.toBe(0);
    expect(await getRaw(id, join(folder, 'ok.eml'))).toEqual({ code: 0, stderr: '' });
  });
});
