import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import { guard } from '../guard/guard.js';
import {
  assertJournalIntact,
  describeErrors,
  firstAction,
  invokeUntilAnswered,
  JOURNAL,
  UPDATES,
  withExe,
} from './fault-harness.js';
import { wiredStack } from './faults-round47-stack.js';
import { type Answer, head, plainHeaders } from './faults-round47-wire.js';

// Fault round 47: the message download's HTTP framing. Each shape answers the GET of the message with the message's
// bytes framed wrongly, cut, or lied about. Whatever the client makes of it, the journal never holds anything but
// the message, and the guard never lets the executable at the message's end through.
const t = wiredStack([JOURNAL, UPDATES]);

beforeEach(() => {
  t.s3w.shape = () => undefined;
  t.floww.shape = () => undefined;
});

const chunk = (b: Buffer) =>
  Buffer.concat([Buffer.from(`${b.length.toString(16)}\r\n`), b, Buffer.from('\r\n')]);
const chunked = (a: Answer, extra: [string, string][] = []) =>
  Buffer.from(head(200, [...plainHeaders(a), ['Transfer-Encoding', 'chunked'], ...extra]));
const cutAt = (a: Answer) => Math.floor(a.body.length * 0.6);

const SHAPES: Record<string, (a: Answer) => Buffer> = {
  'chunked, closed after the last chunk size line (no final CRLF)': (a) =>
    Buffer.concat([chunked(a), chunk(a.body.subarray(0, cutAt(a))), Buffer.from('0\r\n')]),
  'chunked, closed mid-chunk': (a) =>
    Buffer.concat([
      chunked(a),
      Buffer.from(`${a.body.length.toString(16)}\r\n`),
      a.body.subarray(0, cutAt(a)),
    ]),
  'chunked, a chunk shorter than its size then the last chunk': (a) =>
    Buffer.concat([
      chunked(a),
      Buffer.from(`${a.body.length.toString(16)}\r\n`),
      a.body.subarray(0, cutAt(a)),
      Buffer.from('\r\n0\r\n\r\n'),
    ]),
  'chunked with a Content-Length too': (a) =>
    Buffer.concat([
      chunked(a, [['Content-Length', String(a.body.length)]]),
      chunk(a.body.subarray(0, cutAt(a))),
      Buffer.from('0\r\n\r\n'),
    ]),
  'chunked, a trailer claiming the whole length': (a) =>
    Buffer.concat([
      chunked(a, [['Trailer', 'Content-Length']]),
      chunk(a.body.subarray(0, cutAt(a))),
      Buffer.from(`0\r\nContent-Length: ${a.body.length}\r\n\r\n`),
    ]),
  'two Content-Length headers, the smaller first': (a) =>
    Buffer.concat([
      Buffer.from(
        head(200, [
          ...plainHeaders(a),
          ['Content-Length', String(cutAt(a))],
          ['Content-Length', String(a.body.length)],
        ]),
      ),
      a.body,
    ]),
  'a Content-Length list': (a) =>
    Buffer.concat([
      Buffer.from(head(200, [...plainHeaders(a), ['Content-Length', `${cutAt(a)}, ${a.body.length}`]])),
      a.body,
    ]),
  'Content-Length longer than the body, then a close': (a) =>
    Buffer.concat([
      Buffer.from(head(200, [...plainHeaders(a), ['Content-Length', String(a.body.length + 100)]])),
      a.body,
    ]),
  // Well-formed (the whole body): a cut one ended so is what WorkMail said (threat model, "Left").
  'a chunk size with an extension and leading zeros, the whole body': (a) =>
    Buffer.concat([
      chunked(a),
      Buffer.from(`000${a.body.length.toString(16)};x=1\r\n`),
      a.body,
      Buffer.from('\r\n0\r\n\r\n'),
    ]),
  'HTTP/1.0 answer without a length': (a) =>
    Buffer.concat([
      Buffer.from(head(200, plainHeaders(a)).replace('HTTP/1.1', 'HTTP/1.0')),
      a.body.subarray(0, cutAt(a)),
    ]),
};

const shapeGet = (fn: (a: Answer) => Buffer) => (req: { method?: string }, a: Answer) =>
  req.method === 'GET' && a.status === 200 ? fn(a) : undefined;

describe('F47 framing: archiver', () => {
  it.each(Object.keys(SHAPES))(
    '%s: the journal holds the message or nothing',
    async (label) => {
      const bytes = withExe(300_000, `f47-frame-${label}`);
      const id = t.stack.flow.load(bytes);
      t.floww.shape = shapeGet(SHAPES[label] as (a: Answer) => Buffer);
      const run = await invokeUntilAnswered(
        archiver({
          JOURNAL_BUCKET: JOURNAL,
          KEY_TEMPLATE: 'jf/{messageId}',
          ORGANIZATION_DOMAINS: 'corp.example',
        }),
        makeFlowEvent({ messageId: id, recipients: ['bob@corp.example'] }),
        2,
      );
      const { problems } = await assertJournalIntact(t.stack, new Map([[id, bytes]]));
      expect(
        problems.filter((p) => p.includes(id)),
        `answered ${run.answered}; ${describeErrors(run.errors)}`,
      ).toEqual([]);
    },
    120_000,
  );
});

describe('F47 framing: guard', () => {
  it.each(Object.keys(SHAPES))(
    '%s: the executable is never let through',
    async (label) => {
      const bytes = withExe(300_000, `f47-frame-g-${label}`);
      const id = t.stack.flow.load(bytes);
      t.floww.shape = shapeGet(SHAPES[label] as (a: Answer) => Buffer);
      const run = await invokeUntilAnswered(
        guard({ ORGANIZATION_DOMAINS: 'corp.example', UPDATES_BUCKET: UPDATES, TAG_EXTERNAL: 'false' }),
        makeFlowEvent({ messageId: id, mailFrom: 'ann@partner.example', recipients: ['bob@corp.example'] }),
        2,
      );
      expect(run.answered ? firstAction(run.response) : 'failed', describeErrors(run.errors)).not.toBe(
        'DEFAULT',
      );
    },
    120_000,
  );
});
