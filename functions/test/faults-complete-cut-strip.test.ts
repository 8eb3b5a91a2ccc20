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
import { isComplete, proxiedStack } from './scripted-proxy.js';

const t = proxiedStack([JOURNAL, UPDATES]);

beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
  t.s3p.log.length = 0;
  t.flowp.log.length = 0;
});

const ev = (id: string) =>
  makeFlowEvent({ messageId: id, mailFrom: 'ann@partner.example', recipients: ['bob@corp.example'] });

describe('CompleteMultipartUpload of a 6 MB update: S3 made the object, its answer is cut (chunked, well-formed end)', () => {
  it.each([0, 60])(
    'guard strip, answer cut after %i bytes: fails (retry) or commits, never bounces a message it could deliver stripped',
    async (keep) => {
      const bytes = withExe(6_000_000, `s32-complete-chunked-cut-${keep}`);
      const id = t.stack.flow.load(bytes);
      let faults = 1;
      t.s3p.decide = (req) => {
        if (isComplete(req) && faults > 0) {
          faults--;
          return { do: 'forward-chunked-cut', keep };
        }
        return { do: 'forward' };
      };
      const handler = guard({
        ORGANIZATION_DOMAINS: 'corp.example',
        UPDATES_BUCKET: UPDATES,
        ATTACHMENT_ACTION: 'strip',
      });
      const run = await invokeUntilAnswered(handler, ev(id), 4);
      expect(
        firstAction(run.response),
        `errors: ${describeErrors(run.errors)}; ${t.s3p.log.filter((l) => l.startsWith('POST')).join(' | ')}`,
      ).toBe('DEFAULT');
      const out = t.stack.flow.history(id).at(-1)?.content ?? Buffer.alloc(0);
      expect(out.includes('run.exe')).toBe(false);
    },
    240_000,
  );
});
