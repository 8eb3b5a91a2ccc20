import { flow } from '@wmflow/core';
import { captureLogger, makeFlowEvent } from '@wmflow/core/testing';
import { journalToS3, stampHeaders } from '@wmflow/rules';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  bigMessage,
  describeErrors,
  fingerprint,
  invoke,
  JOURNAL,
  stored,
  UPDATES,
} from './fault-harness.js';
import { freezeProxy } from './faults-round64-freeze-proxy.js';
import { stackBehind } from './scripted-proxy.js';

// Fault round 64: a warm Lambda container thawed after a long freeze. While it was frozen, the servers (the Message
// Flow endpoint, S3) closed the keep-alive connections it kept idle; the container never saw it, and its next
// request is written on such a connection and answered with a reset (RST: ECONNRESET / EPIPE) or a bare close (the
// server's FIN, read only now: "socket hang up"). A stale idle connection is nothing about the message: the next
// invocation must succeed whole (the read, the journaled copy, the update), not fail every first invocation after a
// freeze (in production a WorkMail retry minutes later for most messages).

const t = stackBehind(freezeProxy, [JOURNAL, UPDATES]);
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
  escaped.length = 0;
});

describe('fault round 64: the first invocation after a freeze, on connections the servers closed', () => {
  it.each([
    ['reset', 300_000],
    ['close', 300_000],
    ['reset', 40_000],
  ] as const)(
    'a %s of every kept connection (%i-byte messages): the next invocation reads, journals and updates whole',
    async (how, size) => {
      const logger = captureLogger();
      const handler = flow({
        logger,
        rules: [
          journalToS3({ bucket: JOURNAL, keyTemplate: 'r64/{messageId}', onError: 'rethrow' }),
          stampHeaders({ headers: { 'X-Corp-Scan': 'done' }, mode: 'add' }),
        ],
        updates: { bucket: UPDATES },
      });
      const messages = [0, 1, 2].map((i) => bigMessage(size, `r64-thaw-${how}-${size}-${i}`));
      const ids = messages.map((m) => t.stack.flow.load(m));
      const outcomes: string[] = [];
      const hitsBefore = { s3: t.s3.staleHits, flow: t.flow.staleHits };
      for (const [i, id] of ids.entries()) {
        // Between two invocations the container is frozen and the servers drop what it kept open.
        if (i > 0) {
          t.s3.freeze(how);
          t.flow.freeze(how);
        }
        const event = makeFlowEvent({
          messageId: id,
          mailFrom: 'ann@partner.example',
          recipients: ['bob@corp.example'],
        });
        const result = await invoke(handler, event, 20_000);
        outcomes.push(result.error ? `failed: ${describeErrors([result.error])}` : 'answered');
      }
      const hits = { s3: t.s3.staleHits - hitsBefore.s3, flow: t.flow.staleHits - hitsBefore.flow };
      const facts = `${outcomes.join(' | ')}; stale hits ${JSON.stringify(hits)}; edits ${JSON.stringify(logger.lines.map((l) => l.attributes.edit))}`;
      // The probe reached the fault: some request of the thawed invocations was written on a dead connection.
      expect(hits.s3, facts).toBeGreaterThan(0);
      expect(hits.flow, facts).toBeGreaterThan(0);
      expect(outcomes, facts).toEqual(['answered', 'answered', 'answered']);
      for (const [i, id] of ids.entries()) {
        const original = messages[i] as Buffer;
        // The journaled copy is the message, byte for byte (no body spliced from two attempts).
        expect(fingerprint(await stored(t.stack, JOURNAL, `r64/${id}`)), facts).toEqual(
          fingerprint(original),
        );
        // The update was committed once: the message WorkMail holds has the one added field.
        const history = t.stack.flow.history(id);
        const held = history.at(-1)?.content.toString('latin1') ?? '';
        const header = held.slice(0, held.indexOf('\r\n\r\n'));
        expect(history.length, facts).toBe(2);
        expect(header.split('\r\n').filter((l) => /^X-Corp-Scan: done$/i.test(l)).length, facts).toBe(1);
      }
      expect(escaped, facts).toEqual([]);
    },
    90_000,
  );
});
