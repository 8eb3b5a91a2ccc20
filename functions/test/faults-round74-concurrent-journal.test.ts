import type { IncomingMessage } from 'node:http';
import { makeFlowEvent } from '@wmflow/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import {
  assertJournalIntact,
  bigMessage,
  describeErrors,
  invoke,
  invokeUntilAnswered,
  JOURNAL,
  sha256,
  stored,
} from './fault-harness.js';
import { pathOf, proxiedStack } from './scripted-proxy.js';

// Fault round 74 (held): two invocations of one message's event journal it at once (WorkMail retries while the first
// still runs; Lambda delivers an asynchronous event twice). The second's copy, or its metadata, is let through while
// the first's is held on its way, then the first's: first writer wins, the other verifies what is there. One copy,
// byte for byte, one `.json` describing it; an invocation that failed is made whole by its retry.
const t = proxiedStack([JOURNAL]);
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

describe('fault round 74: two invocations journal one message at once', () => {
  it.each([
    ['the copy', (req: IncomingMessage, id: string) => pathOf(req).endsWith(`/jc/${id}`)],
    ['the metadata', (req: IncomingMessage, id: string) => pathOf(req).endsWith(`/jc/${id}.json`)],
  ])(
    '%s of the first held until the second wrote its own: one copy, one .json',
    async (what, mine) => {
      const handler = archiver({
        JOURNAL_BUCKET: JOURNAL,
        KEY_TEMPLATE: 'jc/{messageId}',
        ORGANIZATION_DOMAINS: 'corp.example',
        SYNCHRONOUS: 'true',
      });
      const bytes = bigMessage(300_000, `r74-concurrent-journal-${what}`);
      const id = t.stack.flow.load(bytes);
      const event = makeFlowEvent({ messageId: id, recipients: ['bob@corp.example'] });
      let open: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        open = resolve;
      });
      let seen = 0;
      t.s3p.decide = (req) => {
        if (req.method !== 'PUT' || !mine(req, id)) return { do: 'forward' };
        seen++;
        if (seen === 1) return { do: 'after', until: gate };
        setTimeout(open, 200); // the second's write is on its way: the first's follows it
        return { do: 'forward' };
      };
      const first = invoke(handler, event);
      await new Promise((r) => setTimeout(r, 200));
      const second = await invoke(handler, event);
      const done = await first;
      t.s3p.decide = () => ({ do: 'forward' });
      // Whichever failed is retried by WorkMail (or Lambda) until it answers.
      const retries = await Promise.all(
        [done, second].filter((r) => r.error).map(() => invokeUntilAnswered(handler, event, 3)),
      );
      const facts = `first: ${done.error ? describeErrors([done.error]) : 'answered'}; second: ${second.error ? describeErrors([second.error]) : 'answered'}; seen ${seen}`;
      expect(seen, facts).toBeGreaterThan(1);
      for (const r of retries) expect(r.answered, facts).toBe(true);
      const { problems, copies } = await assertJournalIntact(t.stack, new Map([[id, bytes]]));
      const of = (k: string) => k.includes(id);
      expect(problems.filter(of), facts).toEqual([]);
      expect(copies.filter(of), facts).toEqual([`jc/${id}`]);
      const meta = await stored(t.stack, JOURNAL, `jc/${id}.json`);
      expect(meta && (JSON.parse(meta.toString()) as { sha256: string }).sha256, facts).toBe(sha256(bytes));
      expect(escaped, facts).toEqual([]);
    },
    60_000,
  );
});
