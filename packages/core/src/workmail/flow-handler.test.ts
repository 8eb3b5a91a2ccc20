import { PassThrough } from 'node:stream';
import type { WorkMailMessageFlowClient } from '@aws-sdk/client-workmailmessageflow';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventValidationError, RuleError } from '../errors.js';
import { audit, forRecipients, inbound, onError, outbound, rule, when } from '../flow/combinators.js';
import { onFlowOutcome } from '../flow/outcome.js';
import type { Rule } from '../flow/types.js';
import { captureLogger } from '../testing/capture-logger.js';
import { makeFlowEvent } from '../testing/events.js';
import { lambdaContext } from '../testing/lambda-context.js';
import { Verdicts } from '../verdicts.js';
import type { Direction } from './event.js';
import { flow } from './flow-handler.js';
import type { FlowOptions } from './flow-settings.js';
import { readResponse } from './read-response.js';
import type { FlowResponse } from './response.js';

const A = 'alice@corp.example';
const B = 'bob@corp.example';
const C = 'carol@corp.example';

async function run<D extends Direction>(
  options: Partial<FlowOptions<D>>,
  event = makeFlowEvent({ recipients: [A, B, C] }),
) {
  const logger = captureLogger();
  const handler = flow({
    rules: [],
    organizationDomains: ['corp.example'],
    logger,
    ...options,
  } as FlowOptions<D> as FlowOptions);
  const response = (await handler(event, lambdaContext())) as FlowResponse | undefined;
  const recipients = event.envelope.recipients.map((r) => r.address);
  const read = response ? readResponse(response, recipients, event.flowDirection) : undefined;
  const verdict = (r: string) => {
    const v = read?.verdicts.get(r);
    return v?.type === 'BOUNCE' ? `BOUNCE:${v.message}` : v?.type;
  };
  return { response, read, verdict, logger, line: logger.lines.at(-1) };
}

