/**
 * Fault round 89: GetRawMessageContent's answer sent chunked and ended early but well-formed (a last, empty chunk):
 * for the guard, at a MIME boundary (just before the executable's part, after the text part), inside a base64 line,
 * and inside the header block (F89-1: the guard answered DEFAULT, the executable unseen); for outbound-policy's
 * disclaimer and the guard's banner on a single-part message, mid-body (F89-2: the disclaimer committed the cut
 * message). Asked: the executable never goes through on a cut read; nothing cut is committed; the invocation fails so
 * WorkMail retries, and the retry decides and commits on the whole message.
 */
import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { guard } from '../guard/guard.js';
import {
  describeErrors,
  firstAction,
  invoke,
  invokeUntilAnswered,
  UPDATES,
  withExe,
} from './fault-harness.js';
import { rewritten } from './faults-round89-kit.js';
import { proxiedStack } from './scripted-proxy.js';

const t = proxiedStack([UPDATES]);
beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
});

const EXE_PART = '--b1\r\nContent-Type: application/octet-stream; name="run.exe"';

function setUp(seed: string, action: 'bounce' | 'strip') {
  const bytes = withExe(30_000, seed);
  const id = t.stack.flow.load(bytes);
  const handler = guard({
    ORGANIZATION_DOMAINS: 'corp.example',
    UPDATES_BUCKET: UPDATES,
    ATTACHMENT_ACTION: action,
  });
  const event = makeFlowEvent({
    messageId: id,
    mailFrom: 'ann@partner.example',
    recipients: ['bob@corp.example'],
  });
  return { bytes, id, handler, event };
}

const text = (b: Buffer) => b.toString('latin1');
const CUTS: [string, (b: Buffer) => number][] = [
  ['just before the executable part', (b) => text(b).indexOf(EXE_PART)],
  ['before the CRLF ending the PDF part', (b) => text(b).indexOf(EXE_PART) - 2],
  ['inside a base64 line of the PDF', (b) => text(b).indexOf('Content-Transfer-Encoding: base64') + 500],
  ['in the header block, before its MIME-Version line', (b) => text(b).indexOf('MIME-Version')],
  ['at the blank line ending the header block', (b) => text(b).indexOf('\r\n\r\n') + 2],
  ['just after the text part', (b) => text(b).indexOf('--b1\r\nContent-Type: application/pdf')],
];

describe('GetRawMessageContent chunked and ended early', () => {
  for (const action of ['bounce', 'strip'] as const)
    for (const [where, keep] of CUTS) {
      it(`${action}: cut ${where}`, async () => {
        const { bytes, id, handler, event } = setUp(`r89-cut-${action}-${where.length}`, action);
        let cuts = 1;
        t.flowp.decide = (req) =>
          req.method === 'GET' && cuts-- > 0
            ? { do: 'forward-chunked-cut', keep: keep(bytes) }
            : { do: 'forward' };
        const first = await invoke(handler, event);
        const history = t.stack.flow.history(id);
        const last = history.at(-1)?.content ?? Buffer.alloc(0);
        // A cut read must not let the executable through: DEFAULT only once it is stripped.
        if (!first.error && history.length === 1) expect(firstAction(first.response)).not.toBe('DEFAULT');
        if (history.length > 1) {
          expect(text(last)).not.toContain('run.exe"\r\nContent-Transfer-Encoding');
          // The PDF stays whole.
          const pdf = (b: Buffer) =>
            text(b).slice(text(b).indexOf('Content-Type: application/pdf')).split('\r\n--b1')[0];
          expect(pdf(last)).toBe(pdf(bytes));
        }
        if (first.error) {
          const retried = await invokeUntilAnswered(handler, event, 3);
          expect(retried.answered, describeErrors(retried.errors)).toBe(true);
          if (t.stack.flow.history(id).length === 1)
            expect(firstAction(retried.response)).not.toBe('DEFAULT');
          else
            expect(text(t.stack.flow.history(id).at(-1)?.content ?? Buffer.alloc(0))).not.toContain(
              'run.exe"\r\nContent-Transfer-Encoding',
            );
        }
      }, 60_000);
    }
});

describe('GetRawMessageContent chunked and ended early, for a rewrite of a single-part message', () => {
  const body = Array.from({ length: 400 }, (_, i) => `line ${i} of the order`).join('\r\n');
  const bytes = Buffer.from(
    'From: Dan <dan@corp.example>\r\nTo: orders@shop.example\r\nSubject: order\r\nDate: Mon, 7 Dec 2026 10:00:00 +0000\r\n' +
      `Message-ID: <r89-single@corp.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n${body}\r\n`,
    'latin1',
  );
  for (const [where, keep] of [
    ['at a line end of the body', text(bytes).indexOf('line 200 ')],
    ['mid-line in the body', text(bytes).indexOf('line 200 ') + 3],
    ['just after the empty line', text(bytes).indexOf('\r\n\r\n') + 4],
    ['nowhere (whole, chunked)', bytes.length],
  ] as const)
    it.each(['disclaimer', 'banner'] as const)(
      `%s: cut ${where}: never committed cut`,
      async (by) => {
        let cuts = 1;
        t.flowp.decide = (req) =>
          req.method === 'GET' && cuts-- > 0 ? { do: 'forward-chunked-cut', keep } : { do: 'forward' };
        const first = await rewritten(t.stack, bytes, by);
        if (first.versions > 1) expect(text(first.out)).toContain('line 399 of the order');
        // Not committed: the invocation failed (WorkMail retries) and the retry commits the whole message.
        const final = first.versions > 1 ? first : await first.retry();
        expect(
          first.error === undefined || final.versions > 1,
          describeErrors(first.error ? [first.error] : []),
        ).toBe(true);
        expect(text(final.out)).toContain('line 399 of the order');
        if (by === 'disclaimer') expect(text(final.out)).toContain('Confidential');
      },
      60_000,
    );
});
