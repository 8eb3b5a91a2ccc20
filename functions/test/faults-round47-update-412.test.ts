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
import { isComplete, isPlainPut, pathOf, proxiedStack } from './scripted-proxy.js';

// F47-4: the upload of an update sends no condition, yet a 412 for it is read as "the key was taken" (uploadInParts'
// `exists`), and the update is committed from a key S3 never stored: WorkMail cannot read it
// (InvalidContentLocation) and a strip turns into a bounce, where a retry would have delivered the message stripped.
const t = proxiedStack([JOURNAL, UPDATES]);
const PRECONDITION =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message><Condition>If-None-Match</Condition><RequestId>R</RequestId><HostId>H</HostId></Error>';

beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
});

describe('F47-4: the update upload answered 412 by something in between', () => {
  it.each([
    ['a small update (one PutObject)', 200_000, (req: Parameters<typeof isPlainPut>[0]) => isPlainPut(req)],
    [
      'a large update (CompleteMultipartUpload)',
      6_000_000,
      (req: Parameters<typeof isComplete>[0]) => isComplete(req),
    ],
  ])(
    'guard strip, %s: never bounces, delivers the message stripped',
    async (label, size, match) => {
      const bytes = withExe(size, `f47-4-${label}`);
      const id = t.stack.flow.load(bytes);
      let faults = 1;
      t.s3p.decide = (req) => {
        if (faults > 0 && pathOf(req).startsWith(`/${UPDATES}/`) && match(req)) {
          faults--;
          return {
            do: 'answer',
            status: 412,
            headers: { 'content-type': 'application/xml' },
            body: PRECONDITION,
          };
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
        `response ${JSON.stringify(run.response)}; errors ${describeErrors(run.errors)}; ${t.s3p.log.join(' | ')}`,
      ).toBe('DEFAULT');
      expect(out.includes('run.exe')).toBe(false);
    },
    120_000,
  );
});
