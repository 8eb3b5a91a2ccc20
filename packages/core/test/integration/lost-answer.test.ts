import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type Fault, type LocalStack, startLocalStack } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FlowClients, type FlowOutcome, flow, onFlowOutcome, rule } from '../../src/index.js';
import { captureLogger, lambdaContext, makeFlowEvent } from '../../src/testing/index.js';

// PutRawMessageContent applied the update and its answer was lost: the engine reads the message back and the
// stored update, and calls it committed only when both hold the same bytes. Faults on those reads.
const BUCKET = 'lost-answer-updates';
let stack: LocalStack;
let clients: FlowClients;
/** Runs before each GetObject of an update the flow sends (S3 is still reached: the fault is real). */
let beforeUpdateRead: (key: string) => Promise<void> = async () => {};

beforeAll(async () => {
  stack = await startLocalStack({ buckets: [BUCKET] });
  const s3 = new S3Client({
    endpoint: stack.env.AWS_ENDPOINT_URL_S3,
    region: stack.env.AWS_REGION,
    forcePathStyle: true,
    credentials: {
      accessKeyId: stack.env.AWS_ACCESS_KEY_ID,
      secretAccessKey: stack.env.AWS_SECRET_ACCESS_KEY,
    },
  });
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Bucket?: string; Key?: string };
      if (context.commandName === 'GetObjectCommand' && input.Bucket === BUCKET && input.Key)
        await beforeUpdateRead(input.Key);
      return next(args);
    },
    { step: 'initialize', name: 'lostAnswerFault' },
  );
  clients = { messageFlow: stack.messageFlow, s3 };
}, 60_000);
afterAll(async () => {
  clients?.s3.destroy();
  await stack?.stop();
});

const message = Buffer.from(
  [
    'From: a@partner.example',
    'To: b@corp.example',
    'Subject: hello',
    '',
    `${'body line\r\n'.repeat(5000)}`,
  ].join('\r\n'),
);

/** One invocation whose every PutRawMessageContent is applied and unanswered; `readBack`: a fault on the read back. */
async function run(readBack?: Fault): Promise<{ id: string; outcome?: FlowOutcome; error?: unknown }> {
  const id = stack.flow.load(message);
  stack.flow.injectFault({ kind: 'lost-answer' }, { messageId: id, operation: 'put', times: 10 });
  if (readBack) stack.flow.injectFault(readBack, { messageId: id, operation: 'get', skip: 1, times: 1 });
  const outcomes: FlowOutcome[] = [];
  const stop = onFlowOutcome((o) => outcomes.push(o));
  const handler = flow({
    clients,
    logger: captureLogger(),
    updates: { bucket: BUCKET },
    rules: [rule('tag', (ctx) => ctx.edit.addHeader('X-Tagged', 'yes'))],
  });
  try {
    await handler(makeFlowEvent({ messageId: id, recipients: ['b@corp.example'] }), lambdaContext());
    return { id, outcome: outcomes[0] };
  } catch (error) {
    return { id, outcome: outcomes[0], error };
  } finally {
    stop();
    beforeUpdateRead = async () => {};
  }
}

describe('an update whose answer was lost', () => {
  it('is committed when the message read back is the stored update, byte for byte', async () => {
    const { id, outcome, error } = await run();
    expect(error).toBeUndefined();
    expect(outcome?.edit).toMatchObject({ status: 'committed' });
    const history = stack.flow.history(id);
    // Every attempt the SDK made was applied, its answer lost (the same staged object each time).
    expect(history.length).toBeGreaterThanOrEqual(2);
    expect(history.at(-1)?.content.toString()).toContain('X-Tagged: yes');
  });

  it('is unknown, never committed, when the stored update is gone before it is read back', async () => {
    beforeUpdateRead = async (key) => {
      await stack.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
    };
    const { outcome, error } = await run();
    expect(error).toBeUndefined();
    expect(outcome?.edit).toMatchObject({ status: 'unknown' });
  });

  it('fails the invocation (retried) when S3 fails the read of the stored update', async () => {
    beforeUpdateRead = async () => {
      throw Object.assign(new Error('read ECONNRESET'), { name: 'TimeoutError', code: 'ECONNRESET' });
    };
    const { outcome, error } = await run();
    expect(error).toMatchObject({ name: 'TransientError' });
    expect(outcome?.edit.status).not.toBe('committed');
  });

  it('fails the invocation (retried) when the message read back is not the stored update', async () => {
    // The read back ends short with a matching Content-Length: not the update's bytes, so not "committed".
    const { outcome, error } = await run({ kind: 'short-body' });
    expect(error).toMatchObject({ name: 'TransientError' });
    expect(outcome?.edit.status).not.toBe('committed');
  });
});
