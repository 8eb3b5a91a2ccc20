import type { IncomingMessage } from 'node:http';
import { makeFlowEvent } from '@wmflow/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import {
  assertJournalIntact,
  bigMessage,
  describeErrors,
  invoke,
  JOURNAL,
  sha256,
  stored,
  UPDATES,
} from './fault-harness.js';
import { pathOf, proxiedStack } from './scripted-proxy.js';

// Fault round 63 (held): one warm Lambda container, one archiver handler, several invocations. Message A's journal
// write is held on its way to S3 past A's deadline (the process frozen with it); the next invocation (message B)
// thaws it, and the held write lands in the middle of B's. A's answer must not have said "journaled" (it failed,
// so WorkMail retries), B's copy must be whole, nothing of A may land under B's keys, no rejection may escape
// into B's invocation, and A's retry must verify what landed: one copy, one `.json` describing it.
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

const forward = () => ({ do: 'forward' as const });

describe('fault round 63: the journal write left over from the last invocation', () => {
  it.each([
    ['the copy', (req: IncomingMessage, id: string) => pathOf(req).endsWith(`/jd/${id}`)],
    ['the metadata', (req: IncomingMessage, id: string) => pathOf(req).endsWith(`/jd/${id}.json`)],
  ])(
    '%s of message A lands during message B: A failed, B whole, A retried once',
    async (_, held) => {
      const handler = archiver({
        JOURNAL_BUCKET: JOURNAL,
        KEY_TEMPLATE: 'jd/{messageId}',
        ORGANIZATION_DOMAINS: 'corp.example',
      });
      const a = bigMessage(300_000, `r63-warm-a-${_}`);
      const b = bigMessage(300_000, `r63-warm-b-${_}`);
      const idA = t.stack.flow.load(a);
      const idB = t.stack.flow.load(b);
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let heldReq = 0;
      t.s3p.decide = (req) => {
        if (req.method === 'PUT' && held(req, idA) && heldReq++ === 0) return { do: 'after', until: gate };
        return forward();
      };
      const eventA = makeFlowEvent({ messageId: idA, recipients: ['bob@corp.example'] });
      const first = await invoke(handler, eventA, 2_500);
      // The process is frozen; B's invocation thaws it, and A's held write is let through while B uploads.
      t.s3p.decide = (req) => {
        if (req.method === 'PUT' && pathOf(req).includes(idB)) release();
        return forward();
      };
      const second = await invoke(
        handler,
        makeFlowEvent({ messageId: idB, recipients: ['bob@corp.example'] }),
      );
      await new Promise((r) => setTimeout(r, 300));
      t.s3p.decide = forward;
      const retry = await invoke(handler, eventA);
      const facts = `first: ${first.error ? describeErrors([first.error]) : 'answered'}; second: ${second.error ? describeErrors([second.error]) : 'answered'}; retry: ${retry.error ? describeErrors([retry.error]) : 'answered'}; held ${heldReq}`;
      expect(heldReq, facts).toBeGreaterThan(0);
      expect(first.error, facts).toBeDefined();
      expect(second.error, facts).toBeUndefined();
      expect(retry.error, facts).toBeUndefined();
      const { problems, copies } = await assertJournalIntact(
        t.stack,
        new Map([
          [idA, a],
          [idB, b],
        ]),
      );
      const mine = (k: string) => k.includes(idA) || k.includes(idB);
      expect(problems.filter(mine), facts).toEqual([]);
      expect(copies.filter(mine).sort(), facts).toEqual([`jd/${idA}`, `jd/${idB}`].sort());
      for (const [id, bytes] of [
        [idA, a],
        [idB, b],
      ] as const) {
        const meta = await stored(t.stack, JOURNAL, `jd/${id}.json`);
        expect(meta && (JSON.parse(meta.toString()) as { sha256: string }).sha256, facts).toBe(sha256(bytes));
      }
      expect(escaped, facts).toEqual([]);
    },
    60_000,
  );
});
