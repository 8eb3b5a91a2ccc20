import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type LocalStack, startLocalStack } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransientError } from '../transient.js';
import { type SesHoldRecord, writeHoldRecord } from './hold-record.js';

// A review of fault round 100: a second hold of one message reads the record there before keeping it in its own. A
// read that failed on its way (throttled, reset) was taken for "no record anyone can read", and the record was then
// written unconditionally: the first hold's reason (SES's spam verdict) was dropped, the defect round 100 closed, on a
// fault path. The write now fails (best effort, as any failed write), and the record there stays.
const BUCKET = 'held-r100-review';
const WHERE = { bucket: BUCKET, keyPrefix: 'held/' };
let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ buckets: [BUCKET] });
});
afterAll(async () => {
  await stack.stop();
});

const hold = (messageId: string, cause: SesHoldRecord['cause'], reason: string): SesHoldRecord => ({
  version: 1,
  messageId,
  disposition: 'STOP_RULE',
  cause,
  reason,
  heldAt: new Date().toISOString(),
});

/** The stack's S3 client, with every GetObject of a record failing as `failure` says (one client per call). */
function readsFail(failure: () => Error): S3Client {
  const client = new S3Client({
    endpoint: stack.env.AWS_ENDPOINT_URL_S3,
    region: stack.env.AWS_REGION,
    credentials: {
      accessKeyId: stack.env.AWS_ACCESS_KEY_ID,
      secretAccessKey: stack.env.AWS_SECRET_ACCESS_KEY,
    },
    maxAttempts: 1,
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'GetObjectCommand') throw failure();
      return next(args);
    },
    { step: 'initialize', name: 'readsFail' },
  );
  return client;
}

async function recordOf(messageId: string): Promise<SesHoldRecord> {
  const out = await stack.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `held/${messageId}.json` }));
  return JSON.parse(await (out.Body as { transformToString(): Promise<string> }).transformToString());
}

describe('the hold record, when the record there cannot be read back', () => {
  it('a throttled read: the second hold fails, the first hold reason stays', async () => {
    const id = 'r100-review-throttled';
    await writeHoldRecord(stack.s3, WHERE, hold(id, 'verdict', 'enforce-ses-verdicts: spam FAIL'), 5_000);
    const throttled = readsFail(() =>
      Object.assign(new Error('Please reduce your request rate.'), {
        name: 'SlowDown',
        $metadata: { httpStatusCode: 503 },
      }),
    );
    await expect(
      writeHoldRecord(throttled, WHERE, hold(id, 'invalid-event', 'the event could not be read'), 5_000),
    ).rejects.toThrow();
    expect(await recordOf(id)).toMatchObject({ cause: 'verdict', reason: 'enforce-ses-verdicts: spam FAIL' });
  }, 30_000);

  it('a reset mid-read (transient): the same', async () => {
    const id = 'r100-review-reset';
    await writeHoldRecord(stack.s3, WHERE, hold(id, 'verdict', 'enforce-ses-verdicts: spam FAIL'), 5_000);
    const reset = readsFail(() => new TransientError('socket hang up'));
    await expect(
      writeHoldRecord(reset, WHERE, hold(id, 'invalid-event', 'the event could not be read'), 5_000),
    ).rejects.toThrow();
    expect(await recordOf(id)).toMatchObject({ cause: 'verdict' });
  }, 30_000);

  it('control: a record that reads as none (access denied, as under an older template) is replaced, as before', async () => {
    const id = 'r100-review-denied';
    await writeHoldRecord(stack.s3, WHERE, hold(id, 'verdict', 'enforce-ses-verdicts: spam FAIL'), 5_000);
    const denied = readsFail(() =>
      Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }),
    );
    await writeHoldRecord(denied, WHERE, hold(id, 'invalid-event', 'the event could not be read'), 5_000);
    expect(await recordOf(id)).toMatchObject({ cause: 'invalid-event' });
  }, 30_000);
});
