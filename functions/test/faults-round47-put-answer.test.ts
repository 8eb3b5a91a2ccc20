import type { IncomingMessage } from 'node:http';
import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { guard } from '../guard/guard.js';
import {
  describeErrors,
  firstAction,
  invokeUntilAnswered,
  JOURNAL,
  UPDATES,
  withExe,
} from './fault-harness.js';
import { type Act, proxiedStack } from './scripted-proxy.js';

// Fault round 47: PutRawMessageContent carried out by WorkMail, its 200 answer unreadable (a body cut short, or
// garbled, by something in between). The update was applied: a strip must not turn into a bounce of a message
// WorkMail now holds stripped; a retry finds the message stripped and delivers it.
const t = proxiedStack([JOURNAL, UPDATES]);
const isPutRaw = (req: IncomingMessage) => req.method === 'POST' && /^\/messages\//.test(req.url ?? '');

beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
});

const ANSWERS: [string, Record<string, string>, string][] = [
  ['a JSON body cut short', { 'content-type': 'application/json' }, '{"mess'],
  ['an HTML page', { 'content-type': 'text/html' }, '<html><body>502 Bad Gateway</body></html>'],
  [
    'an error document',
    { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalServerException' },
    '{"message":"x"}',
  ],
];

describe('F47: PutRawMessageContent applied, its 200 unreadable', () => {
  it.each(ANSWERS)(
    'guard strip, answered %s: never bounces',
    async (label, headers, body) => {
      const bytes = withExe(200_000, `f47-putraw-${label}`);
      const id = t.stack.flow.load(bytes);
      let faults = 1;
      t.flowp.decide = (req) => {
        if (isPutRaw(req) && faults > 0) {
          faults--;
          return { do: 'apply-then-answer', status: 200, headers, body };
        }
        return { do: 'forward' };
      };
      const run = await invokeUntilAnswered(
        guard({
          ORGANIZATION_DOMAINS: 'corp.example',
          UPDATES_BUCKET: UPDATES,
          ATTACHMENT_ACTION: 'strip',
          TAG_EXTERNAL: 'false',
        }),
        makeFlowEvent({ messageId: id, mailFrom: 'ann@partner.example', recipients: ['bob@corp.example'] }),
        4,
      );
      const out = t.stack.flow.history(id).at(-1)?.content ?? Buffer.alloc(0);
      expect(
        firstAction(run.response),
        `response ${JSON.stringify(run.response)}; errors ${describeErrors(run.errors)}; ${t.flowp.log.join(' | ')}`,
      ).toBe('DEFAULT');
      expect(out.includes('run.exe')).toBe(false);
    },
    120_000,
  );
});

// F47-6: PutRawMessageContent answered by something in between with an error WorkMail never gives (no AWS error
// type): a redirect, a bodiless 404, a proxy's page. Whether or not the update reached WorkMail, the answer says
// nothing about it: a strip must fail the invocation (WorkMail retries), never bounce.
const NOT_WORKMAILS: [string, Act['do'], number, Record<string, string>, string][] = [
  ['404 with no body, not applied', 'answer', 404, {}, ''],
  [
    '403 with an HTML page, not applied',
    'answer',
    403,
    { 'content-type': 'text/html' },
    '<html>Forbidden</html>',
  ],
  ['301 to elsewhere, not applied', 'answer', 301, { location: 'http://127.0.0.1:9/' }, ''],
  ['407 proxy authentication, not applied', 'answer', 407, { 'proxy-authenticate': 'Basic' }, ''],
  ['404 with no body, applied', 'apply-then-answer', 404, {}, ''],
  [
    '403 with an HTML page, applied',
    'apply-then-answer',
    403,
    { 'content-type': 'text/html' },
    '<html>Forbidden</html>',
  ],
];

describe('F47-6: PutRawMessageContent answered with an error that is not WorkMail’s', () => {
  it.each(NOT_WORKMAILS)(
    'guard strip, %s: never bounces, delivers the message stripped',
    async (label, act, status, headers, body) => {
      const bytes = withExe(200_000, `f47-6-${label}`);
      const id = t.stack.flow.load(bytes);
      let faults = 1;
      t.flowp.decide = (req) => {
        if (isPutRaw(req) && faults > 0) {
          faults--;
          return act === 'answer'
            ? { do: 'answer', status, headers, body }
            : { do: 'apply-then-answer', status, headers, body };
        }
        return { do: 'forward' };
      };
      const run = await invokeUntilAnswered(
        guard({
          ORGANIZATION_DOMAINS: 'corp.example',
          UPDATES_BUCKET: UPDATES,
          ATTACHMENT_ACTION: 'strip',
          TAG_EXTERNAL: 'false',
        }),
        makeFlowEvent({ messageId: id, mailFrom: 'ann@partner.example', recipients: ['bob@corp.example'] }),
        4,
      );
      const out = t.stack.flow.history(id).at(-1)?.content ?? Buffer.alloc(0);
      expect(
        firstAction(run.response),
        `response ${JSON.stringify(run.response)}; errors ${describeErrors(run.errors)}; ${t.flowp.log.join(' | ')}`,
      ).toBe('DEFAULT');
      expect(out.includes('run.exe')).toBe(false);
    },
    120_000,
  );
});
