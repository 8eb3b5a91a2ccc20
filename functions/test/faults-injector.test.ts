import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFlowEvent } from '@wmflow/core/testing';
import type { LocalStack } from '@wmflow/local';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import {
  assertJournalIntact,
  bigMessage,
  describeErrors,
  invoke,
  invokeUntilAnswered,
  JOURNAL,
  sha256,
  startFaultStack,
  stored,
} from './fault-harness.js';

// Faults aimed at the moments the other suites do not reach; each asserts what must hold afterwards.
let stack: LocalStack;
const originals = new Map<string, Buffer>();
const systemTemp = process.env.TMPDIR;
let temp: string;
beforeAll(async () => {
  stack = await startFaultStack(47);
  // The functions spill large messages to os.tmpdir(): a folder of this suite's own, to count what is left.
  temp = await mkdtemp(join(tmpdir(), 'faults-injector-'));
  process.env.TMPDIR = temp;
}, 60_000);
afterAll(async () => {
  if (systemTemp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = systemTemp;
  await rm(temp, { recursive: true, force: true });
  const { problems } = await assertJournalIntact(stack, originals);
  await stack?.stop();
  expect(problems).toEqual([]);
});
beforeEach(() => {
  stack.proxies?.s3.configure('seed=47');
  stack.proxies?.flow.configure('seed=47');
  stack.flow.clearFaults();
});

const env = { JOURNAL_BUCKET: JOURNAL, ORGANIZATION_DOMAINS: 'corp.example', KEY_TEMPLATE: 'j/{messageId}' };
function load(bytes: Buffer): string {
  const id = stack.flow.load(bytes);
  originals.set(id, bytes);
  return id;
}
const event = (messageId: string) => makeFlowEvent({ messageId, recipients: ['bob@corp.example'] });

describe('fault injector: archiver', () => {
  it('leaves no spill file when S3 refuses a multipart upload before the message was read to its end', async () => {
    const bytes = bigMessage(11_000_000, 'injector-spill');
    const id = load(bytes);
    // Every S3 request answers 500: CreateMultipartUpload fails after the SDK's retries, two parts read.
    stack.proxies?.s3.configure('seed=47,error=1');
    const handler = archiver(env);
    const first = await invoke(handler, event(id));
    stack.proxies?.s3.configure('seed=47');
    expect(first.error).toBeDefined();
    expect(await readdir(temp)).toEqual([]);
    const again = await invokeUntilAnswered(handler, event(id));
    expect(again.answered, describeErrors(again.errors)).toBe(true);
    expect(sha256((await stored(stack, JOURNAL, `j/${id}`)) ?? Buffer.alloc(0))).toBe(sha256(bytes));
    expect(await readdir(temp)).toEqual([]);
  }, 240_000);
});