describe('flow: verdict semantics', () => {
  it('answers DEFAULT for every open recipient and logs one structured line', async () => {
    const { response, line } = await run({});
    expect(response).toEqual({ actions: [{ action: { type: 'DEFAULT' }, allRecipients: true }] });
    expect(line?.level).toBe('info');
    expect(line?.attributes).toMatchObject({
      direction: 'INBOUND',
      verdicts: { [A]: 'DEFAULT', [B]: 'DEFAULT', [C]: 'DEFAULT' },
      rulesFired: [],
      deadlineHit: false,
    });
    expect(typeof line?.attributes.durationMs).toBe('number');
    expect(line?.attributes.messageId).toMatch(/^[a-z0-9-]+$/);
  });

  it.each([
    ['DROP', Verdicts.DROP],
    ['MOVE_TO_JUNK', Verdicts.MOVE_TO_JUNK],
    ['BYPASS_SPAM_CHECK', Verdicts.BYPASS_SPAM_CHECK],
    ['DEFAULT', Verdicts.DEFAULT],
    ['BOUNCE:Go away.', Verdicts.bounce('Go away.')],
  ])('settles %s for the recipients a rule names', async (expected, verdict) => {
    const { verdict: of } = await run({ rules: [rule('r', (ctx) => void ctx.settle(verdict, [B]))] });
    expect(of(B)).toBe(expected);
    expect(of(A)).toBe('DEFAULT');
  });

  it('keeps settled recipients for later rules unless they override', async () => {
    const { verdict, line } = await run({
      rules: [
        rule('junk-alice', (ctx) => void ctx.settle(Verdicts.MOVE_TO_JUNK, [A])),
        rule('drop-rest', (ctx) => {
          expect(ctx.open).toEqual([B, C]);
          expect(ctx.fired.map((f) => f.rule)).toEqual(['junk-alice']);
          ctx.settle(Verdicts.DROP);
        }),
        rule('never-runs', () => {
          throw new Error('every recipient is settled, so this rule is skipped');
        }),
      ],
    });
    expect([verdict(A), verdict(B), verdict(C)]).toEqual(['MOVE_TO_JUNK', 'DROP', 'DROP']);
    expect(line?.attributes.rulesFired).toEqual(['junk-alice', 'drop-rest']);
  });

  it('lets a rule override a settled recipient explicitly', async () => {
    const { verdict } = await run({
      rules: [
        rule('drop-all', (ctx) => void ctx.settle(Verdicts.DROP)),
        rule('rescue-bob', (ctx) => void ctx.override(Verdicts.DEFAULT, [B]), { overrides: true }),
      ],
    });
    expect([verdict(A), verdict(B)]).toEqual(['DROP', 'DEFAULT']);
  });

  it('runs side-effect rules even when every recipient is settled', async () => {
    const seen: string[] = [];
    await run({
      rules: [
        rule('drop-all', (ctx) => void ctx.settle(Verdicts.DROP)),
        rule('journal', (ctx) => void seen.push(ctx.messageId), { sideEffect: true }),
      ],
    });
    expect(seen).toHaveLength(1);
  });

  it('adds organization recipients to inbound mail and refuses outside ones', async () => {
    const { response, read } = await run({
      rules: [rule('copy', (ctx) => ctx.addRecipient('legal@corp.example'))],
    });
    expect(read?.verdicts.get('legal@corp.example')?.type).toBe('DEFAULT');
    expect(response?.actions).toContainEqual({
      action: { type: 'DEFAULT' },
      recipients: ['legal@corp.example'],
    });
    const refused = await run({ rules: [rule('copy-out', (ctx) => ctx.addRecipient('spy@evil.example'))] });
    expect(refused.line?.attributes.failures).toEqual([
      expect.objectContaining({ rule: 'copy-out', error: expect.stringContaining("organization's domains") }),
    ]);
    expect(refused.read?.verdicts.has('spy@evil.example')).toBe(false);
  });

  it('rejects direction-illegal verdicts at run time when the direction is not static', async () => {
    const generic: Rule = rule('junk-everything', (ctx) => void ctx.settle(Verdicts.MOVE_TO_JUNK));
    const { verdict, line } = await run(
      { rules: [generic] },
      makeFlowEvent({ direction: 'OUTBOUND', recipients: [A] }),
    );
    expect(verdict(A)).toBe('DEFAULT');
    expect(JSON.stringify(line?.attributes.failures)).toContain('MOVE_TO_JUNK is not allowed for OUTBOUND');
  });

  it('types verdicts by direction where it is static', () => {
    // @ts-expect-error MOVE_TO_JUNK is not an outbound verdict
    rule<'OUTBOUND'>('x', (ctx) => void ctx.settle(Verdicts.MOVE_TO_JUNK));
    // @ts-expect-error BYPASS_SPAM_CHECK is not an outbound verdict
    outbound(rule('y', (ctx) => void ctx.settle(Verdicts.BYPASS_SPAM_CHECK)));
    inbound(rule('z', (ctx) => void ctx.settle(Verdicts.BYPASS_SPAM_CHECK)));
    // Inline rules take the flow's literal direction from the context.
    flow({
      direction: 'OUTBOUND',
      // @ts-expect-error MOVE_TO_JUNK is not an outbound verdict
      rules: [rule('w', (ctx) => void ctx.settle(Verdicts.MOVE_TO_JUNK))],
    });
    flow({ direction: 'INBOUND', rules: [rule('v', (ctx) => void ctx.settle(Verdicts.MOVE_TO_JUNK))] });
    // A one-line arrow may return what it calls (the examples of `inbound` and `outbound`).
    inbound(rule<'INBOUND'>('junk', (ctx) => ctx.settle(Verdicts.MOVE_TO_JUNK)));
    outbound(rule<'OUTBOUND'>('hold', (ctx) => ctx.settle(Verdicts.DROP)));
    // @ts-expect-error MOVE_TO_JUNK is not an outbound verdict, returned or not
    outbound(rule<'OUTBOUND'>('u', (ctx) => ctx.settle(Verdicts.MOVE_TO_JUNK)));
    // A rule scoped to one direction keeps it: a flow of the other direction refuses it (sesFlow takes inbound rules).
    const inRule = inbound(rule('a', () => {}));
    const outRule = outbound(rule('b', () => {}));
    // @ts-expect-error an outbound rule in a list of inbound rules (adoption walk: outbound() typed as any rule)
    const inboundOnly: Rule<'INBOUND'>[] = [outRule];
    expect(inboundOnly).toHaveLength(1);
    flow({ rules: [inRule, outRule] }); // both directions: both
    // @ts-expect-error an inbound-only fallback in an outbound flow (refused at run time too)
    expect(() => flow({ direction: 'OUTBOUND', rules: [], fallback: Verdicts.MOVE_TO_JUNK })).toThrow(
      'MOVE_TO_JUNK is not allowed for OUTBOUND',
    );
    const known = 'OUTBOUND' as Direction;
    expect(typeof flow({ direction: known, rules: [] })).toBe('function');
  });
});

