import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isTransient } from '@wmflow/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runFlow } from '../../test/support/run.js';
import { forwardTo, type S3Proxy, startS3Proxy } from '../../test/support/s3-proxy.js';
import { eml, type Harness, startHarness } from '../../test/support/stack.js';
import { journalToS3 } from './index.js';

// Faults around the metadata object prepared while S3 stores the copy: a copy stored whose answer is
// lost, a metadata PUT refused after its release, two invocations of one message at once. Whatever
// happens, the metadata that ends up in S3 describes the copy at its key, and comes after it.
let h: Harness;
let proxy: S3Proxy;
let s3: S3Client;
let events: string[] = [];
/** What the proxy does to the n-th copy PUT and the n-th metadata PUT (from 1). */
let faults: {
  copy: (n: number) => 'forward' | 'lose' | 'hold';
  metadata: (n: number) => 'forward' | 'fail' | 'lose' | 'hold';
  /** A GET (a read-back of a taken key) answered with its whole length announced, then cut halfway. */
  get: (n: number) => 'forward' | 'cut';
};
let counts = { copy: 0, metadata: 0, get: 0 };

beforeAll(async () => {
  h = await startHarness(['journal']);
  const upstream = h.stack.env.AWS_ENDPOINT_URL_S3 as string;
  proxy = await startS3Proxy((req, body, res) => handle(req, body, res, upstream));
  s3 = proxy.s3;
});
afterAll(async () => {
  await proxy?.close();
  await h?.stop();
});
beforeEach(() => {
  events = [];
  counts = { copy: 0, metadata: 0, get: 0 };
  faults = { copy: () => 'forward', metadata: () => 'forward', get: () => 'forward' };
});

