import { type FlowOutcome, onFlowOutcome } from '@wmflow/core';
import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { guard } from '../guard/guard.js';
import { bigMessage, firstAction, invoke, UPDATES, withExe } from './fault-harness.js';
import { pathOf, proxiedStack } from './scripted-proxy.js';

// Fault round 54, what held: the edit pipeline's upload branch stalls (S3 never answers the staged update's PUT),
// holding the checker branch back with it, until the deadline. Nothing is committed, PutRawMessageContent is never
// sent, the outcome says the deadline came before the commit, and a strip not made is never a delivery of the
// executable (the guard answers its fallback, a bounce).
const t = proxiedStack([UPDATES]);
beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
  t.s3p.log.length = 0;
  t.flowp.log.length = 0;
});

describe('F54 held: the staged update upload stalls until the deadline', () => {
  it.each([
    ['banner', false],
    ['strip', true],
  ])(
    '%s: reported as a deadline before the commit, nothing committed',
    async (_label, strip) => {
      const bytes = strip ? withExe(60_000, `f54-2-${_label}`) : bigMessage(60_000, `f54-2-${_label}`);
      const id = t.stack.flow.load(bytes);
      t.s3p.decide = (req) =>
        req.method === 'PUT' && pathOf(req).startsWith(`/${UPDATES}/`) ? { do: 'hang' } : { do: 'forward' };
      const outcomes: FlowOutcome[] = [];
      const stop = onFlowOutcome((o) => outcomes.push(o));
      const run = await invoke(
        guard({
          ORGANIZATION_DOMAINS: 'corp.example',
          UPDATES_BUCKET: UPDATES,
          ...(strip ? { ATTACHMENT_ACTION: 'strip' } : {}),
        }),
        makeFlowEvent({ messageId: id, mailFrom: 'ann@partner.example', recipients: ['bob@corp.example'] }),
        4_000,
      ).finally(stop);
      const outcome = outcomes.find((o) => o.messageId === id);
      const facts = JSON.stringify({ error: run.error?.message, response: run.response, outcome });
      expect(
        t.s3p.log.some((l) => l.endsWith('-> hang')),
        facts,
      ).toBe(true);
      expect(
        t.flowp.log.filter((l) => l.startsWith('POST')),
        facts,
      ).toEqual([]);
      if (strip) expect(run.error ? 'error' : firstAction(run.response), facts).not.toBe('DEFAULT');
      expect(t.stack.flow.history(id), facts).toHaveLength(1);
      expect(outcome?.deadlineHit, facts).toBe(true);
      expect(outcome?.edit, facts).toMatchObject({
        status: 'skipped',
        reason: 'deadline reached before the update was committed',
      });
    },
    30_000,
  );
});