describe('flow: composition', () => {
  it('runs a conditional rule only when its condition holds', async () => {
    const junk = rule('junk', (ctx) => void ctx.settle(Verdicts.MOVE_TO_JUNK));
    const yes = await run(
      { rules: [when((ctx) => ctx.subject.includes('SALE'), junk)] },
      makeFlowEvent({ recipients: [A], subject: 'BIG SALE' }),
    );
    const no = await run(
      { rules: [when((ctx) => ctx.subject.includes('SALE'), junk)] },
      makeFlowEvent({ recipients: [A], subject: 'Minutes' }),
    );
    expect([yes.verdict(A), no.verdict(A)]).toEqual(['MOVE_TO_JUNK', 'DEFAULT']);
  });

  it('scopes rules to a direction', async () => {
    const rules = [
      inbound(rule('in', (ctx) => void ctx.settle(Verdicts.MOVE_TO_JUNK))),
      outbound(rule('out', (ctx) => void ctx.settle(Verdicts.DROP))),
    ];
    const inb = await run({ rules }, makeFlowEvent({ recipients: [A] }));
    const outb = await run({ rules }, makeFlowEvent({ recipients: [A], direction: 'OUTBOUND' }));
    expect([inb.verdict(A), outb.verdict(A)]).toEqual(['MOVE_TO_JUNK', 'DROP']);
  });

  it('applies a pilot-group rule only to its recipients', async () => {
    const { verdict } = await run({
      rules: [
        forRecipients(
          ['bob@corp.example', 'carol@CORP.example'],
          rule('drop', (ctx) => void ctx.settle(Verdicts.DROP)),
        ),
      ],
    });
    expect([verdict(A), verdict(B), verdict(C)]).toEqual(['DEFAULT', 'DROP', 'DROP']);
    // As an environment variable gives them: text, not a pattern per character.
    const text = await run({
      rules: [
        forRecipients(
          'bob@corp.example, carol@CORP.example',
          rule('drop', (ctx) => void ctx.settle(Verdicts.DROP)),
        ),
      ],
    });
    expect([text.verdict(A), text.verdict(B), text.verdict(C)]).toEqual(['DEFAULT', 'DROP', 'DROP']);
  });

  it('logs what an audit-mode rule would do and changes nothing', async () => {
    const { verdict, line } = await run({
      rules: [audit(rule('drop', (ctx) => void ctx.settle(Verdicts.bounce('blocked'))))],
    });
    expect(verdict(A)).toBe('DEFAULT');
    expect(line?.attributes.fired).toEqual([
      {
        rule: 'drop',
        audit: true,
        notes: [],
        settled: { [A]: 'BOUNCE:blocked', [B]: 'BOUNCE:blocked', [C]: 'BOUNCE:blocked' },
      },
    ]);
  });

  it('refuses a combinator applied to a context the flow did not make', async () => {
    const fake = { direction: 'INBOUND' } as never;
    await expect(audit(rule('x', () => {})).run(fake)).rejects.toThrow(/context the flow passed in/);
  });
});

