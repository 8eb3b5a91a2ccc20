import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { makeFlowEvent } from '@wmflow/core/testing';
import { type LocalStack, startLocalStack } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Built, buildToTemp, invokeBundle, runNode } from './built.js';
import { utcDaysBetween } from './journal-days.js';

const EML = join(import.meta.dirname, '../../samples/eml');
const JOURNAL = 'journal-bucket';
const UPDATES = 'updates-bucket';

let stack: LocalStack;
let built: Built;
beforeAll(async () => {
  [stack, built] = await Promise.all([startLocalStack({ buckets: [JOURNAL, UPDATES] }), buildToTemp()]);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await built?.remove();
});

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
async function load(file: string): Promise<{ id: string; bytes: Buffer }> {
  const bytes = await readFile(join(EML, file));
  return { id: stack.flow.load(bytes), bytes };
}
async function object(bucket: string, key: string): Promise<Buffer> {
  const got = await stack.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(
    await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
}
const env = (extra: Record<string, string>) => ({
  ...stack.env,
  ORGANIZATION_DOMAINS: 'corp.example',
  ...extra,
});
const latest = (id: string) => stack.flow.history(id).at(-1)?.content.toString('latin1') ?? '';

describe('bundle: archiver', () => {
  it('journals inbound and outbound messages byte for byte, with metadata, as an asynchronous rule', async () => {
    const inbound = await load('03-invoice-attachments.eml');
    const outbound = await load('06-outbound-card-numbers.eml');
    const before = new Date();
    const { results } = await invokeBundle(built, 'archiver', env({ JOURNAL_BUCKET: JOURNAL }), [
      makeFlowEvent({
        messageId: inbound.id,
        recipients: ['bob@corp.example'],
        subject: 'Invoice 2026-1187',
      }),
      makeFlowEvent({
        messageId: outbound.id,
        direction: 'OUTBOUND',
        mailFrom: 'dan@corp.example',
        recipients: ['orders@shop.example'],
      }),
    ]);
    expect(results).toEqual([{ response: null }, { response: null }]);
    const days = utcDaysBetween(before, new Date()).join('|');
    const keys = (await stack.listObjects(JOURNAL)).map((o) => o.key);
    for (const [message, direction] of [
      [inbound, 'inbound'],
      [outbound, 'outbound'],
    ] as const) {
      const key = keys.find((k) => k.endsWith(`/${message.id}`));
      expect(key).toMatch(new RegExp(`^journal/${direction}/(${days})/${message.id}$`));
      expect(sha256(await object(JOURNAL, key ?? ''))).toBe(sha256(message.bytes));
      const metadata = JSON.parse((await object(JOURNAL, `${key}.json`)).toString());
      expect(metadata).toMatchObject({
        messageId: message.id,
        sha256: sha256(message.bytes),
        size: message.bytes.length,
      });
    }
  });

  it('answers DEFAULT as a synchronous rule, and a retry finds the copy already there', async () => {
    const { id, bytes } = await load('07-latin1-8bit.eml');
    const event = makeFlowEvent({ messageId: id, recipients: ['dev@corp.example', 'ops@corp.example'] });
    const { results } = await invokeBundle(
      built,
      'archiver',
      env({ JOURNAL_BUCKET: JOURNAL, SYNCHRONOUS: 'true', KEY_TEMPLATE: 'sync/{messageId}' }),
      [event, event],
    );
    const deliver = { response: { actions: [{ action: { type: 'DEFAULT' }, allRecipients: true }] } };
    expect(results).toEqual([deliver, deliver]);
    expect(sha256(await object(JOURNAL, `sync/${id}`))).toBe(sha256(bytes));
  });
});

describe('bundle: guard', () => {
  const guardEnv = (extra: Record<string, string> = {}) =>
    env({ UPDATES_BUCKET: UPDATES, PROTECTED_NAMES: 'Jane Smith', ...extra });

  it('enforces SES verdicts, the attachment policy and the impersonation check', async () => {
    const virus = await load('04-ses-spam-virus.eml');
    const spam = await load('external-spam-verdict.eml');
    const exe = await load('03-invoice-attachments.eml');
    const ceo = await load('05-ceo-impersonation.eml');
    const { results } = await invokeBundle(built, 'guard', guardEnv(), [
      makeFlowEvent({
        messageId: virus.id,
        mailFrom: 'winner@lottery.example',
        recipients: ['carol@corp.example'],
      }),
      makeFlowEvent({
        messageId: spam.id,
        mailFrom: 'offers@cheap-deals.example',
        recipients: ['alice@corp.example'],
      }),
      makeFlowEvent({
        messageId: exe.id,
        mailFrom: 'billing@vendor.example',
        recipients: ['bob@corp.example'],
      }),
      makeFlowEvent({
        messageId: ceo.id,
        mailFrom: 'jane.smith.ceo@freemail.example',
        recipients: ['finance@corp.example'],
      }),
    ]);
    const types = results.map((r) => r.response?.actions[0]?.action);
    expect(types[0]).toEqual({
      type: 'BOUNCE',
      parameters: { bounceMessage: expect.stringMatching(/virus/) },
    });
    expect(types[1]).toEqual({ type: 'MOVE_TO_JUNK' });
    expect(types[2]).toEqual({
      type: 'BOUNCE',
      parameters: { bounceMessage: expect.stringMatching(/attachment/) },
    });
    expect(types[3]).toEqual({ type: 'MOVE_TO_JUNK' });
    for (const m of [virus, spam, exe, ceo]) expect(stack.flow.history(m.id)).toHaveLength(1);
  });

  it('tags outside mail with the subject tag and banner through PutRawMessageContent', async () => {
    const { id } = await load('01-plain-text.eml');
    const { results } = await invokeBundle(built, 'guard', guardEnv(), [
      makeFlowEvent({ messageId: id, mailFrom: 'priya@partner.example', recipients: ['dev@corp.example'] }),
    ]);
    expect(results[0]?.response.actions).toEqual([{ action: { type: 'DEFAULT' }, allRecipients: true }]);
    expect(stack.flow.history(id)).toHaveLength(2);
    const updated = latest(id);
    expect(updated).toMatch(/^Subject: \[EXTERNAL\] Release notes for 4\.2\r$/m);
    expect(updated).toContain('This message came from outside the organization.');
    expect(updated).toMatch(/^X-Wmflow-External: true\r$/m);
  });

  it('leaves inside mail (authenticated for the organization domain) alone', async () => {
    // Inside is decided by evidence: SES's Authentication-Results says DMARC passed for corp.example.
    const auth =
      'Authentication-Results: amazonses.com; spf=pass smtp.mailfrom=dan@corp.example; dmarc=pass header.from=corp.example\r\n';
    const bytes = await readFile(join(EML, '06-outbound-card-numbers.eml'));
    const id = stack.flow.load(Buffer.concat([Buffer.from(auth), bytes]));
    const { results } = await invokeBundle(built, 'guard', guardEnv(), [
      makeFlowEvent({ messageId: id, mailFrom: 'dan@corp.example', recipients: ['eve@corp.example'] }),
    ]);
    expect(results[0]?.response.actions).toEqual([{ action: { type: 'DEFAULT' }, allRecipients: true }]);
    expect(stack.flow.history(id)).toHaveLength(1);
  });

  it('strips the .exe attachment when ATTACHMENT_ACTION=strip, and in audit mode changes nothing', async () => {
    const stripped = await load('03-invoice-attachments.eml');
    const audited = await load('04-ses-spam-virus.eml');
    const event = (id: string) =>
      makeFlowEvent({ messageId: id, mailFrom: 'billing@vendor.example', recipients: ['bob@corp.example'] });
    const strip = await invokeBundle(
      built,
      'guard',
      guardEnv({ ATTACHMENT_ACTION: 'strip', TAG_EXTERNAL: 'false' }),
      [event(stripped.id)],
    );
    expect(strip.results[0]?.response.actions).toEqual([
      { action: { type: 'DEFAULT' }, allRecipients: true },
    ]);
    expect(stack.flow.history(stripped.id)).toHaveLength(2);
    expect(latest(stripped.id)).not.toContain('payment_details.pdf.exe');
    expect(latest(stripped.id)).toContain('invoice-2026-1187.pdf');

    const audit = await invokeBundle(built, 'guard', guardEnv({ AUDIT_MODE: 'true' }), [event(audited.id)]);
    expect(audit.results[0]?.response.actions).toEqual([
      { action: { type: 'DEFAULT' }, allRecipients: true },
    ]);
    expect(stack.flow.history(audited.id)).toHaveLength(1);
  });
});

describe('bundle: outbound-policy', () => {
  const outboundEnv = (extra: Record<string, string> = {}) =>
    env({ UPDATES_BUCKET: UPDATES, DISCLAIMER_TEXT: 'This email is confidential.', ...extra });

  it('bounces card and IBAN numbers leaving the organization with a message that says why', async () => {
    const { id } = await load('06-outbound-card-numbers.eml');
    const { results } = await invokeBundle(built, 'outbound-policy', outboundEnv(), [
      makeFlowEvent({
        messageId: id,
        direction: 'OUTBOUND',
        mailFrom: 'dan@corp.example',
        recipients: ['orders@shop.example', 'eve@corp.example'],
      }),
    ]);
    expect(results[0]?.response.actions).toEqual([
      {
        action: {
          type: 'BOUNCE',
          parameters: { bounceMessage: expect.stringMatching(/payment card or bank account/) },
        },
        allRecipients: true,
      },
    ]);
    expect(stack.flow.history(id)).toHaveLength(1);
  });

  it('adds the disclaimer to outside mail, and refuses outside recipients of internal-only senders', async () => {
    const plain = stack.flow.load(
      'From: Kim <kim@corp.example>\r\nTo: a@partner.example\r\nSubject: Lunch\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000\r\nMessage-ID: <lunch@corp.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nSee you at noon.\r\n',
    );
    const kiosk = await load('01-plain-text.eml');
    const { results } = await invokeBundle(
      built,
      'outbound-policy',
      outboundEnv({ INTERNAL_ONLY_SENDERS: 'kiosk@corp.example' }),
      [
        makeFlowEvent({
          messageId: plain,
          direction: 'OUTBOUND',
          mailFrom: 'kim@corp.example',
          recipients: ['a@partner.example'],
        }),
        makeFlowEvent({
          messageId: kiosk.id,
          direction: 'OUTBOUND',
          mailFrom: 'kiosk@corp.example',
          recipients: ['x@partner.example', 'dev@corp.example'],
        }),
      ],
    );
    expect(results[0]?.response.actions).toEqual([{ action: { type: 'DEFAULT' }, allRecipients: true }]);
    expect(latest(plain)).toContain('This email is confidential.');
    const actions = results[1]?.response.actions;
    expect(actions).toContainEqual({
      action: {
        type: 'BOUNCE',
        parameters: { bounceMessage: expect.stringMatching(/only within the organization/) },
      },
      recipients: ['x@partner.example'],
    });
  });
});

describe('bundles: configuration checked at cold start', () => {
  const coldStart = async (name: string, extra: Record<string, string>) => {
    const file = join(built.outdir, name, 'index.mjs');
    const { stdout } = await runNode(
      `try { await import(${JSON.stringify(file)}); console.log('loaded'); } catch (e) { console.log(e.name, e.field, '|', e.message); }`,
      { AWS_REGION: 'us-east-1', ...extra },
    );
    return stdout.trim();
  };

  it('names the bad setting', async () => {
    expect(await coldStart('archiver', {})).toBe(
      'ConfigError JOURNAL_BUCKET | invalid configuration JOURNAL_BUCKET: is required (an S3 bucket name)',
    );
    expect(await coldStart('guard', { UPDATES_BUCKET: UPDATES, SPAM_ACTION: 'delete' })).toMatch(
      /^ConfigError SPAM_ACTION \|/,
    );
    expect(await coldStart('guard', { ORGANIZATION_DOMAINS: 'corp.example' })).toMatch(
      /^ConfigError UPDATES_BUCKET \|/,
    );
    expect(await coldStart('outbound-policy', { WMFLOW_POLICY: '{"SENSITIVE_DATA":"ssn"}' })).toMatch(
      /^ConfigError WMFLOW_POLICY\.SENSITIVE_DATA\[0\] \|/,
    );
    expect(await coldStart('guard', { TAG_EXTERNAL: 'false' })).toBe('loaded');
  });
});

describe('bundles: only the AWS SDK commands used', () => {
  // `import('@aws-sdk/client-s3')` asks for the whole namespace, which keeps the aggregated client and every
  // command (~30 KB more at a guard's cold start); the functions import the commands they send by name.
  it('bundle neither the aggregated S3 client nor the aggregated DynamoDB client', async () => {
    for (const report of built.reports) {
      const maps = (await readdir(join(report.dir, 'chunks')))
        .filter((f) => f.endsWith('.map'))
        .map((f) => join(report.dir, 'chunks', f));
      const sources: string[] = [];
      for (const map of [join(report.dir, 'index.mjs.map'), ...maps])
        sources.push(...(JSON.parse(await readFile(map, 'utf8')) as { sources: string[] }).sources);
      expect(sources.some((s) => s.endsWith('client-s3/dist-es/S3Client.js'))).toBe(true);
      expect(sources.filter((s) => /client-(s3|dynamodb)\/dist-es\/(S3|DynamoDB)\.js$/.test(s))).toEqual([]);
    }
  });
});
