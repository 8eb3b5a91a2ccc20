import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ResponseLimitError, VerdictError } from '../errors.js';
import { type Verdict, Verdicts, verdictKey } from '../verdicts.js';
import { compileResponse } from './compile-response.js';
import type { Direction } from './event.js';
import { readResponse } from './read-response.js';
import { RESPONSE_LIMITS } from './response.js';

const rcpt = (n: number) => Array.from({ length: n }, (_, i) => `user${i}@corp.example`);

describe('compileResponse', () => {
  it('answers DEFAULT for everyone in one action when nothing was decided', () => {
    const { response } = compileResponse({
      direction: 'INBOUND',
      envelopeRecipients: rcpt(3),
      verdicts: new Map(),
    });
    expect(response).toEqual({ actions: [{ action: { type: 'DEFAULT' }, allRecipients: true }] });
  });

  it('makes the most common verdict the allRecipients action', () => {
    const [a, b, c] = rcpt(3) as [string, string, string];
    const { response } = compileResponse({
      direction: 'INBOUND',
      envelopeRecipients: [a, b, c],
      verdicts: new Map<string, Verdict>([
        [a, Verdicts.MOVE_TO_JUNK],
        [b, Verdicts.MOVE_TO_JUNK],
        [c, Verdicts.bounce('Mailbox closed.')],
      ]),
    });
    expect(response.actions).toEqual([
      { action: { type: 'BOUNCE', parameters: { bounceMessage: 'Mailbox closed.' } }, recipients: [c] },
      { action: { type: 'MOVE_TO_JUNK' }, allRecipients: true },
    ]);
  });

  it('names added recipients explicitly even when they share the main verdict', () => {
    const { response } = compileResponse({
      direction: 'INBOUND',
      envelopeRecipients: ['a@corp.example'],
      verdicts: new Map([['journal@corp.example', Verdicts.DEFAULT]]),
    });
    expect(response.actions).toEqual([
      { action: { type: 'DEFAULT' }, recipients: ['journal@corp.example'] },
      { action: { type: 'DEFAULT' }, allRecipients: true },
    ]);
  });

  it('rejects direction-illegal verdicts', () => {
    expect(() =>
      compileResponse({
        direction: 'OUTBOUND',
        envelopeRecipients: ['a@x.example'],
        verdicts: new Map([['a@x.example', Verdicts.MOVE_TO_JUNK]]),
      }),
    ).toThrow(VerdictError);
  });

  it('merges the smallest bounce groups when distinct bounces need more than 10 actions', () => {
    const recipients = rcpt(14);
    const verdicts = new Map<string, Verdict>(recipients.map((r, i) => [r, Verdicts.bounce(`reason ${i}`)]));
    verdicts.set(recipients[0] as string, Verdicts.DEFAULT);
    verdicts.set(recipients[1] as string, Verdicts.DEFAULT);
    const { response, warnings } = compileResponse({
      direction: 'INBOUND',
      envelopeRecipients: recipients,
      verdicts,
    });
    expect(response.actions.length).toBe(RESPONSE_LIMITS.maxActions);
    expect(warnings.length).toBe(12 - 9);
    const { verdicts: read, problems } = readResponse(response, recipients, 'INBOUND');
    expect(problems).toEqual([]);
    for (const r of recipients) expect(read.get(r)?.type).toBe(verdicts.get(r)?.type);
  });

  it('refuses a response over 256 KB', () => {
    const recipients = rcpt(500).map((r) => `${'x'.repeat(200)}${r}`);
    const verdicts = new Map<string, Verdict>(
      recipients.map((r, i) => [r, i % 2 ? Verdicts.DROP : Verdicts.bounce('b'.repeat(2000))]),
    );
    const added = Array.from(
      { length: 1000 },
      (_, i) => [`${'y'.repeat(200)}${i}@corp.example`, Verdicts.bounce('c'.repeat(2000))] as const,
    );
    for (const [a, v] of added) verdicts.set(a, v);
    expect(() => compileResponse({ direction: 'INBOUND', envelopeRecipients: recipients, verdicts })).toThrow(
      ResponseLimitError,
    );
  });

  it('answers the most protective verdict for all when an outbound response would name more than 500', () => {
    const recipients = rcpt(1002);
    const verdicts = new Map<string, Verdict>(
      recipients.map((r, i) => [r, i % 2 ? Verdicts.DEFAULT : Verdicts.bounce('no')]),
    );
    const { response, warnings } = compileResponse({
      direction: 'OUTBOUND',
      envelopeRecipients: recipients,
      verdicts,
    });
    expect(response.actions).toEqual([
      { action: { type: 'BOUNCE', parameters: { bounceMessage: 'no' } }, allRecipients: true },
    ]);
    expect(warnings.join()).toMatch(/more than 500 outbound recipients/);
  });

  it('gives recipients a truncated event does not list the most protective verdict, not the most common', () => {
    const envelopeRecipients = ['a@corp.example', 'b@corp.example', 'x@out.example'];
    const verdicts = new Map<string, Verdict>([['x@out.example', Verdicts.bounce('no cards')]]);
    const { response } = compileResponse({
      direction: 'OUTBOUND',
      envelopeRecipients,
      verdicts,
      truncated: true,
    });
    const { verdicts: read } = readResponse(
      response,
      [...envelopeRecipients, 'unlisted@out.example'],
      'OUTBOUND',
    );
    expect(read.get('unlisted@out.example')?.type).toBe('BOUNCE');
    expect(read.get('a@corp.example')?.type).toBe('DEFAULT');
  });

  it('names every envelope spelling of a recipient, so none falls to the catch-all verdict', () => {
    const envelopeRecipients = [
      'a@corp.example',
      'b@corp.example',
      'c@corp.example',
      'Bob@x.example',
      'bob@X.example',
    ];
    const verdicts = new Map<string, Verdict>([['bob@x.example', Verdicts.bounce('no')]]);
    const { response } = compileResponse({ direction: 'OUTBOUND', envelopeRecipients, verdicts });
    const { verdicts: read } = readResponse(response, envelopeRecipients, 'OUTBOUND');
    expect(read.get('Bob@x.example')?.type).toBe('BOUNCE');
    expect(read.get('bob@X.example')?.type).toBe('BOUNCE');
    expect(read.get('a@corp.example')?.type).toBe('DEFAULT');
  });

  it('reads back to the same verdict for every recipient (property)', () => {
    const inboundVerdict = fc.oneof(
      fc.constant(Verdicts.DEFAULT as Verdict),
      fc.constant(Verdicts.DROP as Verdict),
      fc.constant(Verdicts.MOVE_TO_JUNK as Verdict),
      fc.constant(Verdicts.BYPASS_SPAM_CHECK as Verdict),
      fc.integer({ min: 0, max: 14 }).map((n) => Verdicts.bounce(`policy ${n}`) as Verdict),
    );
    const arb = fc.record({
      direction: fc.constantFrom<Direction>('INBOUND', 'OUTBOUND'),
      envelope: fc.uniqueArray(fc.integer({ min: 0, max: 800 }), { minLength: 1, maxLength: 60 }),
      added: fc.uniqueArray(fc.integer({ min: 1000, max: 1100 }), { maxLength: 5 }),
      picks: fc.array(inboundVerdict, { minLength: 65, maxLength: 65 }),
      upperCase: fc.boolean(),
    });
    fc.assert(
      fc.property(arb, ({ direction, envelope, added, picks, upperCase }) => {
        const legal = (v: Verdict) =>
          direction === 'OUTBOUND' && (v.type === 'MOVE_TO_JUNK' || v.type === 'BYPASS_SPAM_CHECK')
            ? Verdicts.DROP
            : v;
        const envelopeRecipients = envelope.map((n) => `u${n}@corp.example`);
        const verdicts = new Map<string, Verdict>();
        [...envelope, ...added].forEach((n, i) => {
          const address = `u${n}@corp.example`;
          // Verdict maps may spell an envelope address differently; the compiler matches them case-insensitively.
          verdicts.set(upperCase ? address.toUpperCase() : address, legal(picks[i] as Verdict));
        });
        const { response, warnings } = compileResponse({ direction, envelopeRecipients, verdicts });
        expect(response.actions.length).toBeLessThanOrEqual(RESPONSE_LIMITS.maxActions);
        expect(response.actions.filter((a) => a.allRecipients).length).toBe(1);
        const { verdicts: read, problems } = readResponse(response, envelopeRecipients, direction);
        expect(problems).toEqual([]);
        [...envelope, ...added].forEach((n, i) => {
          const address = `u${n}@corp.example`;
          const got = read.get(address) ?? read.get(address.toUpperCase());
          const want = legal(picks[i] as Verdict);
          if (warnings.length === 0) expect(got && verdictKey(got)).toBe(verdictKey(want));
          else expect(got?.type).toBe(want.type);
        });
      }),
      { numRuns: 300 },
    );
  });
});