describe('flow: error policies', () => {
  const failing = (name: string) =>
    rule(name, (ctx) => {
      ctx.settle(Verdicts.DROP, [A]);
      throw new Error('scanner unavailable');
    });

  it('fails open by default: the failing rule is rolled back and treated as PASS', async () => {
    const { verdict, line } = await run({ rules: [failing('scan')] });
    expect(verdict(A)).toBe('DEFAULT');
    expect(line?.level).toBe('warn');
    expect(line?.attributes.failures).toEqual([
      { rule: 'scan', error: 'rule scan failed: scanner unavailable', policy: 'fail-open' },
    ]);
  });

  it('fails closed with the declared verdict, only within the rule scope', async () => {
    const closed = onError({ failClosed: Verdicts.bounce('Try again later.') }, failing('scan'));
    const { verdict } = await run({ rules: [forRecipients([A, B], closed)] });
    expect([verdict(A), verdict(B), verdict(C)]).toEqual([
      'BOUNCE:Try again later.',
      'BOUNCE:Try again later.',
      'DEFAULT',
    ]);
  });

  it('keeps a fail-closed verdict inside the pilot group when a condition around it throws', async () => {
    const throwing = () => {
      throw new Error('header block too large');
    };
    const closed = onError(
      { failClosed: Verdicts.bounce('blocked') },
      rule('r', () => {}),
    );
    const { verdict } = await run({ rules: [when(throwing, forRecipients([A, B], closed))] });
    expect([verdict(A), verdict(B), verdict(C)]).toEqual(['BOUNCE:blocked', 'BOUNCE:blocked', 'DEFAULT']);
  });

  it('refuses fail-closed verdicts WorkMail would reject, and answers DEFAULT where one is inbound-only', async () => {
    expect(() => flow({ rules: [], onError: { failClosed: { type: 'BOUNCE', message: '' } } })).toThrow(
      /onError.failClosed/,
    );
    expect(() =>
      flow({ direction: 'OUTBOUND', rules: [], onError: { failClosed: Verdicts.MOVE_TO_JUNK } as never }),
    ).toThrow(/onError.failClosed/);
    expect(() => flow({ rules: [], onError: 'sometimes' as never })).toThrow(/onError/);
    const logger = captureLogger();
    const handler = flow({ rules: [], onError: { failClosed: Verdicts.MOVE_TO_JUNK }, logger });
    const outbound = makeFlowEvent({ direction: 'OUTBOUND' });
    const broken = { ...outbound, subject: 42 };
    expect(await handler(broken, lambdaContext())).toEqual({
      actions: [{ action: { type: 'DEFAULT' }, allRecipients: true }],
    });
  });

  it('rethrows so WorkMail retries, when asked', async () => {
    await expect(run({ rules: [failing('scan')], onError: 'rethrow' })).rejects.toBeInstanceOf(RuleError);
  });

  it("fails the invocation when a rule's own policy is rethrow, whatever the flow's", async () => {
    await expect(
      run({ rules: [onError('rethrow', failing('journal'))], onError: 'fail-open' }),
    ).rejects.toMatchObject({
      name: 'RuleError',
      rethrow: true,
    });
  });

  it("lets a rule's own policy win over the flow's", async () => {
    const { verdict } = await run({ rules: [onError('fail-open', failing('scan'))], onError: 'rethrow' });
    expect(verdict(A)).toBe('DEFAULT');
  });

  it('answers an invalid event by the flow policy', async () => {
    const handler = flow({ rules: [], logger: captureLogger() });
    expect(await handler({ nonsense: true }, lambdaContext())).toEqual({
      actions: [{ action: { type: 'DEFAULT' }, allRecipients: true }],
    });
    const strict = flow({ rules: [], onError: 'rethrow', logger: captureLogger() });
    await expect(strict({ nonsense: true }, lambdaContext())).rejects.toBeInstanceOf(EventValidationError);
  });

  it('treats an event of the wrong direction as a failed invocation', async () => {
    const logger = captureLogger();
    const handler = flow({ direction: 'INBOUND', rules: [], onError: { failClosed: Verdicts.DROP }, logger });
    const response = await handler(makeFlowEvent({ direction: 'OUTBOUND' }), lambdaContext());
    expect(response).toEqual({ actions: [{ action: { type: 'DROP' }, allRecipients: true }] });
    expect(logger.lines[0]?.attributes.error).toMatchObject({ name: 'ConfigError' });
  });
});

