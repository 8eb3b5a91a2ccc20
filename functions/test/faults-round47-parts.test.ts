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
import { type Decide, isComplete, isUploadPart, proxiedStack } from './scripted-proxy.js';

// Fault round 47: the journal's parallel multipart parts. The message is answered chunked (no announced size), so
// it goes in 5 MiB parts, three at once. Whatever happens to a part or to Complete, the journal ends holding the
// message byte for byte (or nothing, the invocation failed), and its metadata describes what is stored.
const t = proxiedStack([JOURNAL, UPDATES]);
const partNumber = (req: IncomingMessage) =>
  Number(new URL(req.url ?? '', 'http://x').searchParams.get('partNumber'));

beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = (req) => (req.method === 'GET' ? { do: 'forward-chunked' } : { do: 'forward' });
  t.s3p.log.length = 0;
});

const ERROR_200 =
  '<?xml version="1.0" encoding="UTF-8"?>\n\n<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message><RequestId>R</RequestId><HostId>H</HostId></Error>';

function once(match: (req: IncomingMessage) => boolean, act: ReturnType<Decide>): Decide {
  let left = 1;
  return (req) => {
    if (left > 0 && match(req)) {
      left--;
      return act;
    }
    return { do: 'forward' };
  };
}

let release: () => void = () => {};
const CASES: [string, () => Decide][] = [
  [
    'part 2 applied, its answer lost',
    () => once((r) => isUploadPart(r) && partNumber(r) === 2, { do: 'apply-then-drop' }),
  ],
  [
    'part 1 held until part 3 is answered (out of order)',
    () => {
      const third = new Promise<void>((resolve) => {
        release = resolve;
      });
      return (req) => {
        if (isUploadPart(req) && partNumber(req) === 1) return { do: 'after', until: third };
        if (isUploadPart(req) && partNumber(req) === 3) setTimeout(release, 300);
        return { do: 'forward' };
      };
    },
  ],
  [
    'Complete applied, answered 200 with an <Error> after a blank line',
    () =>
      once(isComplete, {
        do: 'apply-then-answer',
        status: 200,
        headers: { 'content-type': 'application/xml' },
        body: ERROR_200,
      }),
  ],
  [
    'Complete applied, answered 200 with an empty body',
    () =>
      once(isComplete, {
        do: 'apply-then-answer',
        status: 200,
        headers: { 'content-type': 'application/xml' },
        body: '',
      }),
  ],
  ['Complete applied, its answer lost', () => once(isComplete, { do: 'apply-then-drop' })],
  [
    'part 3 answered 200 with an unquoted ETag, not applied',
    () =>
      once((r) => isUploadPart(r) && partNumber(r) === 3, {
        do: 'answer',
        status: 200,
        headers: { etag: 'd41d8cd98f00b204e9800998ecf8427e' },
        body: '',
      }),
  ],
  [
    'part 2 answered 200 with a weak ETag, not applied',
    () =>
      once((r) => isUploadPart(r) && partNumber(r) === 2, {
        do: 'answer',
        status: 200,
        headers: { etag: 'W/"d41d8cd98f00b204e9800998ecf8427e"' },
        body: '',
      }),
  ],
];

describe('F47: the journal in parallel parts', () => {
  it.each(CASES)(
    '%s: the journal holds the message or nothing',
    async (label, decide) => {
      const bytes = bigMessage(12_000_000, `f47-parts-${label}`);
      const id = t.stack.flow.load(bytes);
      t.s3p.decide = decide();
      const run = await invokeUntilAnswered(
        archiver({
          JOURNAL_BUCKET: JOURNAL,
          KEY_TEMPLATE: 'jp/{messageId}',
          ORGANIZATION_DOMAINS: 'corp.example',
        }),
        makeFlowEvent({ messageId: id, recipients: ['bob@corp.example'] }),
        3,
      );
      const { problems, copies } = await assertJournalIntact(t.stack, new Map([[id, bytes]]));
      const mine = copies.filter((k) => k.includes(id));
      const facts = `answered ${run.answered}; ${describeErrors(run.errors)}; ${t.s3p.log.join(' | ')}`;
      expect(
        problems.filter((p) => p.includes(id)),
        facts,
      ).toEqual([]);
      // Answered means journaled: one copy.
      if (run.answered) expect(mine, facts).toHaveLength(1);
    },
    240_000,
  );
});
