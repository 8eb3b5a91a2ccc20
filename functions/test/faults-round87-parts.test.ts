import type { IncomingMessage } from 'node:http';
import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import {
  assertJournalIntact,
  bigMessage,
  describeErrors,
  invokeUntilAnswered,
  JOURNAL,
  UPDATES,
} from './fault-harness.js';
import { type Decide, isUploadPart, proxiedStack } from './scripted-proxy.js';

// Fault round 87 (held): the journal's parallel multipart parts answered falsely, beside round 47's unquoted and weak
// ETags: a well-formed ETag of other bytes, a 200 without one, a part whose every attempt is reset once its body was
// sent, and a part failing after the parts beside it were answered. The journal ends holding the message byte for byte
// (or nothing, the invocation failed), and answered means one copy.
const t = proxiedStack([JOURNAL, UPDATES]);
const partNumber = (req: IncomingMessage) =>
  Number(new URL(req.url ?? '', 'http://x').searchParams.get('partNumber'));

beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = (req) => (req.method === 'GET' ? { do: 'forward-chunked' } : { do: 'forward' });
  t.s3p.log.length = 0;
});

function times(left: number, match: (req: IncomingMessage) => boolean, act: ReturnType<Decide>): Decide {
  return (req) => {
    if (left > 0 && match(req)) {
      left--;
      return act;
    }
    return { do: 'forward' };
  };
}
const part = (n: number) => (r: IncomingMessage) => isUploadPart(r) && partNumber(r) === n;

const CASES: [string, () => Decide, number][] = [
  [
    'part 2 answered 200 with a quoted ETag of other bytes, not applied',
    () =>
      times(1, part(2), {
        do: 'answer',
        status: 200,
        headers: { etag: '"0123456789abcdef0123456789abcdef"' },
        body: '',
      }),
    3,
  ],
  [
    'part 1 applied, answered 200 without an ETag',
    () => times(1, part(1), { do: 'apply-then-answer', status: 200, body: '' }),
    3,
  ],
  [
    'part 3 reset after its body was sent, on every attempt',
    () => times(99, part(3), { do: 'apply-then-drop' }),
    2,
  ],
  [
    'part 3 refused (500) after parts 1 and 2 were answered, on every attempt',
    () =>
      times(99, part(3), {
        do: 'answer',
        status: 500,
        headers: { 'content-type': 'application/xml' },
        body: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code><Message>x</Message></Error>',
      }),
    2,
  ],
];

describe('fault round 87: the journal in parallel parts, answers false (held)', () => {
  it.each(CASES)(
    '%s: the journal holds the message or nothing',
    async (label, decide, attempts) => {
      const bytes = bigMessage(12_000_000, `f87-parts-${label}`);
      const id = t.stack.flow.load(bytes);
      t.s3p.decide = decide();
      const run = await invokeUntilAnswered(
        archiver({
          JOURNAL_BUCKET: JOURNAL,
          KEY_TEMPLATE: 'jp/{messageId}',
          ORGANIZATION_DOMAINS: 'corp.example',
        }),
        makeFlowEvent({ messageId: id, recipients: ['bob@corp.example'] }),
        attempts,
      );
      const { problems, copies } = await assertJournalIntact(t.stack, new Map([[id, bytes]]));
      const mine = copies.filter((k) => k.includes(id));
      const facts = `answered ${run.answered}; ${describeErrors(run.errors)}; ${t.s3p.log.join(' | ')}`;
      expect(
        problems.filter((p) => p.includes(id)),
        facts,
      ).toEqual([]);
      if (run.answered) expect(mine, facts).toHaveLength(1);
      // A part failing on every attempt: the invocation fails (retried), nothing stored.
      else expect(mine, facts).toEqual([]);
      if (attempts === 2) expect(run.answered, facts).toBe(false);
    },
    240_000,
  );
});