async function handle(req: IncomingMessage, body: Buffer, res: ServerResponse, upstream: string) {
  const put = req.method === 'PUT';
  const isMetadata = put && (req.url ?? '').includes('.json');
  const isCopy = put && !isMetadata;
  if (isMetadata && faults.metadata(++counts.metadata) === 'fail') {
    events.push('metadata refused');
    res.writeHead(500, { 'content-type': 'application/xml' });
    res.end('<Error><Code>InternalError</Code><Message>injected</Message></Error>');
    return;
  }
  if (req.method === 'GET' && faults.get(++counts.get) === 'cut') {
    const answer = await forwardTo(upstream, req, body);
    const whole = Buffer.concat(await answer.toArray());
    events.push(`read-back cut at ${whole.length >> 1} of ${whole.length}`);
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    res.write(whole.subarray(0, whole.length >> 1), () => res.destroy());
    return;
  }
  const act = isCopy ? faults.copy(++counts.copy) : isMetadata ? faults.metadata(counts.metadata) : 'forward';
  const answer = await forwardTo(upstream, req, body);
  const lost = act === 'lose' ? ' (lost)' : '';
  if (isMetadata) events.push(`metadata answered ${answer.statusCode}${lost}`);
  if (isCopy) events.push(`copy answered ${answer.statusCode}${lost}`);
  if (act === 'hold') {
    // S3 stored it; the answer comes late, after the invocation's deadline.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    events.push(`held ${isCopy ? 'copy' : 'metadata'} answer released`);
  }
  if (act === 'lose') {
    // S3 stored it; the client never hears so.
    answer.resume();
    res.destroy();
    return;
  }
  res.writeHead(answer.statusCode ?? 502, answer.headers);
  answer.pipe(res);
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
async function described(key: string): Promise<{ key: string; sha256: string; size: number }> {
  const got = await h.stack.s3.send(new GetObjectCommand({ Bucket: 'journal', Key: `${key}.json` }));
  return JSON.parse(await (got.Body as { transformToString(): Promise<string> }).transformToString());
}
const keys = async (prefix: string) => (await h.stack.listObjects('journal', prefix)).map((o) => o.key);

describe('journalToS3: the prepared metadata object under faults', () => {
  it('a copy stored whose answer was lost: the retry finds it verified and the prepared metadata follows', async () => {
    faults.copy = (n) => (n === 1 ? 'lose' : 'forward');
    const bytes = await eml('plain.eml');
    const run = await h.run([journalToS3({ bucket: 'journal', s3, keyTemplate: 'lost/{messageId}' })], bytes);
    expect(run.outcome.failures).toEqual([]);
    expect(events).toEqual(['copy answered 200 (lost)', 'copy answered 412', 'metadata answered 200']);
    const key = `lost/${run.messageId}`;
    expect(await keys('lost/')).toEqual([key, `${key}.json`]);
    expect(await described(key)).toMatchObject({ key, sha256: sha(bytes), size: bytes.length });
  });

  it('a metadata PUT refused after its release fails the invocation; its retry writes the metadata', async () => {
    faults.metadata = (n) => (n === 1 ? 'fail' : 'forward');
    const bytes = await eml('plain.eml');
    const messageId = h.stack.flow.load(bytes);
    const rules = [journalToS3({ bucket: 'journal', s3, keyTemplate: 'meta/{messageId}' })];
    const clients = { messageFlow: h.messageFlow, s3 };
    const first = await runFlow(rules, { messageId, invocationId: 'i1' }, { clients }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isTransient(first)).toBe(true);
    const key = `meta/${messageId}`;
    expect(await keys('meta/')).toEqual([key]);
    const again = await runFlow(rules, { messageId, invocationId: 'i1' }, { clients });
    expect(again.outcome.failures).toEqual([]);
    expect(events).toEqual([
      'copy answered 200',
      'metadata refused',
      'copy answered 412',
      'metadata answered 200',
    ]);
    expect(await described(key)).toMatchObject({ key, sha256: sha(bytes), size: bytes.length });
  });

  it('two invocations of one message at once: one copy, one metadata object, describing it', async () => {
    const bytes = await eml('plain.eml');
    const messageId = h.stack.flow.load(bytes);
    const rules = [journalToS3({ bucket: 'journal', s3, keyTemplate: 'twice/{messageId}' })];
    const clients = { messageFlow: h.messageFlow, s3 };
    const runs = await Promise.all(
      ['a', 'b'].map((invocationId) => runFlow(rules, { messageId, invocationId }, { clients })),
    );
    expect(runs.map((r) => r.outcome.failures)).toEqual([[], []]);
    const key = `twice/${messageId}`;
    expect(await keys('twice/')).toEqual([key, `${key}.json`]);
    expect(await described(key)).toMatchObject({ key, sha256: sha(bytes), size: bytes.length });
    // Each metadata PUT left after its own copy was answered.
    expect(events.filter((e) => e.startsWith('copy')).sort()).toEqual([
      'copy answered 200',
      'copy answered 412',
    ]);
    expect(events.indexOf('copy answered 200')).toBeLessThan(events.indexOf('metadata answered 200'));
  });

  it('the deadline fires while S3 holds the copy’s answer: the prepared metadata is never sent', async () => {
    faults.copy = () => 'hold';
    const bytes = await eml('plain.eml');
    const messageId = h.stack.flow.load(bytes);
    const rules = [journalToS3({ bucket: 'journal', s3, keyTemplate: 'late/{messageId}' })];
    const late = await runFlow(
      rules,
      { messageId },
      {
        clients: { messageFlow: h.messageFlow, s3 },
        deadline: { workmailTimeoutMs: 400, safetyMarginMs: 0 },
      },
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((late as Error).name).toBe('DeadlineError');
    // The copy's request was read whole and stored by S3; only its answer was late.
    await settled('held copy answer released');
    expect(events).toEqual(['copy answered 200', 'held copy answer released']);
    expect(await keys('late/')).toEqual([`late/${messageId}`]);
  });

  it('a metadata PUT stored whose answer was lost fails the invocation; the retry finds it describing the copy', async () => {
    faults.metadata = (n) => (n === 1 ? 'lose' : 'forward');
    await failsThenConverges('lostmeta', [
      'copy answered 200',
      'metadata answered 200 (lost)',
      'copy answered 412',
      'metadata answered 412',
    ]);
  });

  it('the deadline fires while S3 holds the metadata PUT’s answer: the retry finds both objects and converges', async () => {
    faults.metadata = (n) => (n === 1 ? 'hold' : 'forward');
    await failsThenConverges(
      'latemeta',
      ['copy answered 200', 'metadata answered 200', 'copy answered 412', 'metadata answered 412'],
      { workmailTimeoutMs: 400, safetyMarginMs: 0 },
    );
  });
});

describe('journalToS3: a taken key read back cut short', () => {
  it('the stored copy’s read-back is cut: the invocation fails (transient), nothing is repaired or rewritten; the retry verifies it', async () => {
    const bytes = await eml('plain.eml');
    const messageId = h.stack.flow.load(bytes);
    const rules = [journalToS3({ bucket: 'journal', s3, keyTemplate: 'cutcopy/{messageId}' })];
    const clients = { messageFlow: h.messageFlow, s3 };
    await journaledOnce(rules, messageId);
    faults.get = (n) => (n === 1 ? 'cut' : 'forward');
    const first = await runFlow(rules, { messageId, invocationId: 'i1' }, { clients }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isTransient(first)).toBe(true);
    expect(events).toEqual(['copy answered 412', `read-back cut at ${bytes.length >> 1} of ${bytes.length}`]);
    const key = `cutcopy/${messageId}`;
    // A half read is not taken for other content: no copy beside the original.
    expect(await keys('cutcopy/')).toEqual([key, `${key}.json`]);
    const again = await runFlow(rules, { messageId, invocationId: 'i1' }, { clients });
    expect(again.outcome.failures).toEqual([]);
    expect(JSON.stringify(again.outcome.fired)).toContain('stored copy verified');
    expect(await keys('cutcopy/')).toEqual([key, `${key}.json`]);
  });

  it('the metadata object’s read-back is cut: the invocation fails (transient) and the metadata is not rewritten', async () => {
    const bytes = await eml('plain.eml');
    const messageId = h.stack.flow.load(bytes);
    const rules = [journalToS3({ bucket: 'journal', s3, keyTemplate: 'cutmeta/{messageId}' })];
    const clients = { messageFlow: h.messageFlow, s3 };
    await journaledOnce(rules, messageId);
    const key = `cutmeta/${messageId}`;
    // The copy verifies on the first GET; the metadata object's GET is the second, cut.
    faults.get = (n) => (n === 2 ? 'cut' : 'forward');
    const first = await runFlow(rules, { messageId, invocationId: 'i1' }, { clients }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isTransient(first)).toBe(true);
    expect(events.filter((e) => e.startsWith('read-back') || e.startsWith('metadata'))).toEqual([
      'metadata answered 412',
      expect.stringMatching(/^read-back cut at \d+ of \d+$/),
    ]);
    expect(events.filter((e) => e.startsWith('metadata')).length).toBe(1);
    expect(await described(key)).toMatchObject({ key, sha256: sha(bytes), size: bytes.length });
  });
});

/** A first invocation journals the message; what the proxy saw of it is forgotten. */
async function journaledOnce(rules: ReturnType<typeof journalToS3>[], messageId: string): Promise<void> {
  const first = await runFlow(
    rules,
    { messageId, invocationId: 'i0' },
    { clients: { messageFlow: h.messageFlow, s3 } },
  );
  expect(first.outcome.failures).toEqual([]);
  events = [];
  counts = { copy: 0, metadata: 0, get: 0 };
}

async function settled(event: string): Promise<void> {
  while (!events.includes(event)) await new Promise((r) => setTimeout(r, 50));
  await new Promise((resolve) => setTimeout(resolve, 200));
}

/** One invocation that fails, then its retry: one copy and one metadata object describing it. */
async function failsThenConverges(
  prefix: string,
  expected: string[],
  deadline?: { workmailTimeoutMs: number; safetyMarginMs: number },
): Promise<void> {
  const bytes = await eml('plain.eml');
  const messageId = h.stack.flow.load(bytes);
  const rules = [journalToS3({ bucket: 'journal', s3, keyTemplate: `${prefix}/{messageId}` })];
  const options = { clients: { messageFlow: h.messageFlow, s3 }, ...(deadline ? { deadline } : {}) };
  const first = await runFlow(rules, { messageId, invocationId: 'i1' }, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(first).toBeInstanceOf(Error);
  if (deadline) {
    expect((first as Error).name).toBe('DeadlineError');
    await settled('held metadata answer released');
  } else expect(isTransient(first)).toBe(true);
  const again = await runFlow(rules, { messageId, invocationId: 'i1' }, { clients: options.clients });
  expect(again.outcome.failures).toEqual([]);
  expect(events.filter((e) => !e.startsWith('held'))).toEqual(expected);
  const key = `${prefix}/${messageId}`;
  expect(await keys(`${prefix}/`)).toEqual([key, `${key}.json`]);
  expect(await described(key)).toMatchObject({ key, sha256: sha(bytes), size: bytes.length });
}
