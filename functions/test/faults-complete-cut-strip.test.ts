// Fault round 32: guard strip whose 6 MB update's CompleteMultipartUpload S3 applied but whose 200 answer was cut:
// the failure is transient (the retry delivers the message stripped), never the strip fallback's bounce.
import { resetDefaultClients } from '@wmflow/core';
import { makeFlowEvent } from '@wmflow/core/testing';
import { type LocalStack, startLocalStack } from '@wmflow/local';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { guard } from '../guard/guard.js';
import { bigMessage, describeErrors, invokeUntilAnswered, JOURNAL, UPDATES } from './fault-harness.js';
import { isComplete, type ScriptedProxy, scriptedProxy } from './scripted-proxy.js';

let stack: LocalStack;
let s3p: ScriptedProxy;
let flowp: ScriptedProxy;
const saved = { ...process.env };

beforeAll(async () => {
  stack = await startLocalStack({ buckets: [JOURNAL, UPDATES] });
  s3p = await scriptedProxy(stack.env.AWS_ENDPOINT_URL_S3 as string);
  flowp = await scriptedProxy(stack.env.AWS_ENDPOINT_URL_WORKMAILMESSAGEFLOW as string);
  Object.assign(process.env, stack.env, {
    AWS_ENDPOINT_URL_S3: s3p.endpoint,
    AWS_ENDPOINT_URL_WORKMAILMESSAGEFLOW: flowp.endpoint,
    AWS_MAX_ATTEMPTS: '3',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  resetDefaultClients();
}, 60_000);
afterAll(async () => {
  process.env = saved;
  resetDefaultClients();
  await s3p?.close();
  await flowp?.close();
  await stack?.stop();
});
beforeEach(() => {
  s3p.decide = () => ({ do: 'forward' });
  flowp.decide = () => ({ do: 'forward' });
  s3p.log.length = 0;
  flowp.log.length = 0;
});

const EXE = Buffer.from('MZ\x90\x00this program cannot be run in DOS mode').toString('base64');
function withExe(size: number, seed: string): Buffer {
  const part = `--b1\r\nContent-Type: application/octet-stream; name="run.exe"\r\nContent-Disposition: attachment; filename="run.exe"\r\nContent-Transfer-Encoding: base64\r\n\r\n${EXE}\r\n--b1--\r\n`;
  return Buffer.from(
    bigMessage(size, seed)
      .toString('latin1')
      .replace(/--b1--\r\n$/, part),
    'latin1',
  );
}
type Actions = { actions: { action: { type: string } }[] };
const firstAction = (response: unknown) => (response as Actions | undefined)?.actions[0]?.action.type;
const ev = (id: string) =>
  makeFlowEvent({ messageId: id, mailFrom: 'ann@partner.example', recipients: ['bob@corp.example'] });

describe('CompleteMultipartUpload of a 6 MB update: S3 made the object, its answer is cut (chunked, well-formed end)', () => {
  it.each([0, 60])(
    'guard strip, answer cut after %i bytes: fails (retry) or commits, never bounces a message it could deliver stripped',
    async (keep) => {
      const bytes = withExe(6_000_000, `s32-complete-chunked-cut-${keep}`);
      const id = stack.flow.load(bytes);
      let faults = 1;
      s3p.decide = (req) => {
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
        `errors: ${describeErrors(run.errors)}; ${s3p.log.filter((l) => l.startsWith('POST')).join(' | ')}`,
      ).toBe('DEFAULT');
      const out = stack.flow.history(id).at(-1)?.content ?? Buffer.alloc(0);
      expect(out.includes('run.exe')).toBe(false);
    },
    240_000,
  );
});
