import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { lambdaContext, makeFlowEvent, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import type { LocalStack } from '@wmflow/local';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import { archiverSes } from '../archiver-ses/archiver-ses.js';
import { guard } from '../guard/guard.js';
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
  UPDATES,
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
}, 180_000);
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
/** Waits (bounded) for the work of an answered invocation to stop, then lists what it left in the temp folder. */
async function leftInTemp(): Promise<string[]> {
  for (let i = 0; i < 60 && (await readdir(temp)).length > 0; i++)
    await new Promise((r) => setTimeout(r, 500));
  return readdir(temp);
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

  it('leaves no spill file and no partial copy after a deadline mid-upload (synchronous)', async () => {
    const bytes = bigMessage(11_000_000, 'injector-deadline');
    const id = load(bytes);
    stack.proxies?.s3.configure('seed=47,latency=3000');
    const handler = archiver({ ...env, SYNCHRONOUS: 'true' });
    const first = await invoke(handler, event(id), 2_500);
    stack.proxies?.s3.configure('seed=47');
    expect(first.error?.name).toBe('DeadlineError');
    expect(await leftInTemp()).toEqual([]);
    // A request whose last byte left before the deadline may still complete at S3 after the client gave up (the
    // proxy, like S3, forwards it): the copy lands whole or not at all, and a metadata object only beside a whole
    // copy whose digest it names.
    const late = await stored(stack, JOURNAL, `j/${id}`);
    if (late !== undefined) expect(late.equals(bytes)).toBe(true);
    const meta = await stored(stack, JOURNAL, `j/${id}.json`);
    if (meta !== undefined) {
      expect(late, 'metadata without its copy').toBeDefined();
      expect(meta.toString('utf8')).toContain(sha256(bytes));
    }
  }, 240_000);
});

describe('fault injector: guard', () => {
  it('fails, delivers nothing and leaves no file when the update of a large message cannot be uploaded', async () => {
    const bytes = bigMessage(6_000_000, 'injector-guard');
    const id = stack.flow.load(bytes);
    stack.proxies?.s3.configure('seed=47,error=1');
    const handler = guard({ ORGANIZATION_DOMAINS: 'corp.example', UPDATES_BUCKET: UPDATES });
    const ev = makeFlowEvent({
      messageId: id,
      mailFrom: 'ann@partner.example',
      recipients: ['bob@corp.example'],
    });
    const first = await invoke(handler, ev);
    stack.proxies?.s3.configure('seed=47');
    expect(first.error).toBeDefined();
    expect(stack.flow.history(id)).toHaveLength(1);
    expect(await leftInTemp()).toEqual([]);
    const again = await invokeUntilAnswered(handler, ev);
    expect(again.answered, describeErrors(again.errors)).toBe(true);
    const out = stack.flow.history(id).at(-1)?.content ?? Buffer.alloc(0);
    expect(out.toString('latin1')).toMatch(/^Subject: \[EXTERNAL\] /m);
    // The attachment part to the end is the original's, byte for byte (the guard adds a banner before it).
    const tail = bytes.subarray(bytes.indexOf('--b1\r\nContent-Type: application/pdf'));
    expect(out.subarray(out.length - tail.length).equals(tail)).toBe(true);
    expect(await leftInTemp()).toEqual([]);
  }, 240_000);
});

describe('fault injector: download cut at each offset class of the streamed journal copy', () => {
  const MiB = 1024 * 1024;
  // Inside the memory share, at its edge, at write-behind batch edges of the spill file, the last byte.
  const size = 6_000_000;
  const cuts = [1, 64_000, 2 * MiB - 1, 2 * MiB, 2 * MiB + 1, 2.5 * MiB, 2.5 * MiB + 1, 3 * MiB, -1];
  it.each(cuts)(
    'cut after %i bytes: the invocation fails, nothing stored, no file; the retry copies whole',
    async (cut) => {
      const bytes = bigMessage(size, `injector-cut-${cut}`);
      const id = load(bytes);
      // -1: every byte but the last.
      const afterBytes = cut < 0 ? bytes.length + cut : cut;
      stack.flow.injectFault({ kind: 'broken-stream', afterBytes }, { messageId: id, times: 1 });
      const handler = archiver(env);
      const first = await invoke(handler, event(id));
      expect(first.error, 'answered over a cut download').toBeDefined();
      expect(await stored(stack, JOURNAL, `j/${id}`)).toBeUndefined();
      expect(await stored(stack, JOURNAL, `j/${id}.json`)).toBeUndefined();
      expect(await leftInTemp()).toEqual([]);
      const again = await invokeUntilAnswered(handler, event(id));
      expect(again.answered, describeErrors(again.errors)).toBe(true);
      expect(sha256((await stored(stack, JOURNAL, `j/${id}`)) ?? Buffer.alloc(0))).toBe(sha256(bytes));
      expect(await leftInTemp()).toEqual([]);
    },
    120_000,
  );
});

