import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeFlowEvent } from '@wmflow/core/testing';
import type { LocalStack } from '@wmflow/local';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { guard } from '../guard/guard.js';
import { outboundPolicy } from '../outbound-policy/outbound-policy.js';
import {
  bigMessage,
  firstAction,
  invoke,
  invokeUntilAnswered,
  startFaultStack,
  UPDATES,
} from './fault-harness.js';

const EML = join(import.meta.dirname, '../../samples/eml');
let stack: LocalStack;
beforeAll(async () => {
  stack = await startFaultStack(31);
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});
beforeEach(() => {
  stack.flow.clearFaults();
  stack.proxies?.s3.configure('seed=31');
  stack.proxies?.flow.configure('seed=31');
});

const base = { ORGANIZATION_DOMAINS: 'corp.example', UPDATES_BUCKET: UPDATES };
const delivered = (id: string) => stack.flow.history(id).at(-1)?.content ?? Buffer.alloc(0);
const body = (bytes: Buffer) => bytes.subarray(bytes.indexOf('\r\n\r\n') + 4);

describe('faults: guard', () => {
  it('never answers for a message whose stream reset mid-body; the retry delivers the whole message, tagged', async () => {
    const bytes = bigMessage(200_000, 'guard-reset');
    const id = stack.flow.load(bytes);
    const fault = stack.flow.injectFault({ kind: 'broken-stream', afterBytes: 65_000 }, { messageId: id });
    const handler = guard(base);
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'ann@partner.example',
      recipients: ['bob@corp.example'],
    });
    const first = await invoke(handler, event);
    expect(first.error).toBeDefined();
    expect(stack.flow.history(id)).toHaveLength(1);
    fault.clear();
    const again = await invokeUntilAnswered(handler, event);
    expect(firstAction(again.response)).toBe('DEFAULT');
    const out = delivered(id);
    expect(out.toString('latin1')).toMatch(/^Subject: \[EXTERNAL\] /m);
    // The whole original attachment is there, byte for byte: nothing truncated.
    const attachment = body(bytes).subarray(body(bytes).indexOf('Content-Transfer-Encoding: base64'));
    expect(out.includes(attachment)).toBe(true);
  }, 120_000);

  it('refuses a second read that is not the same message (no spliced copy is delivered), then delivers the original', async () => {
    const bytes = bigMessage(3_000_000, 'guard-splice');
    const id = stack.flow.load(bytes);
    // The header read (SES verdicts) stops the transfer; the body read (attachments) fetches again.
    const changed = stack.flow.injectFault(
      { kind: 'changed-content', bytes: 3_000_000 },
      { messageId: id, skip: 1, times: 1 },
    );
    const handler = guard(base);
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'ann@partner.example',
      recipients: ['bob@corp.example'],
    });
    const first = await invoke(handler, event);
    expect(first.error?.message).toMatch(/fetched again differs|rule .* failed/);
    expect(changed.hits).toBe(1);
    expect(stack.flow.history(id)).toHaveLength(1);
    const again = await invokeUntilAnswered(handler, event);
    expect(firstAction(again.response)).toBe('DEFAULT');
    const attachment = body(bytes).subarray(body(bytes).indexOf('Content-Transfer-Encoding: base64'));
    expect(delivered(id).includes(attachment)).toBe(true);
  }, 240_000);

  it('fails every invocation of a throttling storm, and only then decides: never DEFAULT for a virus', async () => {
    const id = await stack.flow.loadFile(join(EML, '04-ses-spam-virus.eml'));
    stack.flow.injectFault({ kind: 'throttle' }, { messageId: id, operation: 'get', times: 9 });
    const handler = guard(base);
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'winner@lottery.example',
      recipients: ['carol@corp.example'],
    });
    const run = await invokeUntilAnswered(handler, event);
    expect(run.errors.length).toBeGreaterThan(0);
    expect(run.errors.every((e) => /Throttl|rule .* failed/.test(e.message))).toBe(true);
    expect(firstAction(run.response)).toBe('BOUNCE');
  }, 120_000);

  it('bounces a message whose attachment strip cannot be committed, instead of delivering the attachment', async () => {
    const id = await stack.flow.loadFile(join(EML, '03-invoice-attachments.eml'));
    // The updates bucket does not exist: a failure no retry cures.
    const handler = guard({ ...base, UPDATES_BUCKET: 'no-such-updates', ATTACHMENT_ACTION: 'strip' });
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'billing@vendor.example',
      recipients: ['bob@corp.example'],
    });
    const run = await invoke(handler, event);
    expect(run.error).toBeUndefined();
    expect(firstAction(run.response)).toBe('BOUNCE');
    expect(stack.flow.history(id)).toHaveLength(1);
  }, 120_000);
});

