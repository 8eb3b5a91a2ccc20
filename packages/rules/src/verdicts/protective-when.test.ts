import {
  all,
  any,
  audit,
  type Condition,
  type FiredRule,
  not,
  protective,
  Verdicts,
  when,
} from '@wmflow/core';
import { lambdaContext } from '@wmflow/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../test/support/stack.js';
import { blockAttachments, hasBlockedAttachment } from '../attachments/index.js';
import { containsSensitiveData } from '../detectors/index.js';
import { bounceWith, moveToJunk, settleWith } from './index.js';

// `when(containsSensitiveData(), bounceWith(…))` is how the docs compose the DLP. Its condition carried no error
// policy, so a deadline that came before the DLP answered (a loaded machine) delivered the message: DEFAULT, the
// flow's fallback (seen in session 39). A protection's test now makes `when` fail closed with what it guards.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const MESSAGE = 'From: a@corp.example\r\nTo: b@partner.example\r\nSubject: s\r\n\r\nhello\r\n';
const TO = { direction: 'OUTBOUND' as const, recipients: ['bob@partner.example'] };
const BOUNCE = 'BOUNCE:Not sent.';
const never: Condition = () => new Promise<boolean>(() => {});
const broken: Condition = async () => {
  throw new Error('the reader broke');
};

describe('when over a protective condition fails closed', () => {
  it('settles the guarded verdict when the deadline comes before the condition answers', async () => {
    const run = await h.run(
      [when(protective(never), bounceWith('Not sent.'))],
      MESSAGE,
      TO,
      {},
      lambdaContext({ timeoutMs: 1600 }),
    );
    expect(run.outcome.deadlineHit).toBe(true);
    expect(run.verdict('bob@partner.example')).toBe(BOUNCE);
    expect(JSON.stringify(run.outcome.fired)).toContain('not knowing is not allowing');
  });

  it('settles it when the condition throws, and the failure is reported', async () => {
    const run = await h.run([when(protective(broken), bounceWith('Not sent.'))], MESSAGE, TO);
    expect(run.verdict('bob@partner.example')).toBe(BOUNCE);
    expect(JSON.stringify(run.outcome.failures)).toContain('the reader broke');
  });

  it('leaves an unmarked condition to the flow policy (fail-open by default)', async () => {
    const late = await h.run(
      [when(never, bounceWith('Not sent.'))],
      MESSAGE,
      TO,
      {},
      lambdaContext({ timeoutMs: 1600 }),
    );
    expect(late.verdict('bob@partner.example')).toBe('DEFAULT');
    const thrown = await h.run([when(broken, bounceWith('Not sent.'))], MESSAGE, TO);
    expect(thrown.verdict('bob@partner.example')).toBe('DEFAULT');
  });

  it('is what the DLP and the attachment test are, through all and any, not through not', () => {
    const bounce = Verdicts.bounce('Not sent.');
    expect(when(containsSensitiveData(), bounceWith('Not sent.')).onError).toEqual({ failClosed: bounce });
    expect(when(hasBlockedAttachment(), moveToJunk()).onError).toEqual({ failClosed: Verdicts.MOVE_TO_JUNK });
    expect(
      when(containsSensitiveData({ onUndecidable: 'no-match' }), bounceWith('x')).onError,
    ).toBeUndefined();
    expect(when(async () => true, bounceWith('x')).onError).toBeUndefined();
    const dlp = containsSensitiveData();
    expect(when(async () => false, bounceWith('x')).onError).toBeUndefined();
    expect(
      when(
        protective(async () => false),
        bounceWith('x'),
      ).onError,
    ).toBeDefined();
    expect(
      when(
        all(async () => true, dlp),
        bounceWith('Not sent.'),
      ).onError,
    ).toEqual({ failClosed: bounce });
    expect(
      when(
        any(dlp, async () => false),
        bounceWith('Not sent.'),
      ).onError,
    ).toEqual({ failClosed: bounce });
    expect(when(not(dlp), bounceWith('x')).onError).toBeUndefined();
    // A verdict for some recipients only names no verdict for all: no fail-closed verdict is guessed.
    expect(
      when(dlp, settleWith(Verdicts.DROP, { recipients: ['*@partner.example'] })).onError,
    ).toBeUndefined();
  });
});

// Audit mode never fails closed for real (docs/threat-model.md), yet at the deadline an audited protection that had
// not decided settled its blocking verdict for real: a guard with AUDIT_MODE=attachments bounced a slow message.
describe('an audited protection at the deadline', () => {
  it('logs what it would have settled and applies nothing', async () => {
    const slow = { ...blockAttachments(), run: () => new Promise<void>(() => {}) };
    const inbound = { direction: 'INBOUND' as const, recipients: ['bob@corp.example'] };
    for (const rule of [audit(slow), audit(when(protective(never), bounceWith('Not sent.')))]) {
      const run = await h.run([rule], MESSAGE, inbound, {}, lambdaContext({ timeoutMs: 1600 }));
      expect(run.outcome.deadlineHit).toBe(true);
      expect(run.verdict('bob@corp.example')).toBe('DEFAULT');
      const fired = run.outcome.fired as FiredRule[];
      expect(fired).toHaveLength(1);
      expect(fired[0]?.audit).toBe(true);
      expect(Object.values(fired[0]?.settled ?? {})[0]).toMatch(/^BOUNCE:/);
    }
    // Not audited, the same protection blocks.
    const run = await h.run([slow], MESSAGE, inbound, {}, lambdaContext({ timeoutMs: 1600 }));
    expect(run.verdict('bob@corp.example')).toMatch(/^BOUNCE:/);
  });
});
