import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { type LocalStack, startLocalStack } from '@wmflow/local';
import { Splitter } from '@zone-eu/mailsplit';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDS_IN_HEADER } from '../../src/edit/raw-repair.js';
import {
  type FlowClients,
  type FlowOutcome,
  flow,
  type MessageEditor,
  onFlowOutcome,
  rule,
  Verdicts,
} from '../../src/index.js';
import { checkUpdate } from '../../src/mime/index.js';
import { captureLogger, lambdaContext, makeFlowEvent } from '../../src/testing/index.js';

const SAMPLES = join(import.meta.dirname, '../../../../samples/eml');
const BUCKET = 'wmflow-updates';
let stack: LocalStack;
let clients: FlowClients;

beforeAll(async () => {
  stack = await startLocalStack({ buckets: [BUCKET] });
  clients = { messageFlow: stack.messageFlow, s3: stack.s3 };
});
afterAll(async () => {
  await stack.stop();
});

/** sha256 of every leaf body, by part number. */
async function partHashes(bytes: Buffer): Promise<Map<string, string>> {
  const parts = new Map<string, ReturnType<typeof createHash>>();
  const splitter = new Splitter({ ignoreEmbedded: true });
  splitter.on('data', (d) => {
    if (d.type !== 'body' || !d.node) return;
    const key = (d.node.partNr || []).join('.');
    if (!parts.has(key)) parts.set(key, createHash('sha256'));
    parts.get(key)?.update(d.value);
  });
  const ended = finished(splitter);
  splitter.end(bytes);
  await ended;
  return new Map([...parts].map(([k, h]) => [k, h.digest('hex')]));
}

async function run(
  file: string | Buffer,
  edits: (e: MessageEditor) => void,
  options: { verdict?: 'DROP'; freeze?: boolean } = {},
) {
  const original = typeof file === 'string' ? await readFile(join(SAMPLES, file)) : file;
  const messageId = stack.flow.load(original);
  if (options.freeze) stack.flow.freeze(messageId);
  const outcomes: FlowOutcome[] = [];
  const stop = onFlowOutcome((o) => outcomes.push(o));
  const handler = flow({
    clients,
    logger: captureLogger(),
    updates: { bucket: BUCKET },
    rules: [
      rule('edit', (ctx) => {
        edits(ctx.edit);
        if (options.verdict) ctx.settle(Verdicts.DROP);
      }),
    ],
  });
  const response = await handler(
    makeFlowEvent({ messageId, recipients: ['user@corp.example'] }),
    lambdaContext(),
  );
  stop();
  const history = stack.flow.history(messageId);
  const updated = history.at(-1)?.content as Buffer;
  return { original, updated, history, response, outcome: outcomes[0] as FlowOutcome };
}

const tagAndDisclaim = (e: MessageEditor) => {
  e.prefixSubject('[EXTERNAL]');
  e.addHeader('X-Corp-External', 'yes');
  e.addDisclaimer({ text: 'This message came from outside the organization.', position: 'top' });
};

