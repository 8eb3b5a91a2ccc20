import type { IncomingMessage } from 'node:http';
import { makeFlowEvent } from '@wmflow/core/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import { guard } from '../guard/guard.js';
import {
  assertJournalIntact,
  describeErrors,
  firstAction,
  invoke,
  invokeUntilAnswered,
  JOURNAL,
  sha256,
  UPDATES,
  withExe,
} from './fault-harness.js';
import { partsOf } from './faults-round89-kit.js';
import { type Act, proxiedStack } from './scripted-proxy.js';

// Fault round 99: messages at WorkMail's 25 MB limit, past the spool's 2 MiB memory share (so spilled to /tmp), with
// the message read cut a few bytes before its end: chunked and ended early but well-formed (nothing tells it from a
// whole message but a second fetch), or delimited by the connection's close. Asked: the archiver journals the whole
// message or nothing (a failed invocation, whose retry journals it once); the guard's stacked strip + tag + banner
// never delivers the executable, never commits a cut message, and its retry commits the whole one with the PDF part
// byte for byte.
const t = proxiedStack([JOURNAL, UPDATES]);
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

const SIZE = 25_000_000;
const isGetRaw = (req: IncomingMessage) => req.method === 'GET' && /^\/messages\//.test(req.url ?? '');
const EXE_BODY = Buffer.from('MZ\x90\x00this program cannot be run in DOS mode').toString('base64');
/** The first GetRawMessageContent answered by `act`, every later one forwarded as it is. */
const firstReadBy = (act: Act) => {
  let reads = 0;
  return (req: IncomingMessage): Act => (isGetRaw(req) && ++reads === 1 ? act : { do: 'forward' });
};

describe('fault round 99: 25 MB messages read cut a few bytes before their end', () => {
  const cuts: [string, (size: number) => Act][] = [
    ['chunked, ended early 1 byte before the end', (size) => ({ do: 'forward-chunked-cut', keep: size - 1 })],
    [
      'chunked, ended early 8 bytes before the end (inside the close delimiter)',
      (size) => ({ do: 'forward-chunked-cut', keep: size - 8 }),
    ],
    [
      'delimited by a close, cut 1 byte before the end',
      (size) => ({ do: 'forward-close-delimited', keep: size - 1 }),
    ],
  ];

  it.each(cuts)(
    'archiver, %s: the whole message or nothing, the retry journals it once',
    async (label, cut) => {
      const bytes = withExe(SIZE, `f99-size-journal-${label.slice(0, 30)}`);
      const id = t.stack.flow.load(bytes);
      const event = makeFlowEvent({ messageId: id, recipients: ['bob@corp.example'] });
      t.flowp.decide = firstReadBy(cut(bytes.length));
      const handler = archiver({
        JOURNAL_BUCKET: JOURNAL,
        KEY_TEMPLATE: 'js99/{messageId}',
        ORGANIZATION_DOMAINS: 'corp.example',
      });
      const first = await invoke(handler, event);
      const after = await assertJournalIntact(t.stack, new Map([[id, bytes]]));
      expect(after.problems.filter((p) => p.includes(id))).toEqual([]);
      // The cut read was never journaled as the message: the first invocation failed with nothing stored.
      expect(first.error, JSON.stringify(first.response)).toBeDefined();
      expect(after.copies.filter((k) => k.includes(id))).toEqual([]);
      const retry = await invokeUntilAnswered(handler, event, 2);
      expect(retry.answered, describeErrors(retry.errors)).toBe(true);
      const done = await assertJournalIntact(t.stack, new Map([[id, bytes]]));
      expect(done.problems.filter((p) => p.includes(id))).toEqual([]);
      expect(done.copies.filter((k) => k.includes(id))).toHaveLength(1);
    },
    180_000,
  );

  it.each(cuts)(
    'guard strip + tag + banner, %s: never the executable, never a cut commit',
    async (label, cut) => {
      const bytes = withExe(SIZE, `f99-size-guard-${label.slice(0, 30)}`);
      const pdf = partsOf(bytes, 'b1')[2] as Buffer;
      const id = t.stack.flow.load(bytes);
      const event = makeFlowEvent({
        messageId: id,
        mailFrom: 'ann@partner.example',
        recipients: ['bob@corp.example'],
      });
      const handler = guard({
        ORGANIZATION_DOMAINS: 'corp.example',
        UPDATES_BUCKET: UPDATES,
        ATTACHMENT_ACTION: 'strip',
        EXTERNAL_BANNER: 'Outside mail: fault round 99.',
        EXTERNAL_MARKER_KEY: 'fault-round-99-marker-key-0123456789',
      });
      t.flowp.decide = firstReadBy(cut(bytes.length));
      const first = await invoke(handler, event);
      const check = () => {
        for (const version of t.stack.flow.history(id).slice(1)) {
          const text = version.content.toString('latin1');
          expect(text).not.toContain(EXE_BODY);
          // Every commit holds the PDF part whole and the message closed.
          expect(sha256(partsOf(version.content, 'b1')[2] ?? Buffer.alloc(0))).toBe(sha256(pdf));
          expect(text.endsWith('--b1--\r\n')).toBe(true);
        }
      };
      check();
      if (!first.error && firstAction(first.response) === 'DEFAULT')
        expect(
          t.stack.flow.history(id).length,
          'DEFAULT on the original with its executable',
        ).toBeGreaterThan(1);
      t.flowp.decide = () => ({ do: 'forward' });
      if (first.error || firstAction(first.response) !== 'DEFAULT') {
        const retry = await invokeUntilAnswered(handler, event, 2);
        expect(retry.answered, describeErrors(retry.errors)).toBe(true);
        expect(firstAction(retry.response)).toBe('DEFAULT');
      }
      check();
      const held = t.stack.flow.history(id).at(-1)?.content.toString('latin1') ?? '';
      expect(held.split('Outside mail: fault round 99.').length - 1).toBe(1);
      expect(held).toMatch(/^Subject: \[EXTERNAL\] report /m);
    },
    180_000,
  );

  it('no rejection escaped', () => {
    expect(escaped).toEqual([]);
  });
});
