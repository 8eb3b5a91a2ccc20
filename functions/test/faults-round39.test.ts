import { lambdaContext, makeFlowEvent } from '@wmflow/core/testing';
import type { LocalStack } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guard } from '../guard/guard.js';
import { bigMessage, firstAction, invoke, startFaultStack, UPDATES, withExe } from './fault-harness.js';

// Fault round 39 (session 30): what a fault injector found, each case failing before its fix, on one faulty stack.
let stack: LocalStack;
beforeAll(async () => {
  stack = await startFaultStack(3);
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

// PutRawMessageContent's answer is lost (the update applied, the connection dropped on every SDK attempt)
// and the read-back that would tell whether it was applied fails transiently (GetRawMessageContent answers 500
// after the SDK's retries). commitUpdate called the outcome `unknown` and the invocation answered instead of failing:
// with ATTACHMENT_ACTION=strip the guard then BOUNCEs a message that WorkMail already holds stripped (a retry would
// have read it back and delivered it), and outbound-policy answers DEFAULT for a disclaimer that may never have been
// added. Both edits are idempotent on a retry (the seal, the disclaimer's dedupe), so failing is safe.

// The guard at its defaults (tag-external) and an event of an outside sender's message to one recipient.
function tagExternal(messageId: string) {
  const handler = guard({ ORGANIZATION_DOMAINS: 'corp.example', UPDATES_BUCKET: UPDATES });
  const event = makeFlowEvent({
    messageId,
    mailFrom: 'ann@partner.example',
    recipients: ['bob@corp.example'],
  });
  return { handler, event };
}

describe('F39-2: an update whose answer was lost, and whose read-back failed transiently', () => {
  it('guard strip: the update applied, its answer lost and the read-back failing, the invocation fails and the retry delivers', async () => {
    const bytes = withExe(200_000, 'f2-strip-unknown');
    const id = stack.flow.load(bytes);
    // Every PutRawMessageContent the SDK sends is applied and unanswered.
    stack.flow.injectFault({ kind: 'lost-answer' }, { messageId: id, operation: 'put', times: 10 });
    // The guard's own read of the message succeeds; the read-back after the lost answer gets 500s.
    stack.flow.injectFault({ kind: 'server-error' }, { messageId: id, operation: 'get', skip: 1, times: 10 });
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
    const { response, error } = await invoke(handler, event);
    stack.flow.clearFaults();
    const held = stack.flow.history(id).at(-1)?.content.toString('latin1') ?? '';
    const facts = {
      answer: error ? `error ${error.name}` : firstAction(response),
      workmailHoldsStripped: !held.includes('run.exe'),
    };
    // What a retry (had the invocation failed) answers: the message WorkMail holds is stripped, so it is delivered.
    const retry = await invoke(handler, event);
    Object.assign(facts, { retryWouldAnswer: firstAction(retry.response) });
    expect(facts.workmailHoldsStripped, JSON.stringify(facts)).toBe(true);
    expect(firstAction(retry.response), JSON.stringify(facts)).toBe('DEFAULT');
    // Expected: the invocation fails (transient), so WorkMail retries and the retry delivers the stripped message.
    expect(facts.answer, JSON.stringify(facts)).not.toBe('BOUNCE');
  }, 60_000);
});

// A rewrite changed bytes no edit touches. After a multipart's closing boundary, RawRepair keeps the
// transfer encoding of the part before it: when that part was base64, every epilogue line is "repaired" as a
// base64 line (characters outside the base64 alphabet dropped, lines re-wrapped). A mailing list's footer after
// the closing boundary loses its spaces, dots, @ and underscores in the message WorkMail delivers.
const EPILOGUE =
  '_______________________________________________\r\nTeam mailing list\r\nteam@lists.partner.example\r\nhttps://lists.partner.example/listinfo/team\r\n';
const epilogueMessage = Buffer.from(
  [
    'From: Ann <ann@partner.example>',
    'To: bob@corp.example',
    'Subject: minutes',
    'Date: Tue, 24 Nov 2026 10:00:00 +0000',
    'Message-ID: <f3-epilogue@partner.example>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Minutes attached.',
    '--b1',
    'Content-Type: application/pdf; name="minutes.pdf"',
    'Content-Disposition: attachment; filename="minutes.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from('%PDF-1.7\n%%EOF\n').toString('base64'),
    '--b1--',
    '',
  ].join('\r\n') + EPILOGUE,
  'latin1',
);

describe('F39-3: the epilogue after a base64 part', () => {
  it('guard tag-external: the delivered message keeps the epilogue bytes as they were', async () => {
    const id = stack.flow.load(epilogueMessage);
    const { handler, event } = tagExternal(id);
    const { response, error } = await invoke(handler, event);
    expect(error).toBeUndefined();
    expect(firstAction(response)).toBe('DEFAULT');
    const history = stack.flow.history(id);
    expect(history.length, 'the tag was committed').toBe(2);
    const out = history.at(-1)?.content.toString('latin1') ?? '';
    const tail = out.slice(out.lastIndexOf('--b1--'));
    expect(tail).toBe(`--b1--\r\n${EPILOGUE}`);
  }, 30_000);
});

// A banner (or disclaimer) decoded the whole text part and re-encodes it as UTF-8: bytes that are not
// valid in the declared charset (Latin-1 text labelled utf-8, a common mislabel) became U+FFFD for good (now the body is left as it is). The
// original bytes are gone from the delivered message, where an unknown charset is left untouched by design.
const charsetMessage = Buffer.concat([
  Buffer.from(
    [
      'From: Ann <ann@partner.example>',
      'To: bob@corp.example',
      'Subject: menu',
      'Date: Tue, 24 Nov 2026 10:00:00 +0000',
      'Message-ID: <f5-charset@partner.example>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      'Caf',
    ].join('\r\n'),
    'latin1',
  ),
  Buffer.from([0xe9]), // Latin-1 é under a utf-8 label
  Buffer.from(' au lait\r\n', 'latin1'),
]);

describe('F39-5: a text part whose bytes are not valid in its declared charset', () => {
  it('guard banner: the delivered body keeps the original byte (or the edit is skipped), never U+FFFD', async () => {
    const id = stack.flow.load(charsetMessage);
    const { handler, event } = tagExternal(id);
    const { response, error } = await invoke(handler, event);
    expect(error).toBeUndefined();
    expect(firstAction(response)).toBe('DEFAULT');
    const out = stack.flow.history(id).at(-1)?.content.toString('latin1') ?? '';
    // The replacement character, quoted-printable encoded as UTF-8.
    expect(out.includes('Caf=EF=BF=BD'), out.slice(-300)).toBe(false);
  }, 30_000);
});

// A message read that stalls past the deadline leaves the SES-verdict protection
// undecided. By design (not knowing is not allowing) it settles its blocking verdict before WorkMail's timeout;
// what it tells the sender must be that the message could not be checked, not that it holds a virus.
describe('a stalled message read at the deadline', () => {
  it('bounces as unchecked, not as a virus', async () => {
    const id = stack.flow.load(bigMessage(50_000, 'slow-read-deadline'));
    stack.flow.injectFault({ kind: 'latency', ms: 8_000 }, { messageId: id, operation: 'get', times: 1 });
    const { handler, event } = tagExternal(id);
    const response = await handler(event, lambdaContext({ timeoutMs: 4_000 }));
    const action = response?.actions?.[0]?.action as {
      type: string;
      parameters?: { bounceMessage?: string };
    };
    expect(action.type).toBe('BOUNCE');
    expect(action.parameters?.bounceMessage).toContain('could not be checked');
    expect(action.parameters?.bounceMessage).not.toContain('found to contain a virus');
  }, 30_000);
});
