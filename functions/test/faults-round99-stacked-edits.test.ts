import type { IncomingMessage } from 'node:http';
import { makeFlowEvent } from '@wmflow/core/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { guard } from '../guard/guard.js';
import {
  bigMessage,
  describeErrors,
  firstAction,
  invoke,
  invokeUntilAnswered,
  UPDATES,
  withExe,
} from './fault-harness.js';
import { type Act, isPlainPut, pathOf, proxiedStack } from './scripted-proxy.js';

// Fault round 99: the guard's three edits stacked in one invocation (the strip of run.exe, the subject tag, the
// banner), with a fault at each step between the read, the staged upload and PutRawMessageContent, then WorkMail's
// retry of the same event (the invocation killed or failed there). Asked: whatever the step, the message WorkMail ends
// up holding is the one a clean run commits, byte for byte (one tag, one banner, the executable gone, the report
// kept), never delivered with its executable, and nothing staged left once an invocation answered.
const t = proxiedStack([UPDATES]);
const escaped: unknown[] = [];
const onEscape = (reason: unknown) => escaped.push(reason);
beforeAll(() => {
  process.on('unhandledRejection', onEscape);
  process.on('uncaughtException', onEscape);
});
afterAll(() => {
  process.off('unhandledRejection', onEscape);
  process.off('uncaughtException', onEscape);
});
beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
});

const BANNER = 'Outside mail: fault round 99 banner.';
const TAG = '[EXT99]';
const handler = () =>
  guard({
    ORGANIZATION_DOMAINS: 'corp.example',
    UPDATES_BUCKET: UPDATES,
    ATTACHMENT_ACTION: 'strip',
    EXTERNAL_SUBJECT_TAG: TAG,
    EXTERNAL_BANNER: BANNER,
    EXTERNAL_MARKER_KEY: 'fault-round-99-marker-key-0123456789',
  });
const inbound = (id: string) =>
  makeFlowEvent({ messageId: id, mailFrom: 'ann@partner.example', recipients: ['bob@corp.example'] });

const isPutRaw = (req: IncomingMessage) => req.method === 'POST' && /^\/messages\//.test(req.url ?? '');
const isGetRaw = (req: IncomingMessage) => req.method === 'GET' && /^\/messages\//.test(req.url ?? '');
const isStagedWrite = (req: IncomingMessage) =>
  req.method === 'PUT' && pathOf(req).startsWith(`/${UPDATES}/`);
const isStagedRead = (req: IncomingMessage) => req.method === 'GET' && pathOf(req).startsWith(`/${UPDATES}/`);
const EXE_BODY = Buffer.from('MZ\x90\x00this program cannot be run in DOS mode').toString('base64');

/** The held message with the per-message seal and id masked, to compare runs of two message ids. */
const masked = (bytes: Buffer, id: string) =>
  bytes
    .toString('latin1')
    .split(id)
    .join('<id>')
    .replace(/^(X-Wmflow-External-Seal: )[0-9a-f]+$/im, '$1<seal>');
const staged = async (id: string) =>
  (await t.stack.listObjects(UPDATES)).map((o) => o.key).filter((k) => k.includes(id));

let cleanOf: Map<number, string> | undefined;
/** What a clean run commits for the message of `size` bytes (masked). */
async function clean(size: number): Promise<string> {
  cleanOf ??= new Map();
  const known = cleanOf.get(size);
  if (known) return known;
  const id = t.stack.flow.load(withExe(size, `f99-stack-${size}`));
  const { response, error } = await invoke(handler(), inbound(id));
  expect(error, describeErrors(error ? [error] : [])).toBeUndefined();
  expect(firstAction(response)).toBe('DEFAULT');
  const history = t.stack.flow.history(id);
  expect(history).toHaveLength(2);
  const out = masked(history[1]?.content ?? Buffer.alloc(0), id);
  expect(out).not.toContain(EXE_BODY);
  expect(out.split(BANNER).length - 1).toBe(1);
  expect(out.match(/^Subject: .*$/m)?.[0]).toBe(`Subject: ${TAG} report f99-stack-${size}`);
  cleanOf.set(size, out);
  return out;
}

