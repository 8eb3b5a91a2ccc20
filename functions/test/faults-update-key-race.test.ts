import { lambdaContext, makeFlowEvent } from '@wmflow/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { guard } from '../guard/guard.js';
import { bigMessage, UPDATES } from './fault-harness.js';
import { proxiedStack } from './scripted-proxy.js';

// WorkMail's invocationId is the same for every retry of an event. Two invocations of one event that overlap
// (the first too slow for WorkMail, which retries while it still runs) staged their update at one key
// (`<prefix>/<messageId>/<invocationId>`); the first, reaching its deadline before its commit, discarded "its"
// update: it deleted what the second had just staged and was committing, and the second, every step of its
// own fine, bounced (InvalidContentLocation, then the strip fallback). Each attempt now stages under a key of
// its own (round 31, S31-5).
const t = proxiedStack([UPDATES], { AWS_MAX_ATTEMPTS: '1' });
let deleted: () => void = () => {};
const deletedOnce = new Promise<void>((resolve) => {
  deleted = resolve;
});

beforeAll(() => {
  t.s3p.decide = (req) => {
    if (req.method === 'DELETE') setTimeout(deleted, 300); // the delete is applied by then
    return { do: 'forward' };
  };
  let puts = 0;
  t.flowp.decide = (req) => {
    if (req.method !== 'POST') return { do: 'forward' };
    puts++;
    // The first invocation's PutRawMessageContent gets no answer before its deadline; the second's reaches
    // WorkMail just after the first has discarded.
    return puts === 1 ? { do: 'hang' } : { do: 'after', until: deletedOnce };
  };
});

const EXE = Buffer.from('MZ\x90\x00this program cannot be run in DOS mode').toString('base64');
type Actions = { actions: { action: { type: string } }[] };

describe('two overlapping invocations of one event stage their update at one key', () => {
  it('the second, whose upload and commit were its own, is not bounced by the first one discarding', async () => {
    const part = `--b1\r\nContent-Type: application/octet-stream; name="run.exe"\r\nContent-Disposition: attachment; filename="run.exe"\r\nContent-Transfer-Encoding: base64\r\n\r\n${EXE}\r\n--b1--\r\n`;
    const bytes = Buffer.from(
      bigMessage(200_000, 'update-key-race')
        .toString('latin1')
        .replace(/--b1--\r\n$/, part),
      'latin1',
    );
    const id = t.stack.flow.load(bytes);
    const handler = guard({
      ORGANIZATION_DOMAINS: 'corp.example',
      UPDATES_BUCKET: UPDATES,
      ATTACHMENT_ACTION: 'strip',
    });
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'ann@partner.example',
      recipients: ['bob@corp.example'],
    });
    const settle = (p: Promise<unknown>) =>
      p.then(
        (r) => (r as Actions).actions[0]?.action.type,
        (e: Error) => `error ${e.name}`,
      );
    // The first: its deadline 2 s in (3.5 s Lambda timeout, 1 s margin, half of it to stop).
    const first = settle(handler(event, lambdaContext({ timeoutMs: 3_500 })));
    await new Promise((r) => setTimeout(r, 300));
    const second = settle(handler(event, lambdaContext({ timeoutMs: 60_000 })));
    const [a, b] = await Promise.all([first, second]);
    const puts = t.stack.flow
      .requests()
      .filter((r) => r.operation === 'put')
      .map((r) => r.status);
    const facts = {
      first: a,
      second: b,
      putRaw: puts,
      s3: t.s3p.log
        .filter((l) => !l.startsWith('GET'))
        .map((l) => l.replace(/\/[0-9a-f-]{20,}\/[0-9a-f]+/g, '/…')),
    };
    // The second invocation's own update is committed: DEFAULT, with the attachment stripped.
    expect(b, JSON.stringify(facts)).toBe('DEFAULT');
    expect((t.stack.flow.history(id).at(-1)?.content ?? bytes).includes('run.exe')).toBe(false);
  }, 60_000);
});