describe('faults: outbound-policy', () => {
  const env = { ...base, DISCLAIMER_TEXT: 'Confidential: for the addressee only.' };
  const sent = (messageId: string, to: string) =>
    makeFlowEvent({ messageId, direction: 'OUTBOUND', mailFrom: 'dan@corp.example', recipients: [to] });

  it('never sends card numbers after a reset mid-body: the invocation fails, the retry bounces', async () => {
    const id = await stack.flow.loadFile(join(EML, '06-outbound-card-numbers.eml'));
    const fault = stack.flow.injectFault({ kind: 'broken-stream', afterBytes: 200 }, { messageId: id });
    const handler = outboundPolicy(env);
    const event = sent(id, 'orders@shop.example');
    const first = await invoke(handler, event);
    expect(first.error).toBeDefined();
    fault.clear();
    const again = await invokeUntilAnswered(handler, event);
    expect(firstAction(again.response)).toBe('BOUNCE');
    expect(stack.flow.history(id)).toHaveLength(1);
  }, 120_000);

  it('a multi-line disclaimer applied, then the invocation failed: the retry does not add it again', async () => {
    const text = 'Confidential.\nFor the addressee only.';
    const id = await stack.flow.loadFile(join(EML, '10-outbound-reply.eml'));
    // The first update is applied and its answer lost; the SDK's retries of it meet 500s: the invocation fails.
    stack.flow.injectFault({ kind: 'lost-answer' }, { messageId: id, operation: 'put', times: 1 });
    const errors = stack.flow.injectFault(
      { kind: 'server-error' },
      { messageId: id, operation: 'put', skip: 1 },
    );
    const handler = outboundPolicy({ ...base, DISCLAIMER_TEXT: text });
    const event = sent(id, 'partner@shop.example');
    const first = await invoke(handler, event);
    expect(first.error).toBeDefined();
    expect(stack.flow.history(id)).toHaveLength(2);
    errors.clear();
    const again = await invokeUntilAnswered(handler, event);
    expect(firstAction(again.response)).toBe('DEFAULT');
    const out = delivered(id).toString('latin1').replace(/\r\n/g, '\n');
    expect(out.split(text).length - 1).toBe(1);
  }, 120_000);

  it('resolves an update whose answer was lost: committed once, the whole message plus one disclaimer', async () => {
    const original = await readFile(join(EML, '10-outbound-reply.eml'));
    const id = stack.flow.load(original);
    stack.flow.injectFault({ kind: 'lost-answer' }, { messageId: id, operation: 'put', times: 5 });
    const handler = outboundPolicy(env);
    const event = sent(id, 'partner@shop.example');
    const run = await invokeUntilAnswered(handler, event);
    expect(firstAction(run.response)).toBe('DEFAULT');
    const out = delivered(id).toString('latin1');
    expect(out).toContain('Confidential: for the addressee only.');
    // Re-applying the same staged object is idempotent: every version after the first is the same edit.
    const versions = stack.flow
      .history(id)
      .slice(1)
      .map((v) => v.content.toString('latin1'));
    expect(new Set(versions).size).toBe(1);
    expect(out.split('Confidential: for the addressee only.').length).toBe(
      (versions[0] ?? '').split('Confidential: for the addressee only.').length,
    );
  }, 120_000);
});
