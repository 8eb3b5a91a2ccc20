import type { IncomingMessage } from 'node:http';
import { flow, type Rule, resetDefaultClients, Verdicts } from '@wmflow/core';
import { makeFlowEvent } from '@wmflow/core/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeErrors, invoke, UPDATES } from './fault-harness.js';
import { proxiedStack } from './scripted-proxy.js';

// Fault round 64 (held): a warm container thawed after its credentials were rotated. wmflow's own GetRawMessageContent
// signs with checked credentials (direct-get.ts, sign-get.ts): the thawed invocation must sign with the credentials of
// the moment, not the ones it checked before the freeze; and a 403 ExpiredToken (the token the provider still hands
// out is already refused) is a transient failure of the invocation (WorkMail retries), never "message not found"
// (which a fail-open rule would have turned into a DEFAULT answer for a message it never read).
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
  escaped.length = 0;
  t.flowp.decide = () => ({ do: 'forward' });
});

const tokenOf = (req: IncomingMessage) => String(req.headers['x-amz-security-token'] ?? '');
const expired = {
  do: 'answer' as const,
  status: 403,
  headers: { 'x-amzn-errortype': 'ExpiredTokenException', 'content-type': 'application/json' },
  body: '{"message":"The security token included in the request is expired"}',
};

// Reads the subject (the message itself, not the event's), and bounces on a marker: fail open on its own errors.
const reader: Rule = {
  name: 'subject-reader',
  onError: 'fail-open',
  async run(ctx) {
    const subject = (await ctx.message.headers()).get('subject') ?? '';
    if (/r64-block/.test(String(subject))) ctx.settle(Verdicts.bounce('blocked'));
  },
};

function useToken(token: string, validMs = 60_000): void {
  process.env.AWS_SESSION_TOKEN = token;
  // Short-lived credentials (under the SDK's 5-minute refresh window): its provider reads them again as it is used.
  process.env.AWS_CREDENTIAL_EXPIRATION = new Date(Date.now() + validMs).toISOString();
}

const message = (n: string) =>
  `From: ann@partner.example\r\nTo: bob@corp.example\r\nSubject: r64-block ${n}\r\nDate: Sun, 6 Dec 2026 10:00:00 +0000\r\nMessage-ID: <${n}@partner.example>\r\n\r\nhello\r\n`;

describe('fault round 64: credentials rotated while the container was frozen', () => {
  it.each([
    ['expired during the freeze', true],
    ['renewed early (the provider still hands out the old ones once)', false],
  ])('credentials %s: the thawed invocation reads with the new ones and decides', async (_, expire) => {
    useToken('r64-token-one', expire ? 1_000 : 60_000);
    resetDefaultClients();
    const handler = flow({ rules: [reader] });
    const ids = [t.stack.flow.load(message(`a${expire}`)), t.stack.flow.load(message(`b${expire}`))];
    const tokens: string[] = [];
    let current = 'r64-token-one';
    t.flowp.decide = (req) => {
      tokens.push(tokenOf(req));
      return tokenOf(req) === current ? { do: 'forward' } : expired;
    };
    const outcomes: string[] = [];
    for (const [i, id] of ids.entries()) {
      if (i === 1) {
        // The freeze: the old credentials expire (or not yet), the new ones are issued.
        if (expire) await new Promise((r) => setTimeout(r, 1_200));
        current = 'r64-token-two';
        useToken(current);
      }
      const result = await invoke(
        handler,
        makeFlowEvent({ messageId: id, mailFrom: 'ann@partner.example', recipients: ['bob@corp.example'] }),
      );
      outcomes.push(
        result.error ? `failed: ${describeErrors([result.error])}` : JSON.stringify(result.response),
      );
    }
    const facts = `${outcomes.join(' | ')}; tokens ${tokens.join(',')}`;
    expect(
      outcomes.every((o) => o.includes('BOUNCE')),
      facts,
    ).toBe(true);
    // Expired credentials are never sent; credentials renewed early are sent at most once more (as send() would:
    // the SDK's provider answers with them while it refreshes), refused, and the read is made with the new ones.
    expect(tokens, facts).toEqual(
      expire ? ['r64-token-one', 'r64-token-two'] : ['r64-token-one', 'r64-token-one', 'r64-token-two'],
    );
    expect(escaped, facts).toEqual([]);
  });

  it('a 403 ExpiredToken for the token in hand fails the invocation as transient, never as not found', async () => {
    useToken('r64-token-three');
    resetDefaultClients();
    const handler = flow({ rules: [reader] });
    const id = t.stack.flow.load(message('c'));
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'ann@partner.example',
      recipients: ['bob@corp.example'],
    });
    // Warm: one read with the token, checked by the lean signer.
    expect((await invoke(handler, event)).error).toBeUndefined();
    let refused = 0;
    t.flowp.decide = () => {
      refused++;
      return expired;
    };
    const result = await invoke(handler, event);
    const facts = `${result.error ? describeErrors([result.error]) : JSON.stringify(result.response)}; refused ${refused}`;
    expect(refused, facts).toBeGreaterThan(0);
    expect(result.error, facts).toBeDefined();
    expect(result.error?.name, facts).not.toBe('MessageNotFoundError');
    expect(facts).not.toMatch(/not found/);
    t.flowp.decide = () => ({ do: 'forward' });
    // WorkMail's retry, once the token is good again, reads the message and decides.
    const retry = await invoke(handler, event);
    expect(JSON.stringify(retry.response), facts).toContain('BOUNCE');
    expect(escaped, facts).toEqual([]);
  });
});
