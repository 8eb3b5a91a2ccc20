import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BatchEvent, batchRunner } from '../../packages/local/src/backtest/batch.js';
import { readResultWriter } from '../../packages/local/src/backtest/remote.js';
import { batchClient, guardBatchInit, ROOT } from '../../packages/local/test/backtest-helpers.js';
import { loadTemplate, type Template } from './cfn.js';
import { bigMessage, JOURNAL, UPDATES } from './fault-harness.js';
import { type Act, pathOf, proxiedStack } from './scripted-proxy.js';

// Fault round 53 (F53-2): since round 52 a transient S3 failure fails the batch Lambda so the Map retries it. One
// object throttled for longer than the Map's two retries (a hot prefix, SlowDown for a minute) then failed its whole
// batch for good: `wmflow backtest --remote` reported all 50 messages of it "could not be backtested (SlowDown)",
// 49 of them read whole on every try and never judged. The state machine now hands the batch its retry count
// ($$.State.RetryCount) and how many retries it allows; on the last try a transient failure is that message's failed
// line, and the rest of the batch is judged.
const template = await loadTemplate(join(ROOT, 'template-backtest.yaml'));
const definition = (template.Resources.BacktestStateMachine as Template).Properties.Definition as Template;
const map = definition.States[definition.StartAt] as Template;
const task = map.ItemProcessor.States[map.ItemProcessor.StartAt] as Template;
const taskFailedRetry = (task.Retry as Template[]).find((r) => r.ErrorEquals.includes('States.TaskFailed'));

/** The Lambda's event as Step Functions makes it from the task's Parameters, the child's input and the context. */
function payloadOf(input: Omit<BatchEvent, 'RetryCount' | 'RetriesAllowed'>, retryCount: number): BatchEvent {
  const params = task.Parameters as Template;
  const resolve = (path: string): unknown => {
    if (path === '$') return input;
    if (path === '$$.State.RetryCount') return retryCount;
    if (path.startsWith('$.')) return (input as unknown as Template)[path.slice(2)];
    throw new Error(`a path this test does not resolve: ${path}`);
  };
  if (params['Payload.$'] !== undefined) return resolve(params['Payload.$']) as BatchEvent;
  const payload = params.Payload as Template;
  return Object.fromEntries(
    Object.entries(payload).map(([k, v]) =>
      k.endsWith('.$') ? [k.slice(0, -2), resolve(v as string)] : [k, v],
    ),
  ) as BatchEvent;
}

