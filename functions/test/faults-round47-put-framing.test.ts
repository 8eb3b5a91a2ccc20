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
import { wiredStack } from './faults-round47-stack.js';
import { type Answer, head, plainHeaders } from './faults-round47-wire.js';

// Fault round 47: PutRawMessageContent carried out by WorkMail, its 200 answer's framing broken on the way back (a
// Content-Length longer than the body and the connection closed, a chunked body cut). The update was applied: a strip
// must not become a bounce of the message WorkMail now holds stripped.
const t = wiredStack([JOURNAL, UPDATES]);

beforeEach(() => {
  t.s3w.shape = () => undefined;
  t.floww.shape = () => undefined;
});

const SHAPES: Record<string, (a: Answer) => Buffer> = {
  'a Content-Length longer than the body, then a close': (a) =>
    Buffer.concat([
      Buffer.from(head(200, [...plainHeaders(a), ['Content-Length', String(a.body.length + 40)]])),
      a.body,
    ]),
  'a chunked body without its last chunk, then a close': (a) =>
    Buffer.concat([
      Buffer.from(head(200, [...plainHeaders(a), ['Transfer-Encoding', 'chunked']])),
      Buffer.from(`${(a.body.length + 40).toString(16)}\r\n`),
      a.body,
    ]),
  'headers only, then a close': (a) => Buffer.from(head(200, [...plainHeaders(a), ['Content-Length', '2']])),
};

describe('F47: PutRawMessageContent applied, its 200 cut on the way back', () => {
  it.each(Object.keys(SHAPES))(
    'guard strip, %s: never bounces',
    async (label) => {
      const bytes = withExe(200_000, `f47-putframe-${label}`);
      const id = t.stack.flow.load(bytes);
      let faults = 1;
      t.floww.shape = (req, answer) => {
        if (req.method !== 'POST' || faults <= 0) return undefined;
        faults--;
        return (SHAPES[label] as (a: Answer) => Buffer)(answer);
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
        `response ${JSON.stringify(run.response)}; errors ${describeErrors(run.errors)}; ${t.floww.log.join(' | ')}`,
      ).toBe('DEFAULT');
      expect(out.includes('run.exe')).toBe(false);
    },
    120_000,
  );
});