describe('fault injector: spill to a failing disk', () => {
  it('fails the guard invocation (no verdict) when the message cannot be spilled, and decides on retry', async () => {
    const bytes = bigMessage(6_000_000, 'injector-disk');
    const id = stack.flow.load(bytes);
    const handler = guard({ ORGANIZATION_DOMAINS: 'corp.example', UPDATES_BUCKET: UPDATES });
    const ev = makeFlowEvent({
      messageId: id,
      mailFrom: 'ann@partner.example',
      recipients: ['bob@corp.example'],
    });
    // The spill folder is gone (as a full /tmp): a failure to keep the bytes, never the message's content.
    process.env.TMPDIR = join(temp, 'gone');
    const first = await invoke(handler, ev);
    process.env.TMPDIR = temp;
    expect(first.response, 'a verdict from a message that could not be read').toBeUndefined();
    expect(first.error?.cause).toMatchObject({ name: 'MessageReadError', reason: 'spill' });
    const again = await invokeUntilAnswered(handler, ev);
    expect(again.answered, describeErrors(again.errors)).toBe(true);
    expect(JSON.stringify(again.response)).not.toMatch(/BOUNCE/);
    expect(await leftInTemp()).toEqual([]);
  }, 240_000);
});

describe('fault injector: archiver on SES', () => {
  const sesEnv = { ...env, STORED_BUCKET: UPDATES, STORED_KEY_PREFIX: 'inbound/' };
  async function storeSes(bytes: Buffer): Promise<string> {
    const id = sesMessageId();
    await stack.s3.send(new PutObjectCommand({ Bucket: UPDATES, Key: `inbound/${id}`, Body: bytes }));
    originals.set(id, bytes);
    return id;
  }
  async function invokeSes(id: string, timeoutMs = 60_000): Promise<Error | undefined> {
    const handler = archiverSes(sesEnv);
    try {
      await handler(
        makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] }),
        lambdaContext({ timeoutMs }),
      );
      return undefined;
    } catch (error) {
      return error as Error;
    }
  }

  it('journals a 7 MB stored message byte-identical through resets, throttling and lost answers', async () => {
    const bytes = bigMessage(7_000_000, 'injector-ses-storm');
    const id = await storeSes(bytes);
    stack.proxies?.s3.configure('seed=47,reset=0.2,throttle=0.15,lost=0.15');
    const errors: Error[] = [];
    for (let attempt = 0; attempt < 20; attempt++) {
      const error = await invokeSes(id);
      if (!error) break;
      errors.push(error);
    }
    stack.proxies?.s3.configure('seed=47');
    expect(errors.length, describeErrors(errors)).toBeLessThan(20);
    expect(sha256((await stored(stack, JOURNAL, `j/${id}`)) ?? Buffer.alloc(0))).toBe(sha256(bytes));
    expect(await leftInTemp()).toEqual([]);
  }, 240_000);

  it('fails at a deadline mid-upload, leaves no copy and no file, and journals the whole copy on retry', async () => {
    const bytes = bigMessage(11_000_000, 'injector-ses-deadline');
    const id = await storeSes(bytes);
    stack.proxies?.s3.configure('seed=47,latency=3000');
    const error = await invokeSes(id, 2_500);
    stack.proxies?.s3.configure('seed=47');
    expect(error?.name).toBe('DeadlineError');
    expect(await leftInTemp()).toEqual([]);
    expect(await stored(stack, JOURNAL, `j/${id}`)).toBeUndefined();
    expect(await invokeSes(id)).toBeUndefined();
    expect(sha256((await stored(stack, JOURNAL, `j/${id}`)) ?? Buffer.alloc(0))).toBe(sha256(bytes));
  }, 240_000);
});