const t = proxiedStack([JOURNAL, UPDATES]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const KEY = 'journal/inbound/2026/12/06/f53-2-0000';
const OTHER = 'journal/inbound/2026/12/06/f53-2-0001';
const whole = bigMessage(20_000, 'f53-2');
const XML = { 'content-type': 'application/xml' };
const slowDown = {
  do: 'answer',
  status: 503,
  headers: XML,
  body: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>R</RequestId><HostId>H</HostId></Error>',
} as Act;

beforeAll(async () => {
  for (const key of [KEY, OTHER]) {
    await t.stack.s3.send(new PutObjectCommand({ Bucket: JOURNAL, Key: key, Body: whole }));
    const metadata = {
      key,
      messageId: key.split('/').at(-1),
      invocationId: 'i',
      direction: 'INBOUND',
      envelope: { mailFrom: 'ann@partner.example', recipients: ['bob@corp.example'] },
      verdictsSoFar: {},
      rulesFiredSoFar: [],
      sha256: sha(whole),
      size: whole.length,
    };
    await t.stack.s3.send(
      new PutObjectCommand({ Bucket: JOURNAL, Key: `${key}.json`, Body: JSON.stringify(metadata) }),
    );
  }
});

/** One try of the batch of both messages, its GETs of `path` answered with `fault`: its lines, or why it failed. */
async function tryBatch(retryCount: number, path: string, fault: Act): Promise<string[][] | string> {
  t.s3p.decide = (req) => (req.method === 'GET' && pathOf(req) === path ? fault : { do: 'forward' });
  try {
    const run = batchRunner(batchClient(t.s3p.endpoint));
    const input = {
      Items: [KEY, `${KEY}.json`, OTHER, `${OTHER}.json`].map((Key) => ({ Key })),
      BatchInput: { bucket: JOURNAL, init: await guardBatchInit() },
    };
    const { lines } = await run(payloadOf(input, retryCount));
    return lines.map((l) => [l.key, l.candidate.error?.name ?? 'judged']);
  } catch (error) {
    return `batch failed: ${(error as Error).name}`;
  } finally {
    t.s3p.decide = () => ({ do: 'forward' });
  }
}

describe('F53-2: one object throttled past the Map retries fails itself, not its whole batch', () => {
  it('the template retries a failed batch and tells the batch its retry count and the retries allowed', () => {
    expect(taskFailedRetry?.MaxAttempts).toBeGreaterThanOrEqual(1);
    const event = payloadOf({ Items: [], BatchInput: { bucket: 'b', init: {} as never } }, 1);
    expect(event).toMatchObject({ RetryCount: 1, RetriesAllowed: taskFailedRetry?.MaxAttempts });
  });

  it('before its last try: the batch fails, so the Map reads it again (round 52)', async () => {
    expect(await tryBatch(0, `/${JOURNAL}/${KEY}`, slowDown)).toBe('batch failed: SlowDown');
  }, 120_000);

  it('on its last try: the throttled message is failed, the other judged', async () => {
    const last = taskFailedRetry?.MaxAttempts as number;
    expect(await tryBatch(last, `/${JOURNAL}/${KEY}`, slowDown)).toEqual([
      [KEY, 'SlowDown'],
      [OTHER, 'judged'],
    ]);
  }, 120_000);

  it('on its last try: metadata throttled is that message failed, the other judged', async () => {
    const last = taskFailedRetry?.MaxAttempts as number;
    expect(await tryBatch(last, `/${JOURNAL}/${KEY}.json`, slowDown)).toEqual([
      [KEY, 'SlowDown'],
      [OTHER, 'judged'],
    ]);
  }, 120_000);

  it('on its last try: a body cut on its way is failed, never judged', async () => {
    const last = taskFailedRetry?.MaxAttempts as number;
    expect(
      await tryBatch(last, `/${JOURNAL}/${KEY}`, { do: 'forward-close-delimited', keep: 7_000 }),
    ).toEqual([
      [KEY, 'TransientError'],
      [OTHER, 'judged'],
    ]);
  }, 120_000);

  it('the ResultWriter of such a batch gives the judged message and the failed one (wmflow backtest --remote)', async () => {
    const last = taskFailedRetry?.MaxAttempts as number;
    t.s3p.decide = (req) =>
      req.method === 'GET' && pathOf(req) === `/${JOURNAL}/${KEY}` ? slowDown : { do: 'forward' };
    let output: string;
    try {
      const input = {
        Items: [KEY, `${KEY}.json`, OTHER, `${OTHER}.json`].map((Key) => ({ Key })),
        BatchInput: { bucket: JOURNAL, init: await guardBatchInit() },
      };
      output = JSON.stringify(await batchRunner(batchClient(t.s3p.endpoint))(payloadOf(input, last)));
    } finally {
      t.s3p.decide = () => ({ do: 'forward' });
    }
    const results = [{ Input: '{}', Output: output, Status: 'SUCCEEDED' }];
    await t.stack.s3.send(
      new PutObjectCommand({ Bucket: UPDATES, Key: 'r/SUCCEEDED_0.json', Body: JSON.stringify(results) }),
    );
    const manifest = { ResultFiles: { SUCCEEDED: [{ Key: 'r/SUCCEEDED_0.json' }] } };
    await t.stack.s3.send(
      new PutObjectCommand({ Bucket: UPDATES, Key: 'r/manifest.json', Body: JSON.stringify(manifest) }),
    );
    const lines: string[][] = [];
    await readResultWriter(
      t.stack.s3,
      JSON.stringify({ ResultWriterDetails: { Bucket: UPDATES, Key: 'r/manifest.json' } }),
      async (l) => {
        lines.push([l.key, l.candidate.error?.name ?? 'judged']);
      },
    );
    expect(lines).toEqual([
      [KEY, 'SlowDown'],
      [OTHER, 'judged'],
    ]);
  }, 120_000);
});