describe('edits committed through PutRawMessageContent on the emulator', () => {
  it.each([
    ['01-plain-text.eml', ['TEXT']],
    ['02-html-newsletter.eml', ['1', '2']],
    ['03-invoice-attachments.eml', ['1']],
    ['08-nested-forward.eml', ['1.1', '1.2']],
    ['07-latin1-8bit.eml', ['TEXT']],
  ])('tags and disclaims %s; untouched parts stay byte-identical', async (file, editedParts) => {
    const { original, updated, history, outcome } = await run(file, tagAndDisclaim);
    expect(outcome.edit.status).toBe('committed');
    expect(history).toHaveLength(2);
    expect(await checkUpdate(original, updated)).toEqual({ ok: true });
    const before = await partHashes(original);
    const after = await partHashes(updated);
    for (const [part, hash] of before) {
      if (editedParts.includes(part)) expect(after.get(part)).not.toBe(hash);
      else expect(after.get(part)).toBe(hash);
    }
    const parsed = await simpleParser(updated);
    expect(parsed.subject?.startsWith('[EXTERNAL] ')).toBe(true);
    expect(parsed.text?.startsWith('This message came from outside the organization.')).toBe(true);
    expect(parsed.headers.get('x-corp-external')).toBe('yes');
  });

  it('keeps the attachment bytes when it removes another attachment', async () => {
    const { original, updated, outcome } = await run('03-invoice-attachments.eml', (e) =>
      e.removeAttachments((p) => p.filename?.endsWith('.exe') === true),
    );
    expect(outcome.edit).toMatchObject({
      status: 'committed',
      changes: ['removed attachment payment_details.pdf.exe'],
    });
    expect((await partHashes(updated)).get('2')).toBe((await partHashes(original)).get('2'));
    const parsed = await simpleParser(updated);
    expect(parsed.attachments.map((a) => a.filename)).toEqual(['invoice-2026-1187.pdf']);
  });

  it('delivers a message a removal finds nothing to remove in, unbounced (adoption walk)', async () => {
    const { history, response, outcome } = await run('01-plain-text.eml', (e) =>
      e.removeAttachments((p) => p.filename?.endsWith('.exe') === true),
    );
    expect(outcome.edit).toMatchObject({ status: 'skipped', reason: 'no edit changed the message' });
    expect(history).toHaveLength(1);
    expect(JSON.stringify(response)).toContain('"DEFAULT"');
    expect(JSON.stringify(response)).not.toContain('BOUNCE');
  });

  it('leaves a message of header fields alone as it is: a read cut after a header line looks the same (fault round 40)', async () => {
    // What a server that ends the read at a header line's end gives: committing a tag or banner on it would put
    // the cut message, banner for body, in place of the whole one.
    const headers = Buffer.from(
      'From: Ann <ann@partner.example>\r\nTo: user@corp.example\r\nSubject: invoice\r\n',
    );
    const tagged = await run(headers, tagAndDisclaim);
    expect(tagged.outcome.edit).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining(ENDS_IN_HEADER),
    });
    expect(tagged.history).toHaveLength(1);
    expect(JSON.stringify(tagged.response)).toContain('"DEFAULT"');
    // Nothing to strip in it: not bounced as an attachment that could not be removed.
    const stripped = await run(headers, (e) => e.removeAttachments(() => true));
    expect(JSON.stringify(stripped.response)).not.toContain('BOUNCE');
  });

  it('sets, adds and removes headers and transforms body text, keeping the attachments byte-identical', async () => {
    const { original, updated, outcome } = await run('03-invoice-attachments.eml', (e) => {
      e.setHeader('X-SES-Spam-Verdict', 'CHECKED');
      e.addHeader('X-Corp-Scan', 'clean');
      e.removeHeader('X-SES-Virus-Verdict');
      e.transformText(
        (p) => p.contentType === 'text/plain',
        (text) => text.replace('invoice 2026-1187', 'invoice 2026-1187 (verified supplier)'),
      );
    });
    expect(outcome.edit.status).toBe('committed');
    expect(await checkUpdate(original, updated)).toEqual({ ok: true });
    const parsed = await simpleParser(updated);
    expect(parsed.headers.get('x-ses-spam-verdict')).toBe('CHECKED');
    expect(parsed.headers.get('x-corp-scan')).toBe('clean');
    expect(parsed.headers.has('x-ses-virus-verdict')).toBe(false);
    expect(parsed.text).toContain('invoice 2026-1187 (verified supplier) attached');
    const before = await partHashes(original);
    const after = await partHashes(updated);
    expect(after.get('2')).toBe(before.get('2'));
    expect(after.get('3')).toBe(before.get('3'));
  });

  it('edits only the headers of signed mail', async () => {
    const { original, updated, outcome } = await run('09-signed.eml', tagAndDisclaim);
    expect(outcome.edit).toMatchObject({
      status: 'committed',
      skipped: ['text/plain body not edited: it is signed or encrypted'],
    });
    expect(await partHashes(updated)).toEqual(await partHashes(original));
  });

  it('skips the edit of a frozen message and still answers with the verdicts', async () => {
    const { history, outcome, response } = await run('01-plain-text.eml', tagAndDisclaim, { freeze: true });
    expect(history).toHaveLength(1);
    expect(outcome.edit).toMatchObject({ status: 'skipped', reason: expect.stringContaining('frozen') });
    expect(response).toEqual({ actions: [{ action: { type: 'DEFAULT' }, allRecipients: true }] });
  });

  it('makes no update when no recipient receives the message', async () => {
    const { history, outcome } = await run('01-plain-text.eml', tagAndDisclaim, { verdict: 'DROP' });
    expect(history).toHaveLength(1);
    expect(outcome.edit).toEqual({ status: 'skipped', reason: 'no recipient receives the message' });
  });

  it('names the bucket-policy fix when WorkMail cannot read the update', async () => {
    const original = await readFile(join(SAMPLES, '01-plain-text.eml'));
    const messageId = stack.flow.load(original);
    const outcomes: FlowOutcome[] = [];
    const stop = onFlowOutcome((o) => outcomes.push(o));
    const handler = flow({
      clients,
      logger: captureLogger(),
      updates: { bucket: 'no-such-bucket' },
      rules: [rule('tag', (ctx) => ctx.edit.prefixSubject('[X]'))],
    });
    await handler(makeFlowEvent({ messageId }), lambdaContext());
    stop();
    expect(outcomes[0]?.edit.status).toBe('failed');
    expect(stack.flow.history(messageId)).toHaveLength(1);
  });
});
