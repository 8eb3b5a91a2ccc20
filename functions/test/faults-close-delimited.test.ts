import { PutObjectCommand } from '@aws-sdk/client-s3';
import { lambdaContext, makeFlowEvent, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import { archiverSes } from '../archiver-ses/archiver-ses.js';
import { guardSes } from '../guard-ses/guard-ses.js';
import {
  bigMessage,
  invoke,
  invokeUntilAnswered,
  JOURNAL,
  sha256,
  stored,
  UPDATES,
} from './fault-harness.js';
import { proxiedStack } from './scripted-proxy.js';

// HTTP/1.1 lets an answer's body end where the connection closes (no Content-Length, not chunked): a body cut
// by a clean close then looks whole. WorkMail's source refused such an answer; the SES source (GetObject of the
// stored message) and the journal's read-back of a stored copy took it whole: archiver-ses journaled 2 of 3 MB
// as the message, guard-ses passed on a message whose executable it never read, and a retry reported an
// identical copy tampered with (round 31, S31-3/4/6). Every reader of a message or copy now refuses it.
const t = proxiedStack([JOURNAL, UPDATES]);
let cutKey = '';
let keep = 0;

beforeAll(() => {
  t.s3p.decide = (req) =>
    req.method === 'GET' && cutKey && (req.url ?? '').split('?')[0]?.endsWith(cutKey)
      ? { do: 'forward-close-delimited', keep }
      : { do: 'forward' };
});
beforeEach(() => {
  cutKey = '';
  t.flowp.decide = () => ({ do: 'forward' });
});

const STORED = {
  STORED_BUCKET: UPDATES,
  STORED_KEY_PREFIX: 'inbound/',
  ORGANIZATION_DOMAINS: 'corp.example',
};
const archiverHandler = () =>
  archiver({ JOURNAL_BUCKET: JOURNAL, KEY_TEMPLATE: 'j/{messageId}', ORGANIZATION_DOMAINS: 'corp.example' });

async function storeSes(bytes: Buffer): Promise<string> {
  const id = sesMessageId();
  await t.stack.s3.send(new PutObjectCommand({ Bucket: UPDATES, Key: `inbound/${id}`, Body: bytes }));
  t.stack.ses.receive(id);
  return id;
}

describe('an answer delimited by the connection close, cut cleanly', () => {
  it('GetRawMessageContent: the archiver fails and journals nothing, then its retry journals the whole copy', async () => {
    const bytes = bigMessage(3_000_000, 'close-cut-workmail');
    const id = t.stack.flow.load(bytes);
    let cut = true;
    t.flowp.decide = (req) =>
      req.method === 'GET' && cut ? { do: 'forward-close-delimited', keep: 1_000_000 } : { do: 'forward' };
    const event = makeFlowEvent({ messageId: id, recipients: ['bob@corp.example'] });
    expect((await invoke(archiverHandler(), event)).error?.message).toMatch(/neither a length nor chunked/);
    expect(await stored(t.stack, JOURNAL, `j/${id}`)).toBeUndefined();
    cut = false;
    expect((await invokeUntilAnswered(archiverHandler(), event)).answered).toBe(true);
    expect(sha256((await stored(t.stack, JOURNAL, `j/${id}`)) ?? Buffer.alloc(0))).toBe(sha256(bytes));
  }, 120_000);

  it('SES GetObject: archiver-ses fails without journaling a cut copy, then journals the whole one', async () => {
    const bytes = bigMessage(3_000_000, 'close-cut-ses');
    const id = await storeSes(bytes);
    cutKey = `inbound/${id}`;
    keep = 2_000_000;
    const handler = archiverSes({ ...STORED, JOURNAL_BUCKET: JOURNAL, KEY_TEMPLATE: 'j/{messageId}' });
    const event = makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] });
    await expect(handler(event, lambdaContext())).rejects.toThrow(/without a length \(S3 always gives one\)/);
    expect(await stored(t.stack, JOURNAL, `j/${id}`)).toBeUndefined();
    cutKey = '';
    await handler(event, lambdaContext());
    expect(sha256((await stored(t.stack, JOURNAL, `j/${id}`)) ?? Buffer.alloc(0))).toBe(sha256(bytes));
  }, 120_000);

  it('SES GetObject: guard-ses never passes on a message whose executable the cut left unread', async () => {
    const exe = Buffer.from('MZ\x90\x00this program cannot be run in DOS mode').toString('base64');
    const part = `--b1\r\nContent-Type: application/octet-stream; name="run.exe"\r\nContent-Disposition: attachment; filename="run.exe"\r\nContent-Transfer-Encoding: base64\r\n\r\n${exe}\r\n--b1--\r\n`;
    const bytes = Buffer.from(
      bigMessage(3_000_000, 'close-cut-ses-exe')
        .toString('latin1')
        .replace(/--b1--\r\n$/, part),
      'latin1',
    );
    const id = await storeSes(bytes);
    cutKey = `inbound/${id}`;
    keep = bytes.indexOf('--b1\r\nContent-Type: application/octet-stream');
    const handler = guardSes({ ...STORED, BOUNCE_SENDER: 'postmaster@corp.example' });
    const event = makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] });
    // CONTINUE would hand the stored message, executable included, to the next receipt rule: delivery.
    // Fault round 68: the invocation failed here (the cut read is transient); guard-ses now holds the message.
    expect(((await handler(event, lambdaContext())) as { disposition: string }).disposition).toBe(
      'STOP_RULE',
    );
    cutKey = '';
    const answer = (await handler(event, lambdaContext())) as { disposition: string };
    expect(answer.disposition).toBe('STOP_RULE_SET');
  }, 120_000);

  it('journal read-back on a retry: a cut read is neither the copy nor a mismatch (no .repaired- copy)', async () => {
    const bytes = bigMessage(300_000, 'close-cut-readback');
    const id = t.stack.flow.load(bytes);
    const event = makeFlowEvent({ messageId: id, recipients: ['bob@corp.example'] });
    expect((await invoke(archiverHandler(), event)).error).toBeUndefined();
    // WorkMail retries (the first answer was lost): the copy is there, and its read-back is cut.
    cutKey = `j/${id}`;
    keep = 100_000;
    expect((await invoke(archiverHandler(), event)).error?.message).toMatch(
      /without a length \(S3 always gives one\)/,
    );
    cutKey = '';
    expect((await invoke(archiverHandler(), event)).error).toBeUndefined();
    const keys = (await t.stack.listObjects(JOURNAL)).map((o) => o.key).filter((k) => k.includes(id));
    expect(keys.sort()).toEqual([`j/${id}`, `j/${id}.json`]);
    expect(sha256((await stored(t.stack, JOURNAL, `j/${id}`)) ?? Buffer.alloc(0))).toBe(sha256(bytes));
  }, 120_000);
});
