import type { IncomingMessage } from 'node:http';
import { makeFlowEvent } from '@wmflow/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guard } from '../guard/guard.js';
import { describeErrors, firstAction, invoke, UPDATES, withExe } from './fault-harness.js';
import { pathOf, proxiedStack } from './scripted-proxy.js';

// Fault round 74 (held): WorkMail retries an event while its first invocation still runs (the first too slow for
// WorkMail's wait), so two invocations of one event, one invocationId, strip one message at once. Whichever order
// their staged uploads and PutRawMessageContent calls take, WorkMail ends up holding the message stripped once (the
// executable gone, the report kept), neither answers BOUNCE, and no rejection escapes.
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

const isPutRaw = (req: IncomingMessage) => req.method === 'POST' && /^\/messages\//.test(req.url ?? '');
const isStaged = (req: IncomingMessage) => req.method === 'PUT' && pathOf(req).startsWith(`/${UPDATES}/`);
const EXE_BODY = Buffer.from('MZ\x90\x00this program cannot be run in DOS mode').toString('base64');

describe('fault round 74: two invocations of one event strip one message at once', () => {
  it.each([
    ['the first staged upload held until the second committed', 'staged'],
    ['the first PutRawMessageContent held until the second committed', 'put'],
  ])(
    '%s: stripped once, no bounce',
    async (_, what) => {
      const handler = guard({
        ORGANIZATION_DOMAINS: 'corp.example',
        UPDATES_BUCKET: UPDATES,
        ATTACHMENT_ACTION: 'strip',
        TAG_EXTERNAL: 'false',
      });
      const id = t.stack.flow.load(withExe(200_000, `r74-concurrent-${what}`));
      const event = makeFlowEvent({
        messageId: id,
        mailFrom: 'ann@partner.example',
        recipients: ['bob@corp.example'],
      });
      let open: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        open = resolve;
      });
      let seen = 0;
      const holdFirst = (req: IncomingMessage) => {
        const mine = what === 'staged' ? isStaged(req) : isPutRaw(req);
        if (!mine) return { do: 'forward' as const };
        seen++;
        return seen === 1 ? { do: 'after' as const, until: gate } : { do: 'forward' as const };
      };
      t.s3p.decide = (req) => holdFirst(req);
      t.flowp.decide = (req) => {
        const act = holdFirst(req);
        // The second invocation's PutRawMessageContent lets the first's held request through once applied.
        if (isPutRaw(req) && act.do === 'forward') setTimeout(open, 200);
        return act;
      };
      const first = invoke(handler, event);
      await new Promise((r) => setTimeout(r, 200));
      const second = await invoke(handler, event);
      const done = await first;
      const history = t.stack.flow.history(id);
      const held = history.at(-1)?.content.toString('latin1') ?? '';
      const facts = `first: ${done.error ? describeErrors([done.error]) : JSON.stringify(done.response)}; second: ${second.error ? describeErrors([second.error]) : JSON.stringify(second.response)}; versions ${history.length}`;
      expect(seen, facts).toBeGreaterThan(1);
      for (const answer of [done, second]) {
        if (!answer.error) expect(firstAction(answer.response), facts).toBe('DEFAULT');
      }
      expect(second.error, facts).toBeUndefined();
      expect(held.includes(EXE_BODY), facts).toBe(false);
      expect(held.includes('filename="report.pdf"'), facts).toBe(true);
      expect(escaped, facts).toEqual([]);
    },
    60_000,
  );
});
