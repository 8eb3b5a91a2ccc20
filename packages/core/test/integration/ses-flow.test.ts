import { readFile } from 'node:fs/promises';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type LocalStack, startLocalStack } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Rule, rule, Verdicts } from '../../src/index.js';
import { type SesFlowOptions, type SesFlowOutcome, sesFlow } from '../../src/ses/index.js';
import {
  captureLogger,
  lambdaContext,
  type MakeSesEventOptions,
  makeSesEvent,
  sesMessageId,
} from '../../src/testing/index.js';

const BUCKET = 'inbound-mail';
const PREFIX = 'inbound/';
const SAMPLES = new URL('../../../../samples/eml/', import.meta.url);
let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ buckets: [BUCKET] });
});
afterAll(async () => {
  await stack?.stop();
});

/** Stores the message as the receipt rule's S3 action would, then runs the Lambda action's handler. */
async function receive(
  rules: readonly Rule<'INBOUND'>[],
  file: string | undefined,
  event: MakeSesEventOptions = {},
  options: Partial<SesFlowOptions> = {},
) {
  const messageId = sesMessageId();
  if (file) {
    const body = await readFile(new URL(file, SAMPLES));
    await stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}${messageId}`, Body: body }));
  }
  stack.ses.receive(messageId);
  const logger = captureLogger();
  const handler = sesFlow({
    rules,
    stored: { bucket: BUCKET, keyPrefix: PREFIX },
    bounceSender: 'postmaster@corp.example',
    organizationDomains: ['corp.example'],
    clients: { s3: stack.s3, ses: stack.sesClient },
    logger,
    ...options,
  });
  const answer = await handler(
    makeSesEvent({ recipients: ['alice@corp.example'], ...event, messageId }),
    lambdaContext({ timeoutMs: 30_000 }),
  );
  const line = logger.lines.at(-1);
  return {
    answer,
    messageId,
    outcome: line?.attributes as SesFlowOutcome,
    level: line?.level,
    startup: logger.lines[0],
    bounces: stack.ses.bounces(messageId),
  };
}

const virusBounce = rule('virus', async (ctx) => {
  if ((await ctx.message.authVerdicts()).sesVirus === 'FAIL') ctx.settle(Verdicts.bounce('virus found'));
});
const readsBody = rule('wire', async (ctx) => {
  const { text } = await ctx.message.parsed();
  if (text?.includes('URGENT WIRE TRANSFER')) ctx.settle(Verdicts.DROP);
  else ctx.note(`read ${text?.length ?? 0} characters`);
});

describe('sesFlow on the local S3 and SES emulation', () => {
  it("answers CONTINUE for clean mail, reading the body from the S3 action's object", async () => {
    const r = await receive([virusBounce, readsBody], '01-plain-text.eml');
    expect(r.answer).toEqual({ disposition: 'CONTINUE' });
    expect(r.bounces).toEqual([]);
    expect(r.outcome.engine).toBe('ses');
    expect(r.outcome.applied).toEqual({ 'alice@corp.example': 'DEFAULT' });
    expect(r.outcome.fired[0]?.notes[0]).toMatch(/^read [1-9]\d* characters$/);
    expect(r.startup?.attributes.limitations).toContainEqual(expect.stringMatching(/edits .* not applied/));
  });

  it('bounces on virus FAIL from the receipt (no header read) and stops the rule set', async () => {
    // No stored object: the verdict comes from the event alone, so S3 is never read.
    const r = await receive([virusBounce], undefined, {
      recipients: ['alice@corp.example', 'bob@corp.example'],
      verdicts: { virus: 'FAIL' },
    });
    expect(r.answer).toEqual({ disposition: 'STOP_RULE_SET' });
    expect(r.bounces).toHaveLength(1);
    expect(r.bounces[0]).toMatchObject({
      originalMessageId: r.messageId,
      bounceSender: 'postmaster@corp.example',
      explanation: 'virus found',
      recipients: [
        { recipient: 'alice@corp.example', bounceType: 'ContentRejected' },
        { recipient: 'bob@corp.example', bounceType: 'ContentRejected' },
      ],
    });
    expect(r.outcome.applied).toEqual({
      'alice@corp.example': 'BOUNCE:virus found',
      'bob@corp.example': 'BOUNCE:virus found',
    });
    expect(r.outcome.bounce?.status).toBe('sent');
  });

  const pilot = rule('pilot-bounce', (ctx) => {
    ctx.settle(Verdicts.bounce('not for you'), ['bob@corp.example']);
  });

  it('mixed recipients, most-protective (default): the bounced get a bounce, nobody gets the message', async () => {
    const r = await receive([pilot], '01-plain-text.eml', {
      recipients: ['alice@corp.example', 'bob@corp.example'],
    });
    expect(r.answer).toEqual({ disposition: 'STOP_RULE_SET' });
    expect(r.bounces[0]?.recipients).toEqual([
      { recipient: 'bob@corp.example', bounceType: 'ContentRejected' },
    ]);
    expect(r.outcome.verdicts).toEqual({
      'alice@corp.example': 'DEFAULT',
      'bob@corp.example': 'BOUNCE:not for you',
    });
    expect(r.outcome.applied).toEqual({
      'alice@corp.example': 'DROP',
      'bob@corp.example': 'BOUNCE:not for you',
    });
    expect(r.outcome.warnings).toContainEqual(
      expect.stringMatching(/most-protective policy answers STOP_RULE_SET/),
    );
    expect(r.level).toBe('warn');
  });

  it('mixed recipients, least-protective: delivered to all, no bounce sent, logged', async () => {
    const r = await receive(
      [pilot],
      '01-plain-text.eml',
      { recipients: ['alice@corp.example', 'bob@corp.example'] },
      { policy: { mixed: 'least-protective' } },
    );
    expect(r.answer).toEqual({ disposition: 'CONTINUE' });
    expect(r.bounces).toEqual([]);
    expect(r.outcome.applied).toEqual({ 'alice@corp.example': 'DEFAULT', 'bob@corp.example': 'DEFAULT' });
    expect(r.outcome.warnings).toContainEqual(expect.stringMatching(/no bounce sent/));
  });

  it('MOVE_TO_JUNK quarantines with STOP_RULE; edits are skipped with the reason', async () => {
    const junk = rule('junk', (ctx) => {
      ctx.edit.prefixSubject('[SPAM] ');
      ctx.settle(Verdicts.MOVE_TO_JUNK);
    });
    const r = await receive([junk], '01-plain-text.eml');
    expect(r.answer).toEqual({ disposition: 'STOP_RULE' });
    expect(r.outcome.applied).toEqual({ 'alice@corp.example': 'MOVE_TO_JUNK' });
    expect(r.outcome.edit).toEqual({ status: 'skipped', reason: expect.stringMatching(/cannot rewrite/) });
  });

  it('a refused SendBounce still stops the message, reported as DROP', async () => {
    const logger = captureLogger();
    const handler = sesFlow({
      rules: [virusBounce],
      stored: { bucket: BUCKET },
      bounceSender: 'postmaster@corp.example',
      clients: { s3: stack.s3, ses: stack.sesClient },
      logger,
    });
    // Never registered as received: the emulation refuses the bounce as SES does after 24 hours.
    const lost = sesMessageId();
    const answer = await handler(
      makeSesEvent({ messageId: lost, verdicts: { virus: 'FAIL' } }),
      lambdaContext(),
    );
    expect(answer).toEqual({ disposition: 'STOP_RULE_SET' });
    expect(stack.ses.bounces(lost)).toEqual([]);
    const line = logger.lines.at(-1);
    expect(line?.level).toBe('error');
    const o = line?.attributes as SesFlowOutcome;
    expect(o.applied).toEqual({ 'user@corp.example': 'DROP' });
    expect(o.bounce).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/MessageRejected/),
    });
  });

  it('reads headers from the event while it lists them all, else from the stored object', async () => {
    const fromHeader = rule('from-header', async (ctx) => {
      ctx.note(`from ${(await ctx.message.headers()).get('from')}`);
    });
    const headers = [
      { name: 'From', value: 'Ann <ann@partner.example>' },
      { name: 'Subject', value: 'hi' },
    ];
    // No stored object at all: the event's header list is enough.
    const listed = await receive([fromHeader], undefined, { headers });
    expect(listed.outcome.fired[0]?.notes).toEqual(['from Ann <ann@partner.example>']);
    const cut = await receive([fromHeader], '01-plain-text.eml', { headers }, {});
    expect(cut.outcome.fired[0]?.notes).toEqual(['from Ann <ann@partner.example>']);
    const truncated = sesMessageId();
    const body = await readFile(new URL('01-plain-text.eml', SAMPLES));
    await stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}${truncated}`, Body: body }));
    const logger = captureLogger();
    const event = makeSesEvent({ messageId: truncated, headers });
    event.Records[0].ses.mail.headersTruncated = true;
    await sesFlow({
      rules: [fromHeader],
      stored: { bucket: BUCKET, keyPrefix: PREFIX },
      clients: { s3: stack.s3 },
      logger,
    })(event, lambdaContext());
    const notes = (logger.lines.at(-1)?.attributes as SesFlowOutcome | undefined)?.fired[0]?.notes[0];
    expect(notes).toMatch(/^from /);
    expect(notes).not.toContain('ann@partner.example');
  });

  it('a missing stored object fails closed when the flow says so', async () => {
    const r = await receive([readsBody], undefined, {}, { onError: { failClosed: Verdicts.DROP } });
    expect(r.answer).toEqual({ disposition: 'STOP_RULE_SET' });
    expect(r.outcome.failures[0]?.error).toMatch(/needs an S3 action/);
  });

  it('a removal SES cannot apply bounces who would receive the attachment: removeAttachments, removeParts unlessRemoved', async () => {
    const isExe = (p: { filename?: string }) => /\.exe$/i.test(p.filename ?? '');
    const strip = rule('strip-exe', (ctx) => ctx.edit.removeAttachments(isExe));
    const exe = await receive([strip], '03-invoice-attachments.eml');
    expect(exe.answer).toEqual({ disposition: 'STOP_RULE_SET' });
    expect(exe.outcome.verdicts['alice@corp.example']).toMatch(/^BOUNCE:.*could not be removed/);
    expect(exe.outcome.warnings.join('\n')).toMatch(/removeAttachments\(\) matched stays/);
    // Nothing to remove: delivered as it is.
    const plain = await receive([strip], '01-plain-text.eml');
    expect(plain.answer).toEqual({ disposition: 'CONTINUE' });
    const byId = rule('remove-exe', async (ctx) => {
      const ids = (await ctx.message.parts()).parts.filter((p) => p.names.some((n) => /\.exe$/i.test(n)));
      ctx.edit.removeParts(
        ids.map((p) => p.id),
        { unlessRemoved: Verdicts.bounce('EXE not accepted.') },
      );
    });
    const parts = await receive([byId], '03-invoice-attachments.eml');
    expect(parts.outcome.verdicts['alice@corp.example']).toBe('BOUNCE:EXE not accepted.');
  });

  it('a stored bucket that does not exist is named, with what `stored` must say', async () => {
    const stored = { bucket: 'corp-inbound-mail', keyPrefix: PREFIX };
    const r = await receive([readsBody], '01-plain-text.eml', {}, { stored });
    expect(r.outcome.failures[0]?.error).toContain(
      "bucket corp-inbound-mail does not exist: `stored` must name the bucket the receipt rule's S3 action stores the message in",
    );
  });

  it('a rule that must not be lost (rethrow) fails the invocation, with no disposition logged', async () => {
    const logger = captureLogger();
    const handler = sesFlow({
      rules: [readsBody],
      stored: { bucket: BUCKET },
      onError: 'rethrow',
      clients: { s3: stack.s3, ses: stack.sesClient },
      logger,
    });
    await expect(handler(makeSesEvent(), lambdaContext())).rejects.toThrow(/needs an S3 action/);
    const line = logger.lines.at(-1);
    expect(line?.level).toBe('error');
    expect(line?.attributes.response).toBeUndefined();
  });

  it('an event that is not an SES receipt answers CONTINUE and logs the error', async () => {
    const logger = captureLogger();
    const handler = sesFlow({
      rules: [],
      stored: { bucket: BUCKET },
      bounceSender: 'p@corp.example',
      logger,
    });
    expect(await handler({ Records: [] }, lambdaContext())).toEqual({ disposition: 'CONTINUE' });
    expect(logger.lines.at(-1)?.attributes.error).toMatchObject({ name: 'EventValidationError' });
  });
});

describe('sesFlow deadline guard', () => {
  it('answers with the fallback when a rule outlives the budget, and aborts it', async () => {
    let aborted = false;
    const stalls = rule('stalls', async (ctx) => {
      await new Promise<void>((resolve) => {
        ctx.signal.addEventListener('abort', () => {
          aborted = true;
          resolve();
        });
      });
    });
    const r = await receive(
      [stalls],
      '01-plain-text.eml',
      {},
      {
        fallback: Verdicts.DROP,
        deadline: { engineTimeoutMs: 50, safetyMarginMs: 0 },
      },
    );
    expect(r.answer).toEqual({ disposition: 'STOP_RULE_SET' });
    expect(r.outcome.deadlineHit).toBe(true);
    expect(aborted).toBe(true);
  });
});