describe('flow: deadline guard and modes', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('answers before WorkMail gives up, with finished verdicts plus the fallback', async () => {
    const logger = captureLogger();
    let aborted = false;
    const handler = flow({
      rules: [
        rule('junk-alice', (ctx) => void ctx.settle(Verdicts.MOVE_TO_JUNK, [A])),
        rule('slow', (ctx) => {
          ctx.settle(Verdicts.DROP, [B]);
          ctx.signal.addEventListener('abort', () => {
            aborted = true;
          });
          return new Promise<void>(() => {});
        }),
      ],
      fallback: Verdicts.bounce('Delayed by policy check.'),
      logger,
    });
    const pending = handler(makeFlowEvent({ recipients: [A, B] }), lambdaContext({ timeoutMs: 60_000 }));
    await vi.advanceTimersByTimeAsync(13_999);
    expect(logger.lines).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    const response = (await pending) as FlowResponse;
    const read = readResponse(response, [A, B], 'INBOUND');
    expect(read.verdicts.get(A)?.type).toBe('MOVE_TO_JUNK');
    expect(read.verdicts.get(B)).toEqual({ type: 'BOUNCE', message: 'Delayed by policy check.' });
    expect(aborted).toBe(true);
    expect(logger.lines[0]?.attributes).toMatchObject({ deadlineHit: true, rulesFired: ['junk-alice'] });
  });

  it('settles the protections that had not decided at the deadline with their blocking verdicts', async () => {
    const logger = captureLogger();
    const hang = () => new Promise<void>(() => {});
    const handler = flow({
      rules: [
        onError(
          { failClosed: Verdicts.bounce('Attachment check unfinished.') },
          rule('slow-protection', hang),
        ),
        rule('slow-cosmetic', hang),
        onError(
          { failClosed: Verdicts.MOVE_TO_JUNK },
          rule('later-protection', () => {}),
        ),
      ],
      logger,
    });
    const pending = handler(makeFlowEvent({ recipients: [A, B] }), lambdaContext({ timeoutMs: 60_000 }));
    await vi.advanceTimersByTimeAsync(14_000);
    const read = readResponse((await pending) as FlowResponse, [A, B], 'INBOUND');
    expect(read.verdicts.get(A)).toEqual({ type: 'BOUNCE', message: 'Attachment check unfinished.' });
    expect(read.verdicts.get(B)).toEqual({ type: 'BOUNCE', message: 'Attachment check unfinished.' });
    expect(logger.lines[0]?.attributes).toMatchObject({ deadlineHit: true, rulesFired: ['slow-protection'] });
    // A cosmetic rule stuck at the deadline lets the protections after it decide for what it left open.
    const cosmetic = flow({
      rules: [
        rule('slow-cosmetic', hang),
        onError(
          { failClosed: Verdicts.MOVE_TO_JUNK },
          rule('later', () => {}),
        ),
      ],
      logger,
    });
    const second = cosmetic(makeFlowEvent({ recipients: [A] }), lambdaContext({ timeoutMs: 60_000 }));
    await vi.advanceTimersByTimeAsync(14_000);
    expect(readResponse((await second) as FlowResponse, [A], 'INBOUND').verdicts.get(A)?.type).toBe(
      'MOVE_TO_JUNK',
    );
  });

  it("uses the Lambda's remaining time when it is shorter than WorkMail's", async () => {
    const logger = captureLogger();
    const handler = flow({ rules: [rule('hang', () => new Promise<void>(() => {}))], logger });
    const pending = handler(makeFlowEvent(), lambdaContext({ timeoutMs: 3_000 }));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await pending).toEqual({ actions: [{ action: { type: 'DEFAULT' }, allRecipients: true }] });
    expect(logger.lines[0]?.attributes.deadlineHit).toBe(true);
  });

  it('answers on time even when a rule is stuck reading a stalled message stream', async () => {
    // A Message Flow client whose body sends the header block, then nothing: the read never completes.
    const stalled = new PassThrough();
    stalled.write('Subject: hi\r\n\r\nbody starts');
    const messageFlow = {
      send: async () => ({ messageContent: stalled }),
    } as unknown as WorkMailMessageFlowClient;
    const logger = captureLogger();
    const handler = flow({
      clients: { messageFlow },
      logger,
      rules: [rule('needs-body', async (ctx) => void (await ctx.message.bytes()))],
    });
    const pending = handler(makeFlowEvent(), lambdaContext({ timeoutMs: 60_000 }));
    await vi.advanceTimersByTimeAsync(14_000);
    expect(await pending).toEqual({ actions: [{ action: { type: 'DEFAULT' }, allRecipients: true }] });
    expect(logger.lines[0]?.attributes.deadlineHit).toBe(true);
    expect(stalled.destroyed).toBe(true);
  });

  it('fails an asynchronous invocation whose journal-like rule is still running at the deadline', async () => {
    const handler = flow({
      synchronous: false,
      logger: captureLogger(),
      rules: [rule('journal', () => new Promise<void>(() => {}), { sideEffect: true, onError: 'rethrow' })],
    });
    const pending = handler(makeFlowEvent(), lambdaContext({ timeoutMs: 5_000 }));
    const outcome = expect(pending).rejects.toMatchObject({ name: 'DeadlineError', rule: 'journal' });
    await vi.advanceTimersByTimeAsync(4_000);
    await outcome;
  });

  it('returns nothing for asynchronous rules, whose response WorkMail ignores', async () => {
    vi.useRealTimers();
    const seen: string[] = [];
    const stop = onFlowOutcome((o) => seen.push(o.messageId));
    const { response } = await run({
      synchronous: false,
      rules: [rule('look', (ctx) => ctx.note('looked'))],
    });
    stop();
    expect(response).toBeUndefined();
    expect(seen).toHaveLength(1);
  });
});