type Script = {
  s3?: (req: IncomingMessage, n: number) => Act;
  flow?: (req: IncomingMessage, n: number) => Act;
};

/**
 * One message through a first invocation under `script` (deadline `timeoutMs`), then WorkMail's retries with the
 * faults gone: the held message must be the clean run's, the executable never delivered.
 */
async function throughFault(size: number, script: Script, timeoutMs = 60_000) {
  const want = await clean(size);
  const id = t.stack.flow.load(withExe(size, `f99-stack-${size}`));
  let s3n = 0;
  let flown = 0;
  t.s3p.decide = (req) => (script.s3 ? script.s3(req, ++s3n) : { do: 'forward' });
  t.flowp.decide = (req) => (script.flow ? script.flow(req, ++flown) : { do: 'forward' });
  // WorkMail's retry is the same event: the same invocationId.
  const event = inbound(id);
  const first = await invoke(handler(), event, timeoutMs);
  // Never DEFAULT while the executable is still in the message WorkMail holds.
  const heldAfterFirst = t.stack.flow.history(id).at(-1)?.content.toString('latin1') ?? '';
  if (!first.error && firstAction(first.response) === 'DEFAULT')
    expect(heldAfterFirst).not.toContain(EXE_BODY);
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
  let retried: Awaited<ReturnType<typeof invokeUntilAnswered>> | undefined;
  if (first.error || firstAction(first.response) !== 'DEFAULT') {
    retried = await invokeUntilAnswered(handler(), event, 4);
    expect(retried.answered, describeErrors(retried.errors)).toBe(true);
  }
  const history = t.stack.flow.history(id);
  const held = masked(history.at(-1)?.content ?? Buffer.alloc(0), id);
  expect(held).toBe(want);
  // Every version WorkMail held past the original is the clean commit (the SDK's own retries of an applied
  // PutRawMessageContent apply the same staged bytes again): the retry added no second banner or tag.
  for (const version of history.slice(1)) expect(masked(version.content, id)).toBe(want);
  if (retried) expect(firstAction(retried.response)).toBe('DEFAULT');
  // Give a discard in flight its grace: then only the committed update is left staged (the bucket's lifecycle's).
  await new Promise((r) => setTimeout(r, 1_200));
  expect((await staged(id)).length).toBeLessThanOrEqual(1);
  return { first };
}

