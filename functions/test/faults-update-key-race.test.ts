import { lambdaContext, makeFlowEvent } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
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

/**
 * Scripts the race by the update key each request names, not by the order the requests arrive (which load can
 * turn round: fault round 57). Every PutRawMessageContent waits for the first update to be discarded (the
 * invocation whose deadline came gives up and deletes the key it staged); the one naming that key gets no answer
 * (its invocation has given up on it), the other reaches WorkMail just after the delete is applied — and, were
 * both staged at one key again, it would find the update deleted under it.
 * `scramble` holds the staged uploads until both arrived and lets them through in the reverse order.
 */
function scriptRace(scramble: boolean): { hung: string[]; forwarded: string[]; discarded: () => string } {
  let discarded = '';
  let deleted: () => void = () => {};
  const deletedOnce = new Promise<void>((resolve) => {
    deleted = resolve;
  });
  const staged: (() => void)[] = [];
  t.s3p.decide = async (req) => {
    if (req.method === 'DELETE' && discarded === '') {
      discarded = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      setTimeout(deleted, 300); // the delete is applied by then
    }
    if (scramble && req.method === 'PUT' && (req.url ?? '').includes('wmflow-updates')) {
      await new Promise<void>((resolve) => {
        staged.push(resolve);
        if (staged.length === 2) {
          staged[1]?.();
          setTimeout(() => staged[0]?.(), 300);
        }
      });
    }
    return { do: 'forward' };
  };
  const hung: string[] = [];
  const forwarded: string[] = [];
  t.flowp.decide = async (req, body) => {
    if (req.method !== 'POST') return { do: 'forward' };
    const key = (JSON.parse(body.toString()) as { content: { s3Reference: { key: string } } }).content
      .s3Reference.key;
    await deletedOnce;
    // One hangs: the discarded update's (a second naming that key too is let through, to show what it meets).
    if (discarded.endsWith(`/${key}`) && hung.length === 0) {
      hung.push(key);
      return { do: 'hang' };
    }
    forwarded.push(key);
    return { do: 'forward' };
  };
  return { hung, forwarded, discarded: () => discarded };
}

const EXE = Buffer.from('MZ\x90\x00this program cannot be run in DOS mode').toString('base64');
type Actions = { actions: { action: { type: string } }[] };

describe('two overlapping invocations of one event stage their update at one key', () => {
  const cases: [string, boolean][] = [
    ['', false],
    [' (the staged uploads let through in the reverse order, as load may)', true],
  ];
  for (const [how, scramble] of cases)
    it(`the second, whose upload and commit were its own, is not bounced by the first one discarding${how}`, async () => {
      const race = scriptRace(scramble);
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
        race: { ...race, discarded: race.discarded() },
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
      // The update committed is not the one discarded; the discarded one never reached WorkMail.
      expect(race.forwarded, JSON.stringify(facts)).toHaveLength(1);
      expect(race.discarded(), JSON.stringify(facts)).not.toContain(race.forwarded[0]);
      expect(
        race.hung.every((k) => race.discarded().endsWith(`/${k}`)),
        JSON.stringify(facts),
      ).toBe(true);
    }, 60_000);
});
