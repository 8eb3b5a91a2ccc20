import type { IncomingMessage } from 'node:http';
import { flow } from '@wmflow/core';
import { makeFlowEvent } from '@wmflow/core/testing';
import { stampHeaders, tagExternal } from '@wmflow/rules';
import { beforeEach, describe, expect, it } from 'vitest';
import { bigMessage, describeErrors, invoke, UPDATES } from './fault-harness.js';
import { pathOf, proxiedStack } from './scripted-proxy.js';

// Fault round 62: PutRawMessageContent applied by WorkMail and its answer lost, and the read-back that would tell
// failing too: the invocation fails (transient) and WorkMail retries it. The retry reads the message WorkMail now
// holds, the edited one. A subject prefix and a disclaimer are not added again (each sees itself), but an added
// header field was: the delivered message carried `X-Corp-Scan: done` twice, one edit applied twice.
const t = proxiedStack([UPDATES]);
beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
});

const isPutRaw = (req: IncomingMessage) => req.method === 'POST' && /^\/messages\//.test(req.url ?? '');
const isStagedRead = (req: IncomingMessage) => req.method === 'GET' && pathOf(req).startsWith(`/${UPDATES}/`);

/** The first invocation: every PutRawMessageContent applied and unanswered, every read of the staged update a bare 404. */
function loseTheAnswer(): void {
  t.flowp.decide = (req) => (isPutRaw(req) ? { do: 'apply-then-drop' } : { do: 'forward' });
  t.s3p.decide = (req) => (isStagedRead(req) ? { do: 'answer', status: 404, body: '' } : { do: 'forward' });
}

const heldHeader = (id: string): string => {
  const held = t.stack.flow.history(id).at(-1)?.content.toString('latin1') ?? '';
  return held.slice(0, held.indexOf('\r\n\r\n'));
};
const count = (block: string, field: RegExp) => block.split('\r\n').filter((l) => field.test(l)).length;

describe('F62-1: an edit that landed, its answer lost, applied again by the retry', () => {
  it('stampHeaders add: the retry leaves one X-Corp-Scan field, not two', async () => {
    const id = t.stack.flow.load(bigMessage(40_000, 'f62-1-add'));
    const handler = flow({
      rules: [stampHeaders({ headers: { 'X-Corp-Scan': 'done' }, mode: 'add' })],
      updates: { bucket: UPDATES },
    });
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'ann@partner.example',
      recipients: ['bob@corp.example'],
    });
    loseTheAnswer();
    const first = await invoke(handler, event);
    t.flowp.decide = () => ({ do: 'forward' });
    t.s3p.decide = () => ({ do: 'forward' });
    // WorkMail applied the update; the invocation could not tell, so it failed for WorkMail to retry.
    expect(count(heldHeader(id), /^X-Corp-Scan: done$/i)).toBe(1);
    expect(first.error?.name, JSON.stringify(first.response)).toBe('TransientError');
    const retry = await invoke(handler, event);
    expect(retry.error, describeErrors(retry.error ? [retry.error] : [])).toBeUndefined();
    expect(count(heldHeader(id), /^X-Corp-Scan: done$/i)).toBe(1);
  }, 60_000);

  it('held: tagExternal (subject prefix, banner, sealed marker) is not applied twice by the retry', async () => {
    const id = t.stack.flow.load(bigMessage(40_000, 'f62-1-tag'));
    const handler = flow({
      organizationDomains: ['corp.example'],
      rules: [
        tagExternal({ subjectTag: '[EXT]', banner: 'Outside mail.', markerKey: 'f62-marker-key-0123456789' }),
      ],
      updates: { bucket: UPDATES },
    });
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'ann@partner.example',
      recipients: ['bob@corp.example'],
    });
    loseTheAnswer();
    const first = await invoke(handler, event);
    t.flowp.decide = () => ({ do: 'forward' });
    t.s3p.decide = () => ({ do: 'forward' });
    expect(first.error?.name).toBe('TransientError');
    const retry = await invoke(handler, event);
    expect(retry.error, describeErrors(retry.error ? [retry.error] : [])).toBeUndefined();
    const held = t.stack.flow.history(id).at(-1)?.content.toString('latin1') ?? '';
    expect(count(heldHeader(id), /^Subject: \[EXT\]/i)).toBe(1);
    expect(heldHeader(id)).not.toMatch(/\[EXT\] \[EXT\]/);
    expect(held.split('Outside mail.').length - 1).toBeGreaterThan(0);
    // One banner per body the first commit tagged: the retry added none.
    const banners = held.split('Outside mail.').length - 1;
    expect(t.stack.flow.history(id).length).toBeGreaterThan(1);
    const firstCommit = t.stack.flow.history(id)[1]?.content.toString('latin1') ?? '';
    expect(banners).toBe(firstCommit.split('Outside mail.').length - 1);
  }, 60_000);
});