describe('fault round 99: strip + tag + banner, a fault between the steps, then WorkMail retries', () => {
  it('control: the clean run commits the three edits once', async () => {
    await clean(30_000);
    // A benign message of the same size gets the tag and the banner, its PDF untouched.
    const id = t.stack.flow.load(bigMessage(30_000, 'f99-stack-benign'));
    const { response, error } = await invoke(handler(), inbound(id));
    expect(error).toBeUndefined();
    expect(firstAction(response)).toBe('DEFAULT');
    const out = t.stack.flow.history(id).at(-1)?.content.toString('latin1') ?? '';
    expect(out).toContain('report.pdf');
    expect(out.split(BANNER).length - 1).toBe(1);
  }, 60_000);

  it('the message read delimited by a close and cut half-way on the first invocation', async () => {
    await throughFault(30_000, {
      flow: (req) => (isGetRaw(req) ? { do: 'forward-close-delimited', keep: 15_000 } : { do: 'forward' }),
    });
  }, 60_000);

  it('the message read chunked and ended early, well-formed, half-way on the first invocation', async () => {
    let reads = 0;
    await throughFault(30_000, {
      flow: (req) =>
        isGetRaw(req) && ++reads === 1 ? { do: 'forward-chunked-cut', keep: 15_000 } : { do: 'forward' },
    });
  }, 60_000);

  it('the staged PutObject refused 500 on every attempt', async () => {
    const { first } = await throughFault(30_000, {
      s3: (req) =>
        isStagedWrite(req) && isPlainPut(req)
          ? { do: 'answer', status: 500, body: '<Error><Code>InternalError</Code></Error>' }
          : { do: 'forward' },
    });
    expect(first.error?.name ?? firstAction(first.response)).not.toBe('DEFAULT');
  }, 60_000);

  it('the staged PutObject applied and its answer lost on every attempt', async () => {
    await throughFault(30_000, {
      s3: (req) => (isStagedWrite(req) ? { do: 'apply-then-drop' } : { do: 'forward' }),
    });
  }, 60_000);

  it('the staged PutObject applied and answered SlowDown', async () => {
    await throughFault(30_000, {
      s3: (req) =>
        isStagedWrite(req)
          ? {
              do: 'apply-then-answer',
              status: 503,
              headers: { 'content-type': 'application/xml' },
              body: '<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>',
            }
          : { do: 'forward' },
    });
  }, 60_000);

  it('PutRawMessageContent throttled on every attempt', async () => {
    await throughFault(30_000, {
      flow: (req) =>
        isPutRaw(req)
          ? {
              do: 'answer',
              status: 400,
              headers: { 'x-amzn-errortype': 'ThrottlingException', 'content-type': 'application/json' },
              body: '{"message":"Rate exceeded"}',
            }
          : { do: 'forward' },
    });
  }, 60_000);

  it('PutRawMessageContent applied, its answer a reset, the read-back cut', async () => {
    let reads = 0;
    await throughFault(30_000, {
      flow: (req) => {
        if (isPutRaw(req)) return { do: 'apply-then-drop' };
        // The first GET is the guard's read; a later one is the read-back of the update's outcome: cut it.
        if (isGetRaw(req) && ++reads > 1) return { do: 'forward-close-delimited', keep: 9_000 };
        return { do: 'forward' };
      },
      s3: (req) => (isStagedRead(req) ? { do: 'answer', status: 404, body: '' } : { do: 'forward' }),
    });
  }, 60_000);

  it('PutRawMessageContent applied, then answered 500 (a crash after WorkMail took it)', async () => {
    await throughFault(30_000, {
      flow: (req) =>
        isPutRaw(req)
          ? {
              do: 'apply-then-answer',
              status: 500,
              headers: { 'x-amzn-errortype': 'InternalServerException' },
              body: '{"message":"internal"}',
            }
          : { do: 'forward' },
    });
  }, 60_000);

  it('PutRawMessageContent applied and never answered: the deadline ends the first invocation', async () => {
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    try {
      await throughFault(
        30_000,
        {
          // The request reaches WorkMail only once the invocation has given up: applied after its answer.
          flow: (req) => (isPutRaw(req) ? { do: 'after', until: gate } : { do: 'forward' }),
          s3: (req) => {
            if (isStagedWrite(req)) setTimeout(open, 3_500);
            return { do: 'forward' };
          },
        },
        3_000,
      );
    } finally {
      open();
    }
  }, 60_000);

  it('the staged upload never answered: the deadline ends the first invocation before PutRawMessageContent', async () => {
    await throughFault(
      30_000,
      { s3: (req) => (isStagedWrite(req) ? { do: 'hang' } : { do: 'forward' }) },
      3_000,
    );
  }, 60_000);

  it('a 6 MB message staged in parts, one part refused 500 on every attempt while the others are in flight', async () => {
    await throughFault(6_500_000, {
      s3: (req) =>
        isStagedWrite(req) && /[?&]partNumber=1(&|$)/.test(req.url ?? '')
          ? { do: 'answer', status: 500, body: '<Error><Code>InternalError</Code></Error>' }
          : { do: 'forward' },
    });
  }, 120_000);

  it('no rejection escaped', () => {
    expect(escaped).toEqual([]);
  });
});
